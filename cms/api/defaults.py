"""Defaults of the API's limits (setting ``CMS_API``), written once.

``cms.settings.base`` reads each from the environment with these defaults, and
``cms.api.arguments.api_setting`` falls back to them when a deployment's own ``CMS_API``
leaves one out. No imports: the settings module loads this.
"""

API_DEFAULTS = {
    "MAX_DEPTH": 10,
    "MAX_ALIASES": 30,
    "MAX_TOKENS": 2000,
    "MAX_BODY_BYTES": 100 * 1024,
    "MAX_LIMIT": 100,
    "MAX_OFFSET": 10_000,
    "PERSISTED_QUERIES_ONLY": False,
    "MAX_FIELDS": 500,
    "MAX_REPEATS": 20,
    "MAX_RESULT_SIZE": 50_000,
    "STATEMENT_TIMEOUT_MS": 5000,
    "MAX_RESPONSE_BYTES": 5_000_000,
    "RATE_LIMIT": 600,
    "RATE_LIMIT_WINDOW": 60,
    "RATE_LIMIT_EXEMPT": (),
}
