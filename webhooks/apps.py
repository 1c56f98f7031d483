from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebhooksConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "webhooks"
    verbose_name = _("Webhooks")

    def ready(self):
        from cms.signals import content_changed

        from .dispatch import dispatch

        content_changed.connect(dispatch, dispatch_uid="webhooks.dispatch")
