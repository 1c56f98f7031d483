"""Local development: DEBUG on, a throwaway secret key, localhost only."""

from .base import *  # noqa: F403
from .base import env, env_bool, env_list

DEBUG = env_bool("DEBUG", True)
SECRET_KEY = env("SECRET_KEY", "dev-only-insecure-key-never-use-in-production")  # noqa: S105
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]", "testserver"])
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
# Any origin may call /graphql/ while developing (a frontend on localhost:3000), unless
# CORS_ALLOWED_ORIGINS lists some.
CORS_ALLOW_ALL_ORIGINS = CORS_ALLOW_ALL_ORIGINS or not CORS_ALLOWED_ORIGINS  # noqa: F405

STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405 - WhiteNoise wants it to exist
WHITENOISE_USE_FINDERS = True  # serve app static files without collectstatic in development
