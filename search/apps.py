from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "search"
    verbose_name = _("Search")

    def ready(self):
        from django.db.backends.signals import connection_created

        from . import signals  # noqa: F401

        connection_created.connect(register_sqlite_functions)


def casefold(value):
    return value.casefold() if isinstance(value, str) else value


def register_sqlite_functions(sender, connection, **kwargs):
    """Unicode case folding for the SQLite search fallback (SQLite folds ASCII only)."""
    if connection.vendor == "sqlite":
        connection.connection.create_function("cms_casefold", 1, casefold, deterministic=True)
