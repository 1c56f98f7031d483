from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebhooksConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "webhooks"
    verbose_name = _("Webhooks")

    def ready(self):
        from cms.api import invalidation

        from .dispatch import dispatch

        if dispatch not in invalidation.listeners:
            invalidation.listeners.append(dispatch)
