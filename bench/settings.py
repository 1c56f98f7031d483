"""Benchmark settings: production-like (DEBUG off, no GraphiQL) plus Wagtail's REST API v2,
mounted here only, for the side-by-side comparison. Reads DATABASE_URL like every setting."""

from cms.settings.base import *  # noqa: F403
from cms.settings.base import CMS_API, INSTALLED_APPS, env

DEBUG = False
SECRET_KEY = env("SECRET_KEY", "bench-only-not-secret-" + "x" * 40)
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
INSTALLED_APPS = [*INSTALLED_APPS, "wagtail.api.v2", "rest_framework"]
ROOT_URLCONF = "bench.urls"
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}
# The benchmark is one client asking for thousands of uncached answers on purpose: the
# per-client budget (cms.api.ratelimit) would answer most of them with 429.
CMS_API = {**CMS_API, "RATE_LIMIT": 0}
WHITENOISE_USE_FINDERS = True  # GraphiQL assets without collectstatic
