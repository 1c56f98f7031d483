"""The project's URLs plus Wagtail's REST API v2 (benchmark comparison only)."""

from django.http import HttpResponse
from django.urls import path
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.views import PagesAPIViewSet

from cms.urls import urlpatterns as project_urlpatterns

api_router = WagtailAPIRouter("wagtailapi")
api_router.register_endpoint("pages", PagesAPIViewSet)


def floor_listing(request):
    """The ORM floor served through the same Django stack (middleware, request, response)
    as ``/graphql/``, so the ratio compares the work of the two paths, not the HTTP layer
    one of them skips."""
    from bench.measure import floor_listing as build

    return HttpResponse(build(request.get_host()), content_type="application/json")


urlpatterns = [
    path("api/v2/", api_router.urls),
    path("bench/floor/", floor_listing),
    *project_urlpatterns,
]
