"""Request ids on every log line, the health check load balancers call, and admin views
in one transaction each."""

import contextvars
import logging
import re
import uuid

from django.core.cache import cache
from django.core.signals import request_finished
from django.db import connection, transaction
from django.dispatch import receiver
from django.http import HttpResponse, JsonResponse
from django.utils.html import escape
from django.utils.translation import gettext as _

logger = logging.getLogger("cms.admin")

request_id_var = contextvars.ContextVar("request_id", default="-")
VALID_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


class RequestIdMiddleware:
    """Takes the proxy's ``X-Request-ID`` (if well-formed) or makes one; logs carry it and
    the response returns it, so a client's error report can be found in the logs."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        request.request_id = incoming if VALID_ID.match(incoming) else uuid.uuid4().hex
        # Not reset on the way out: Django logs 4xx/5xx responses after the middleware
        # chain has returned, and those lines must carry the id too; it is cleared when the
        # response has been sent (request_finished).
        request_id_var.set(request.request_id)
        response = self.get_response(request)
        response["X-Request-ID"] = request.request_id
        return response


@receiver(request_finished)
def clear_request_id(**kwargs):
    request_id_var.set("-")


HEALTH_PATHS = frozenset({"/healthz", "/healthz/"})


class HealthCheckMiddleware:
    """``/healthz`` (or ``/healthz/``): JSON, never cached. 200 ``"ok"`` when the database
    and the cache answer; 200 ``"degraded"`` when only the cache fails; 503 ``"unhealthy"``
    when the database fails.

    A cache outage is reported, not failed: the API keeps answering from the database
    (``cms.api.cache``), and every app server shares the one Redis, so a 503 there would make
    a load balancer take every server out of rotation at once and turn a slower site into
    no site. Monitoring alerts on ``"status": "degraded"``; the failing check is named.

    Answered before host validation, sessions and language redirects, because load balancers
    call it by IP; placed after SecurityMiddleware, which adds HSTS on https.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path not in HEALTH_PATHS:
            return self.get_response(request)
        checks = {}
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1")
                cursor.fetchone()
            checks["database"] = "ok"
        except Exception as error:  # noqa: BLE001 - any failure means unhealthy
            checks["database"] = f"error: {type(error).__name__}"
        try:
            key = f"healthz:{uuid.uuid4().hex}"
            cache.set(key, "1", 10)
            checks["cache"] = "ok" if cache.get(key) == "1" else "error: read back failed"
            cache.delete(key)
        except Exception as error:  # noqa: BLE001
            checks["cache"] = f"error: {type(error).__name__}"
        if checks["database"] != "ok":
            status = "unhealthy"
        elif checks["cache"] != "ok":
            status = "degraded"
        else:
            status = "ok"
        return JsonResponse(
            {"status": status, **checks},
            status=503 if status == "unhealthy" else 200,
            headers={"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"},
        )


class AdminTransactionMiddleware:
    """Each admin view runs in one database transaction, so a change whose cache
    invalidation cannot be reserved (``cms.api.cache.CacheUnavailable``: Redis down,
    refusing or too slow) is rolled back as a whole, and the editor is told so in their
    language (HTTP 503), instead of a change committed while other app servers keep
    serving the old answers (``docs/caching.md``). Place it last: it calls the view."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not request.path.startswith("/admin/"):
            return None
        from cms.api.cache import CacheUnavailable

        try:
            with transaction.atomic():
                return view_func(request, *view_args, **view_kwargs)
        except CacheUnavailable:
            logger.error("Admin change refused: the cache did not take its invalidation")
            message = _(
                "Your change was not saved: the cache server is not answering, so the "
                "published site could not be told about it. Nothing was changed. Go back "
                "with your browser's back button to keep what you wrote, and try again "
                "in a minute."
            )
            heading = _("Not saved")
            return HttpResponse(
                f"<!doctype html><title>503</title><main style='font-family:sans-serif;"
                f"max-width:40em;margin:4em auto'><h1>{heading}</h1>"
                f"<p>{escape(message)}</p></main>",
                status=503,
                headers={"Retry-After": "30", "Cache-Control": "no-store"},
            )


class ApiHeadersMiddleware:
    """The headers of API answers that the middleware inside it would get wrong.

    An answer of ``/graphql/`` depends on the query, its variables and the host, never on
    the reader's ``Accept-Language`` (the language is an argument) or cookies (an editor's
    session only makes the answer ``private, no-store``): ``Vary: Accept-Language, Cookie``,
    which LocaleMiddleware and SessionMiddleware add, would split every CDN's cache by
    browser language and cookie. And ``Content-Language`` is the language actually served
    (``en, sv`` for an English list with Swedish fallback pages), not the admin's default;
    an answer without content in a language (an error) has none. Placed outside both.
    """

    DROPPED_VARY = {"accept-language", "cookie"}

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        languages = getattr(response, "content_languages", None)
        if languages is None:
            return response  # not an API answer
        if languages:
            response["Content-Language"] = languages
        elif "Content-Language" in response:
            del response["Content-Language"]
        if response.has_header("Vary"):
            kept = [
                value.strip()
                for value in response["Vary"].split(",")
                if value.strip() and value.strip().lower() not in self.DROPPED_VARY
            ]
            if kept:
                response["Vary"] = ", ".join(kept)
            else:
                del response["Vary"]
        return response
