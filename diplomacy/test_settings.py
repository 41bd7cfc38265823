"""Test settings: the real settings, changed only where it makes tests fast."""

import os

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-that-is-long-enough-for-django-checks-0123456789")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")

from diplomacy.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
# Each test starts from an empty cache of its own, not the files a run before it left.
# (`strict` is the same store: local-memory caches of one LOCATION share their entries)
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "strict": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
}
