from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CmsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "cms"
    verbose_name = _("CMS")

    def ready(self):
        from . import versions  # noqa: F401  (keeps ShownVersion current)
        from .api import invalidation  # noqa: F401  (connects the cache invalidation signals)
        from .preview import register_renderer
        from .preview_views import render_with_api

        register_renderer(render_with_api)
