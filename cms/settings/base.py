"""Settings shared by every environment.

Every value that differs between deployments is read from the environment here, in one place
(12-factor). ``dev``, ``test`` and ``production`` only change defaults and switch features.
"""

import ipaddress
import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from cms.api.defaults import API_DEFAULTS

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env(name, default=None):
    """Read one environment variable; an empty string counts as unset."""
    value = os.environ.get(name, "")
    return value if value != "" else default


def env_bool(name, default=False):
    value = env(name)
    if value is None:
        return default
    lowered = value.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def env_list(name, default=()):
    value = env(name)
    if value is None:
        return list(default)
    return [item.strip() for item in value.split(",") if item.strip()]


SECRET_KEY = env("SECRET_KEY")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "cms",
    "news",
    "topics",
    "search",
    "webhooks",
    "demo",
    "django_tasks_db",
    "wagtail_localize",
    "wagtail_localize.locales",  # replaces wagtail.locales
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_countries",
    "graphene_django",
    "corsheaders",
    "axes",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
]

# The health check answers after SecurityMiddleware (so its answers carry HSTS and nosniff)
# and before everything else: no host validation, sessions or language redirects. Production
# exempts it from the https redirect (SECURE_REDIRECT_EXEMPT).
MIDDLEWARE = [
    "cms.middleware.RequestIdMiddleware",
    # High up, as django-cors-headers asks: it answers preflights before anything else does.
    "corsheaders.middleware.CorsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "cms.middleware.HealthCheckMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Outside sessions and locale: fixes Vary and Content-Language of API answers.
    "cms.middleware.ApiHeadersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last, as django-axes requires: turns a refused login into the lockout page (HTTP 429).
    "axes.middleware.AxesMiddleware",
    # Last: it calls admin views inside one transaction (cms.middleware).
    "cms.middleware.AdminTransactionMiddleware",
]

ROOT_URLCONF = "cms.urls"
WSGI_APPLICATION = "cms.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "cms" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
# Embedded default: an SQLite file in the project, so a new machine needs no server.
# Production: DATABASE_URL=postgres://user:password@host:5432/name
DEFAULT_SQLITE_PATH = BASE_DIR / "var" / "db.sqlite3"
DATABASE_URL = env("DATABASE_URL", f"sqlite:///{DEFAULT_SQLITE_PATH}")
# Connections are kept for 60 s and checked before a request reuses one, so the first request
# after a database restart or failover reconnects instead of failing.
DATABASES = {
    "default": dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # PostgreSQL's JIT compiles plans whose estimated cost is high (30+ ms per query here);
    # for short API queries it only adds latency.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # The demo's SQLite serves several requests at once (the admin's live preview and
    # autosave): WAL lets reads go on beside a write, and IMMEDIATE transactions queue for
    # the write lock instead of failing with "database is locked" when two try to upgrade.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache ----------------------------------------------------------------------------------
REDIS_URL = env("REDIS_URL")
# The API's response cache keeps tag stamps without expiry: local memory gets room for them,
# and Redis must run with maxmemory-policy volatile-lru (evicting only keys with a TTL).
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "OPTIONS": {"MAX_ENTRIES": 100_000},
        }
    }

# Response cache of the GraphQL API (see cms.api.cache) and HTTP cache lifetimes.
CMS_CACHE = {
    "ENABLED": env_bool("API_CACHE", True),
    "MAX_AGE": int(env("API_CACHE_MAX_AGE", 60)),
    "S_MAXAGE": int(env("API_CACHE_S_MAXAGE", 300)),
    "TIMEOUT": int(env("API_CACHE_TIMEOUT", 60 * 60 * 24)),
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Failed logins --------------------------------------------------------------------------
# django-axes counts failed logins (Wagtail admin and Django admin alike) and refuses further
# attempts for a user name, and separately for a client address, once either has failed
# LOGIN_FAILURE_LIMIT times within LOGIN_COOLOFF_MINUTES. A lock always ends by itself after the
# cool-off (it is never permanent, and attempts made while locked do not extend it); an
# administrator lifts it earlier with `manage.py axes_reset_username <name>`,
# `axes_reset_ip <address>` or `axes_reset` (everything). See "Failed logins" in the README.
# Tests log in with client.force_login(): client.login() passes no request, which axes refuses.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # must come first: refuses locked-out attempts
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(env("LOGIN_FAILURE_LIMIT", 5))
LOGIN_COOLOFF_MINUTES = int(env("LOGIN_COOLOFF_MINUTES", 15))
if AXES_FAILURE_LIMIT < 1 or LOGIN_COOLOFF_MINUTES < 1:
    raise ImproperlyConfigured("LOGIN_FAILURE_LIMIT and LOGIN_COOLOFF_MINUTES must be at least 1")
AXES_COOLOFF_TIME = timedelta(minutes=LOGIN_COOLOFF_MINUTES)  # never None: no permanent lockout
# Two separate locks (either one refuses): per user name, and per client address.
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
# Attempts while locked are refused without being counted, so hammering a locked account does
# not push its cool-off further out.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "cms.logins.lockout_response"  # Swedish/English page, HTTP 429
AXES_CLIENT_IP_CALLABLE = "cms.logins.client_ip_address"
# The client address is REMOTE_ADDR. Behind reverse proxies or load balancers, list their
# addresses or networks (comma-separated, e.g. "10.0.0.0/8,192.0.2.7"): X-Forwarded-For is then
# read, and only on requests that come from one of them (see cms.logins.client_ip_address).
# Browsers on other origins (a frontend's client side, a newsletter tool) call /graphql/:
# CORS for that path only, for the origins listed (``*``: any), without credentials (the
# API is public reads; an editor's session cookie is never sent cross-origin). Development
# allows any origin when none is listed (cms.settings.dev); production none.
CORS_URLS_REGEX = r"^/graphql/?$"
CORS_ALLOWED_ORIGINS = [origin for origin in env_list("CORS_ALLOWED_ORIGINS") if origin != "*"]
CORS_ALLOW_ALL_ORIGINS = "*" in env_list("CORS_ALLOWED_ORIGINS")
CORS_ALLOW_CREDENTIALS = False
CORS_ALLOW_METHODS = ["GET", "POST", "OPTIONS"]
CORS_PREFLIGHT_MAX_AGE = 86400  # a day: one preflight per origin and browser
# Response headers a client script may read beyond the safelisted ones.
CORS_EXPOSE_HEADERS = ["ETag", "X-Request-ID", "Cache-Tag", "X-Cache", "Retry-After"]

TRUSTED_PROXIES = env_list("TRUSTED_PROXIES")
for _proxy in TRUSTED_PROXIES:
    try:
        ipaddress.ip_network(_proxy, strict=False)
    except ValueError:
        raise ImproperlyConfigured(
            f"TRUSTED_PROXIES must list IP addresses or networks, not {_proxy!r}"
        ) from None

# --- Languages ------------------------------------------------------------------------------
# Swedish is the default language of content and of the admin; English is the second.
LANGUAGE_CODE = "sv"
# Each language in its own name: the admin's language picker and the API's `languages`.
LANGUAGES = [("sv", "Svenska"), ("en", "English")]
WAGTAIL_I18N_ENABLED = True
# Content languages as the admin names them, in the editor's language ("Publicera på
# engelska", "Svenska › Engelska" in the Swedish admin; "Swedish", "English" in the English).
WAGTAIL_CONTENT_LANGUAGES = [("sv", _("Swedish")), ("en", _("English"))]
# Each editor picks the admin language in their account settings.
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
LOCALE_PATHS = [BASE_DIR / "cms" / "locale"]
TIME_ZONE = "Europe/Stockholm"
# The zones an editor may pick in their account; the default "use the server's" choice is
# shown as "localtime", which browsers refuse (RangeError in the account page's scripts).
WAGTAIL_USER_TIME_ZONES = ["Europe/Stockholm", "UTC"]
# A new translation (the admin's "Translate", a locale's tree synchronisation, a subtree) is
# created as a draft holding the source's text: it goes live only when a translator publishes
# it. wagtail-localize's default copies the source's live status, which published Swedish text
# as the English page.
WAGTAILLOCALIZE_SYNC_LIVE_STATUS_ON_TRANSLATE = False
USE_I18N = True
USE_TZ = True

# --- Static and media -----------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env("STATIC_ROOT", BASE_DIR / "var" / "static"))
MEDIA_URL = env("MEDIA_URL", "/media/")
MEDIA_ROOT = Path(env("MEDIA_ROOT", BASE_DIR / "var" / "media"))
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
]

# --- Wagtail --------------------------------------------------------------------------------
WAGTAIL_SITE_NAME = env("WAGTAIL_SITE_NAME", "ICLD")
WAGTAILADMIN_BASE_URL = env("WAGTAILADMIN_BASE_URL", "http://localhost:8000")
# No avatars fetched from gravatar.com: editors' e-mail hashes stay here, and an admin
# without internet shows no broken images (nor console errors) for them.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAILIMAGES_IMAGE_MODEL = "cms.CustomImage"
WAGTAILIMAGES_IMAGE_FORM_BASE = "cms.forms.CustomImageForm"
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp", "avif"]
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAILEMBEDS_RESPONSIVE_HTML = True
# New slugs are ASCII (å→a, ä→a, ö→o, in the editor as one types and on the server): addresses
# survive every mail client, CDN and log. Older Unicode slugs keep working (page(path:)
# accepts a path both percent-encoded and not).
WAGTAIL_ALLOW_UNICODE_SLUGS = False
# Our snippets have menus of their own (Bidragsregister, Webhooks); without this the
# Snippets index (/admin/snippets/) lists none of them and tells even a superuser they lack
# permission.
WAGTAILSNIPPETS_MENU_SHOW_ALL = True

COUNTRIES_FIRST = ["SE"]

GRAPHENE = {"SCHEMA": "cms.schema.schema"}

# The GraphQL API's limits (each reported to clients as HTTP 400). Introspection and
# GraphiQL follow DEBUG unless set: on in development, off in production.
CMS_API = {
    "MAX_DEPTH": int(env("GRAPHQL_MAX_DEPTH", API_DEFAULTS["MAX_DEPTH"])),
    "MAX_ALIASES": int(env("GRAPHQL_MAX_ALIASES", API_DEFAULTS["MAX_ALIASES"])),
    "MAX_TOKENS": int(env("GRAPHQL_MAX_TOKENS", API_DEFAULTS["MAX_TOKENS"])),
    "MAX_BODY_BYTES": int(env("GRAPHQL_MAX_BODY_BYTES", API_DEFAULTS["MAX_BODY_BYTES"])),
    "MAX_LIMIT": int(env("GRAPHQL_MAX_LIMIT", API_DEFAULTS["MAX_LIMIT"])),
    "MAX_OFFSET": int(env("GRAPHQL_MAX_OFFSET", API_DEFAULTS["MAX_OFFSET"])),
    "PERSISTED_QUERIES_ONLY": env_bool(
        "GRAPHQL_PERSISTED_QUERIES_ONLY", API_DEFAULTS["PERSISTED_QUERIES_ONLY"]
    ),
    # Prices checked before validation (cms.api.pricing).
    "MAX_FIELDS": int(env("GRAPHQL_MAX_FIELDS", API_DEFAULTS["MAX_FIELDS"])),
    "MAX_REPEATS": int(env("GRAPHQL_MAX_REPEATS", API_DEFAULTS["MAX_REPEATS"])),
    "MAX_RESULT_SIZE": int(env("GRAPHQL_MAX_RESULT_SIZE", API_DEFAULTS["MAX_RESULT_SIZE"])),
    # PostgreSQL statement timeout of API requests (0: none) and the largest answer sent.
    "STATEMENT_TIMEOUT_MS": int(
        env("GRAPHQL_STATEMENT_TIMEOUT_MS", API_DEFAULTS["STATEMENT_TIMEOUT_MS"])
    ),
    "MAX_RESPONSE_BYTES": int(
        env("GRAPHQL_MAX_RESPONSE_BYTES", API_DEFAULTS["MAX_RESPONSE_BYTES"])
    ),
    # Per-client budget of uncached work (cms.api.ratelimit): units per window (0: off).
    "RATE_LIMIT": int(env("GRAPHQL_RATE_LIMIT", API_DEFAULTS["RATE_LIMIT"])),
    "RATE_LIMIT_WINDOW": int(env("GRAPHQL_RATE_LIMIT_WINDOW", API_DEFAULTS["RATE_LIMIT_WINDOW"])),
    "RATE_LIMIT_EXEMPT": env_list("GRAPHQL_RATE_LIMIT_EXEMPT"),
}
for _network in CMS_API["RATE_LIMIT_EXEMPT"]:
    try:
        ipaddress.ip_network(_network, strict=False)
    except ValueError:
        raise ImproperlyConfigured(
            f"GRAPHQL_RATE_LIMIT_EXEMPT must list IP addresses or networks, not {_network!r}"
        ) from None
if env("GRAPHQL_INTROSPECTION") is not None:
    CMS_API["INTROSPECTION"] = env_bool("GRAPHQL_INTROSPECTION")
if env("GRAPHQL_GRAPHIQL") is not None:
    CMS_API["GRAPHIQL"] = env_bool("GRAPHQL_GRAPHIQL")

# Search: the PostgreSQL text-search configuration of each content language.
CMS_SEARCH = {"CONFIGS": {"sv": "swedish", "en": "english"}}

# Background tasks: Wagtail's own run immediately; webhook deliveries go to a database
# queue that `manage.py run_worker` works through (see the Makefile). The same worker runs
# Wagtail's publish_scheduled every SCHEDULED_PUBLISHING_INTERVAL seconds (0: never; then run
# it from cron), with the cache's pending invalidations (cms.scheduling).
TASKS = {
    "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
    "webhooks": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["webhooks"]},
}
CMS_SCHEDULER = {"INTERVAL": int(env("SCHEDULED_PUBLISHING_INTERVAL", 60))}
if CMS_SCHEDULER["INTERVAL"] < 0:
    raise ImproperlyConfigured("SCHEDULED_PUBLISHING_INTERVAL must be 0 (off) or more seconds")
CMS_WEBHOOKS = {
    "MAX_ATTEMPTS": int(env("WEBHOOK_MAX_ATTEMPTS", 6)),
    "BACKOFF_SECONDS": int(env("WEBHOOK_BACKOFF_SECONDS", 30)),
    "TIMEOUT": int(env("WEBHOOK_TIMEOUT", 10)),
}
# Webhooks go to public addresses only; true also admits loopback and private ranges
# (on-premise receivers). Link-local / cloud-metadata addresses are refused regardless.
WEBHOOKS_ALLOW_PRIVATE_ADDRESSES = env_bool("WEBHOOKS_ALLOW_PRIVATE_ADDRESSES", False)

# The frontend site, e.g. https://www.example.org: "View live" opens pages there, and its
# /api/preview receives the admin's preview tokens. Unset: the admin previews pages itself.
FRONTEND_URL = (env("FRONTEND_URL") or "").rstrip("/") or None
# Headless preview: the frontend URL per language that receives ?token=... (none: the admin
# renders the API's answer itself, see cms.preview).
CMS_PREVIEW = {
    "MAX_AGE": int(env("PREVIEW_MAX_AGE", 3600)),
    "URLS": {
        "default": env("PREVIEW_URL", f"{FRONTEND_URL}/api/preview" if FRONTEND_URL else None),
        "sv": env("PREVIEW_URL_SV"),
        "en": env("PREVIEW_URL_EN"),
    },
}

# --- Error reporting ------------------------------------------------------------------------
# Sentry when SENTRY_DSN is set (pip install ".[sentry]"); unset, sentry_sdk is not imported.
# No personal data is sent (send_default_pii off); tracing is off unless a rate is given.
SENTRY_DSN = env("SENTRY_DSN")
if SENTRY_DSN:
    try:
        import sentry_sdk
        from sentry_sdk.integrations.django import DjangoIntegration
    except ImportError:
        raise ImproperlyConfigured(
            'SENTRY_DSN is set but sentry-sdk is not installed: pip install ".[sentry]"'
        ) from None

    sentry_sdk.init(
        dsn=SENTRY_DSN,
        integrations=[DjangoIntegration()],
        environment=env("SENTRY_ENVIRONMENT", "production"),
        traces_sample_rate=float(env("SENTRY_TRACES_SAMPLE_RATE", 0)),
        send_default_pii=False,
    )

LOG_FORMAT = env("LOG_FORMAT", "plain")  # "json" in production
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "cms.logging.RequestIdFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s [%(request_id)s] %(name)s %(message)s"},
        "json": {"()": "cms.logging.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        # One line per background task is noise at INFO.
        "django_tasks": {"level": "WARNING"},
        "wagtail": {"level": env("WAGTAIL_LOG_LEVEL", "WARNING")},
        "wagtail.contrib.redirects": {"level": "WARNING"},
    },
}
