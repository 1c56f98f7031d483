"""Request ids on every log line, and the health check load balancers call."""

import contextvars
import re
import uuid

from django.core.cache import cache
from django.core.signals import request_finished
from django.db import connection
from django.dispatch import receiver
from django.http import JsonResponse

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
    """``/healthz`` (or ``/healthz/``): 200 when the database and the cache answer, 503
    otherwise; JSON, never cached.

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
        healthy = all(value == "ok" for value in checks.values())
        return JsonResponse(
            {"status": "ok" if healthy else "unhealthy", **checks},
            status=200 if healthy else 503,
            headers={"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"},
        )
