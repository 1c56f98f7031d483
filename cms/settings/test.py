"""Test settings: fast hashing, in-memory media, the database from DATABASE_URL (SQLite default)."""

import tempfile

from .base import *  # noqa: F403
from .base import CMS_API, env

DEBUG = False
SECRET_KEY = "test-only-secret-key"  # noqa: S105
ALLOWED_HOSTS = ["testserver", "localhost"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MEDIA_ROOT = tempfile.mkdtemp(prefix="cms-test-media-")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
if env("DATABASE_URL") is None:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": ":memory:",
            "CONN_HEALTH_CHECKS": True,
        }
    }
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
WAGTAILADMIN_BASE_URL = "http://testserver"
# Tests run inside transactions that never commit, so invalidations (sent on commit) would
# not happen: the response cache is off except in the tests about it, which turn it on.
CMS_CACHE = {"ENABLED": False}
STATIC_ROOT = tempfile.mkdtemp(prefix="cms-test-static-")  # WhiteNoise wants it to exist
# Every test client is 127.0.0.1: the per-client budget is off except in its own tests.
CMS_API = {**CMS_API, "RATE_LIMIT": 0}
