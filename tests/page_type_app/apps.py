from django.apps import AppConfig


class PageTypeAppConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "tests.page_type_app"
    label = "page_type_app"

    def ready(self):
        from . import schema  # noqa: F401  (its GraphQL type, as an app's schema module does)
