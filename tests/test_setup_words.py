"""What a newcomer reads and sees first: `make run` says where the site and the admin are and how
to log in; the README names the variables `make run` reads and explains deploying."""

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_run_prints_the_admin_address_and_how_to_create_a_login():
    dry = subprocess.run(
        ["make", "-n", "run", "HOST=10.0.0.5", "PORT=8123"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    assert "http://10.0.0.5:8123/admin/" in dry
    assert "manage.py createsuperuser" in dry
    assert "runserver 10.0.0.5:8123" in dry


def test_the_readme_names_host_port_and_explains_deploying():
    readme = (ROOT / "README.md").read_text()
    assert "HOST=" in readme and "PORT=" in readme
    deploying = readme[readme.index("## Deploying") :]
    assert "collectstatic --noinput" in deploying.split("##")[1]
    assert "DEBUG=0" in deploying and "SECRET_KEY" in deploying
