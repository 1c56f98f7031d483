"""The admin's preview panel without a frontend: the API's own answer for the preview token,
rendered as a reader would see the page (``cms.preview`` calls it).

The page is read through the GraphQL endpoint itself (the same view, sanitising, language
rules and image renditions as any frontend gets), never from the model: what the panel shows
is what the API would serve. ``preview_page.graphql`` asks for every field a page type shows.
"""

import json
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.template.response import TemplateResponse
from django.test import RequestFactory

from .views import graphql_view

PREVIEW_QUERY = (Path(__file__).parent / "preview_page.graphql").read_text()


def api_answer(request, query, variables):
    """The endpoint's JSON answer to ``query``, asked as the editor (an editor's answers are
    private and spend no rate-limit budget) at the admin's address (``WAGTAILADMIN_BASE_URL``:
    image URLs in the answer are absolute, and the editor's browser loads them from there;
    Wagtail hands ``serve_preview`` a request made up from the site's hostname)."""
    admin = urlsplit(settings.WAGTAILADMIN_BASE_URL)
    inner = RequestFactory().post(
        "/graphql/",
        data=json.dumps({"query": query, "variables": variables}),
        content_type="application/json",
        HTTP_HOST=admin.netloc or request.get_host(),
        secure=admin.scheme == "https",
    )
    inner.user = request.user
    response = graphql_view(inner)
    return json.loads(response.content)


def render_with_api(page, request, token):
    answer = api_answer(request, PREVIEW_QUERY, {"token": token})
    data = (answer.get("data") or {}).get("page")
    return TemplateResponse(
        request,
        "cms/preview_page.html",
        {
            "page": data,
            "language": page.locale.language_code,
            "errors": [error.get("message") for error in answer.get("errors", [])],
        },
    )
