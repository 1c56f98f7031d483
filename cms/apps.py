from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CmsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "cms"
    verbose_name = _("CMS")

    def ready(self):
        from . import versions  # noqa: F401  (keeps ShownVersion current)
        from .api import invalidation  # noqa: F401  (connects the cache invalidation signals)
        from .localize_compat import install as install_localize_compat
        from .preview import register_renderer

        install_localize_compat()  # wagtail-localize's editor dates in the admin's language

        # By path: importing it now would build the root schema before later apps register
        # their page types.
        register_renderer("cms.preview_views.render_with_api")
