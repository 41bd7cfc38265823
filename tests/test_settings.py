"""Start-up refuses unsafe production settings, and accepts safe ones."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def run_manage(*args, **env):
    base = {
        k: v
        for k, v in os.environ.items()
        if k not in {"SECRET_KEY", "DEBUG", "DJANGO_SETTINGS_MODULE", "SECURE_SSL_REDIRECT"}
    }
    base.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=base, capture_output=True, text=True, timeout=120
    )


def test_without_debug_a_secret_key_is_required():
    result = run_manage("check", DEBUG="0")
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_a_bad_boolean_is_named():
    result = run_manage("check", DEBUG="maybe")
    assert result.returncode != 0
    assert "DEBUG must be one of" in result.stderr


def test_a_site_url_that_is_not_an_address_is_named():
    result = run_manage("check", DEBUG="1", SITE_URL="archive.example.org/reports")
    assert result.returncode != 0
    assert "SITE_URL must be a scheme and a host" in result.stderr


def test_check_deploy_passes_with_production_values():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="0",
        SECRET_KEY="k" * 20 + "-production-secret-key-0123456789-abcdefghij",
        ALLOWED_HOSTS="archive.example.org",
        CSRF_TRUSTED_ORIGINS="https://archive.example.org",
    )
    assert result.returncode == 0, result.stderr + result.stdout
