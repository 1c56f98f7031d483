"""URL configuration: the admin, GraphQL and Wagtail's page routes under a language prefix."""

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.admin.auth import require_admin_access
from wagtail.documents import urls as wagtaildocs_urls

from .admin_views import DraftUpdateTranslationsView
from .views import graphql_view

urlpatterns = [
    path("django-admin/", admin.site.urls),
    # Before Wagtail's admin: replaces wagtail-localize's view at its address (see the view).
    path(
        "admin/localize/update/<int:translation_source_id>/",
        require_admin_access(DraftUpdateTranslationsView.as_view()),
        name="cms_update_translations",
    ),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("graphql/", graphql_view, name="graphql"),
]

if settings.DEBUG:
    from django.conf.urls.static import static
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Page URLs always carry the language: /sv/nyheter/..., /en/news/...
urlpatterns += i18n_patterns(path("", include(wagtail_urls)), prefix_default_language=True)
