"""The /graphql/ endpoint: GraphQL over HTTP (GET and POST), with request limits.

Written on graphql-core directly (rather than graphene-django's view) to control every
status code: a bad request of any kind (malformed body, batching, oversized body, too many
tokens, invalid query, limits, bad arguments) is HTTP 400 with a GraphQL error; an
unexpected exception is logged with its trace and reported as a generic error carrying a
request id, never its internal text (unless DEBUG).
"""

import hashlib
import json
import logging
import re
import threading
import uuid

from django.conf import settings
from django.core.signals import request_started
from django.db import connection
from django.dispatch import receiver
from django.http import HttpResponse, HttpResponseNotModified, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import render
from django.utils import timezone
from django.utils.cache import parse_etags, patch_vary_headers
from django.views import View
from django.views.decorators.csrf import csrf_exempt
from graphql import (
    ExecutionResult,
    GraphQLError,
    OperationType,
    execute,
    get_operation_ast,
    parse,
    specified_rules,
    validate,
)
from graphql.validation import NoSchemaIntrospectionCustomRule

from cms.graphql_errors import UserInputError
from cms.versions import next_change

from . import cache, ratelimit
from . import tags as cache_tags
from .arguments import api_setting
from .context import execution_scope
from .execution import LeanExecutionContext
from .limits import QueryLimitsRule
from .pricing import prescan_errors, price_errors

logger = logging.getLogger("cms.api")

DEFAULT_QUERY = """{
  site(locale: "sv") { name locales menu { title url } }
  newsArticles(locale: "sv", limit: 5) {
    totalCount
    items { title url isFallback ... on NewsArticlePage { date intro } }
  }
}
"""


def has_nul(value):
    """True when a string anywhere in the value holds NUL, also as a \\u0000 escape."""
    if isinstance(value, str):
        return "\x00" in value or "\\u0000" in value
    if isinstance(value, dict):
        return any(has_nul(key) or has_nul(item) for key, item in value.items())
    if isinstance(value, list):
        return any(has_nul(item) for item in value)
    return False


SURROGATE = re.compile("[\ud800-\udfff]")


def lone_surrogate(value):
    """The first lone surrogate (U+D800 to U+DFFF: half of a UTF-16 pair, which JSON can
    carry as ``"\\ud800"`` but no UTF-8 text can hold) in a string anywhere in the value."""
    if isinstance(value, str):
        match = SURROGATE.search(value)
        return match.group() if match else None
    if isinstance(value, dict):
        items = [*value.keys(), *value.values()]
    elif isinstance(value, list):
        items = value
    else:
        return None
    return next((found for item in items if (found := lone_surrogate(item))), None)


def refuse_surrogates(value):
    surrogate = lone_surrogate(value)
    if surrogate is not None:
        raise BadRequest(
            f"Strings must be valid Unicode: a lone surrogate (U+{ord(surrogate):04X}) is "
            "half of a UTF-16 pair and not a character.",
            code="BAD_USER_INPUT",
        )


class PersistedQueryNotFound(Exception):
    pass


APQ_PREFIX = "gql:apq:"


def persisted_query(query, extensions):
    """Resolve Apollo-style persisted queries.

    ``extensions.persistedQuery.sha256Hash`` without a query: the registered or previously
    sent document with that hash, else PersistedQueryNotFound. With a query: the hash must
    match it, and the document is remembered for later hash-only requests. In allow-list
    mode (``PERSISTED_QUERIES_ONLY``) only documents registered in the database run.
    """
    from cms.models import PersistedQuery

    if isinstance(extensions, str):
        try:
            extensions = json.loads(extensions)
        except ValueError:
            raise BadRequest("extensions must be a JSON object.") from None
    if extensions is not None and not isinstance(extensions, dict):
        raise BadRequest("extensions must be a JSON object.")
    persisted = (extensions or {}).get("persistedQuery")
    only_registered = api_setting("PERSISTED_QUERIES_ONLY")
    digest = None
    if persisted is not None:
        if not isinstance(persisted, dict) or persisted.get("version") != 1:
            raise BadRequest("persistedQuery must be {version: 1, sha256Hash: ...}.")
        digest = persisted.get("sha256Hash")
        if not isinstance(digest, str) or not re.fullmatch(r"[0-9a-f]{64}", digest):
            raise BadRequest("sha256Hash must be 64 lowercase hexadecimal characters.")
    if query is None and digest is not None:
        registered = (
            PersistedQuery.objects.filter(sha256=digest).values_list("query", flat=True).first()
        )
        if registered is None and not only_registered:
            try:
                registered = cache.backend().get(APQ_PREFIX + digest)
            except Exception:  # noqa: BLE001 - no cache: the client sends the text again
                registered = None
        if registered is None:
            raise PersistedQueryNotFound()
        return registered
    if query is None:
        return None
    actual = hashlib.sha256(query.encode("utf-8")).hexdigest()
    if digest is not None and digest != actual:
        raise BadRequest("provided sha256Hash does not match the query.")
    if only_registered:
        if not PersistedQuery.objects.filter(sha256=actual).exists():
            raise BadRequest("Only registered persisted queries are allowed.")
    elif digest is not None:
        # Remembered once the document parsed and validated (``remember_persisted``): a
        # hash must never name a document that cannot run.
        return PendingPersisted(query, digest)
    return query


class PendingPersisted(str):
    """A query text sent with its hash, to remember once it validates."""

    def __new__(cls, query, digest):
        text = super().__new__(cls, query)
        text.digest = digest
        return text


def remember_persisted(query):
    digest = getattr(query, "digest", None)
    if digest is not None:
        try:
            cache.backend().set(APQ_PREFIX + digest, str(query), cache.cache_settings()["TIMEOUT"])
        except Exception:  # noqa: BLE001 - the cache is an optimisation; the query still runs
            logger.warning("Could not remember persisted query %s", digest, exc_info=True)


class BadRequest(Exception):
    def __init__(self, message, code="BAD_REQUEST"):
        super().__init__(message)
        self.message = message
        self.code = code


def error_response(message, status=400, code="BAD_REQUEST", extensions=None, headers=None):
    response = JsonResponse(
        {"errors": [{"message": message, "extensions": {"code": code, **(extensions or {})}}]},
        status=status,
        headers={"Cache-Control": "no-store", **(headers or {})},
    )
    response.content_languages = ""  # no content in any language (ApiHeadersMiddleware)
    return response


def introspection_allowed():
    return api_setting("INTROSPECTION", settings.DEBUG)


def graphiql_allowed():
    return api_setting("GRAPHIQL", settings.DEBUG)


def _never_awaitable(value):
    return False


DOCUMENTS = {}
DOCUMENTS_MAX = 256
DOCUMENTS_LOCK = threading.Lock()


def checked_document(schema, query):
    """The parsed and validated document of a query text, and its errors.

    Parsing and validating a listing's document costs several milliseconds of Python on
    every request, for the same few texts a frontend sends: valid documents are kept per
    process (at most ``DOCUMENTS_MAX``, the least recently used leave first), keyed by the
    text and the settings that validation depends on. graphql-core never mutates a
    document while executing it, so one can be shared by requests.
    """
    limits = getattr(settings, "CMS_API", {})
    key = (query, introspection_allowed(), repr(sorted(limits.items())), id(schema))
    with DOCUMENTS_LOCK:
        document = DOCUMENTS.pop(key, None)
        if document is not None:
            DOCUMENTS[key] = document  # most recently used last
            return document, None
    errors = prescan_errors(query)  # before parsing, which costs 20 µs a token
    if errors:
        return None, errors
    try:
        document = parse(query, max_tokens=api_setting("MAX_TOKENS"))
    except GraphQLError as error:
        return None, [error]
    # Priced before any validation rule sees it: some rules cost the square of the fields.
    errors = price_errors(schema, document)
    if errors:
        return None, errors
    rules = [*specified_rules, QueryLimitsRule]
    if not introspection_allowed():
        rules.append(NoSchemaIntrospectionCustomRule)
    errors = validate(schema, document, rules, max_errors=20)
    if errors:
        return None, errors
    with DOCUMENTS_LOCK:
        DOCUMENTS[key] = document
        while len(DOCUMENTS) > DOCUMENTS_MAX:
            DOCUMENTS.pop(next(iter(DOCUMENTS)))
    return document, None


def apply_statement_timeout():
    """PostgreSQL stops any statement of an API request after ``STATEMENT_TIMEOUT_MS``
    (default 5000; 0 turns it off), so no document can hold a worker until the server kills
    it. Set once per database connection (a second request on the same connection pays
    nothing); every other request (the admin, whose publishing of a large section may
    rightly take longer) lifts it again (``lift_for_other_requests``)."""
    limit = int(api_setting("STATEMENT_TIMEOUT_MS"))
    if connection.vendor != "postgresql":
        return
    connection.ensure_connection()
    raw = connection.connection
    if getattr(raw, "_cms_statement_timeout", None) == limit:
        return
    with connection.cursor() as cursor:
        cursor.execute(f"SET statement_timeout = {limit}")
    raw._cms_statement_timeout = limit


def lift_statement_timeout():
    """Back to the server's default for this connection (the admin; see above)."""
    if connection.vendor != "postgresql" or connection.connection is None:
        return
    raw = connection.connection
    if getattr(raw, "_cms_statement_timeout", None) in (None, 0):
        return
    with connection.cursor() as cursor:
        cursor.execute("RESET statement_timeout")
    raw._cms_statement_timeout = None


@receiver(request_started)
def lift_for_other_requests(sender, environ=None, **kwargs):
    if environ is not None and not environ.get("PATH_INFO", "").startswith("/graphql"):
        lift_statement_timeout()


def timed_out(exception):
    """Whether PostgreSQL cancelled a statement for its ``statement_timeout``."""
    while exception is not None:
        if type(exception).__name__ == "QueryCanceled":
            return True
        exception = exception.__cause__
    return False


def expiry_seconds(context, tags):
    """How long the answer may be kept (None: the cache's own lifetime): until the first
    page in it expires, and, for an answer made from a list, until the next go-live or
    expiry on any list (``cms.versions.next_change``)."""
    moments = []
    if context is not None and context.expires_at is not None:
        moments.append(context.expires_at)
    if not cache_tags.SCHEDULED_LISTS.isdisjoint(tags):
        moments.append(next_change())
    moments = [moment for moment in moments if moment is not None]
    if not moments:
        return None
    return (min(moments) - timezone.now()).total_seconds()


GRAPHQL_RESPONSE = "application/graphql-response+json"


def wants_graphql_response(request):
    """Whether the client asked for the GraphQL-over-HTTP media type (and prefers it to
    ``application/json``). A client that names neither, or sends ``*/*``, gets JSON as
    before: the spec's advice for clients that predate it."""
    accept = request.headers.get("Accept", "")
    return GRAPHQL_RESPONSE in accept and (
        request.get_preferred_type([GRAPHQL_RESPONSE, "application/json"]) == GRAPHQL_RESPONSE
    )


def as_graphql_response(response):
    """An answer in ``application/graphql-response+json``, with the spec's status codes:
    a request that could not run (unparsable, invalid, refused) stays 4xx; one that ran
    and has ``data`` is 200 even when a field failed on bad input (``errors`` says which;
    with ``application/json`` such an answer is a 400, as it always was here)."""
    response["Content-Type"] = f"{GRAPHQL_RESPONSE}; charset=utf-8"
    if response.status_code == 400:
        try:
            body = json.loads(response.content)
        except ValueError:
            return response
        if body.get("data") is not None:
            response.status_code = 200
    return response


class GraphQLView(View):
    """Read-only GraphQL endpoint; no cookies authorise writes, so CSRF does not apply.

    Answers ``application/json`` (the default) or, when the client's ``Accept`` asks for
    it, ``application/graphql-response+json`` (GraphQL over HTTP); either way caches are
    told the answer varies with ``Accept``."""

    schema = None

    @classmethod
    def as_view(cls, **initkwargs):
        return csrf_exempt(super().as_view(**initkwargs))

    def dispatch(self, request, *args, **kwargs):
        response = super().dispatch(request, *args, **kwargs)
        is_json = response.get("Content-Type", "").startswith("application/json")
        if is_json or response.status_code == 304:
            patch_vary_headers(response, ["Accept"])
        if is_json and wants_graphql_response(request):
            as_graphql_response(response)
        return response

    def get(self, request):
        wants_ide = "query" not in request.GET and "extensions" not in request.GET
        if wants_ide and graphiql_allowed() and self.wants_html(request):
            return render(
                request,
                "cms/graphiql.html",
                {
                    "endpoint": request.path,
                    "default_query": DEFAULT_QUERY,
                    "site_name": settings.WAGTAIL_SITE_NAME,
                },
            )
        params = {
            "query": request.GET.get("query"),
            "variables": request.GET.get("variables"),
            "operationName": request.GET.get("operationName"),
            "extensions": request.GET.get("extensions"),
        }
        return self.respond(request, params, method="GET")

    def post(self, request):
        max_bytes = api_setting("MAX_BODY_BYTES")
        length = request.META.get("CONTENT_LENGTH") or "0"
        try:
            too_big = int(length) > max_bytes
        except ValueError:
            too_big = True
        if too_big or len(request.body) > max_bytes:
            return error_response(f"The request body is larger than {max_bytes} bytes.")
        content_type = request.content_type or ""
        if content_type == "application/graphql":
            params = {"query": request.body.decode("utf-8", "replace")}
        elif content_type in ("application/json", ""):
            try:
                params = json.loads(request.body or b"null")
            except (ValueError, UnicodeDecodeError):
                return error_response("The request body is not valid JSON.")
            if isinstance(params, list):
                return error_response("Batched requests are not supported; send one operation.")
            if not isinstance(params, dict):
                return error_response("The request body must be a JSON object with a 'query'.")
        elif content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
            try:
                params = request.POST.dict()
            except MultiPartParserError as error:
                return error_response(f"The multipart body cannot be read: {error}")
        else:
            return error_response(
                f"Unsupported content type {content_type!r}; use application/json."
            )
        return self.respond(request, params, method="POST")

    def http_method_not_allowed(self, request, *args, **kwargs):
        response = error_response("GraphQL supports GET and POST requests only.", status=405)
        response["Allow"] = "GET, POST"
        return response

    @staticmethod
    def wants_html(request):
        accept = request.headers.get("Accept", "")
        return "text/html" in accept

    def respond(self, request, params, method):
        try:
            query, variables, operation_name = self.read_params(params)
        except PersistedQueryNotFound:
            # Apollo's convention: the client then sends the text with the hash.
            return JsonResponse(
                {
                    "errors": [
                        {
                            "message": "PersistedQueryNotFound",
                            "extensions": {"code": "PERSISTED_QUERY_NOT_FOUND"},
                        }
                    ]
                },
                status=200,
                headers={"Cache-Control": "no-store"},
            )
        except BadRequest as error:
            return error_response(error.message, code=error.code)
        settings_ = cache.cache_settings()
        # Absolute image URLs are built from the request's scheme and host: part of the key.
        origin = request.build_absolute_uri("/")
        key = (
            cache.response_key(query, variables, operation_name, origin)
            if settings_["ENABLED"]
            else None
        )
        if key is not None:
            entry = cache.lookup(key)
            if entry is not None:
                remember_persisted(query)  # a stored answer's document validated
                remaining = entry["expires"] - cache.now() if entry.get("expires") else None
                response = self.finish(
                    request, entry["body"], 200, entry["tags"], method, True, True, remaining
                )
                response.content_languages = entry["headers"].get("Content-Language", "")
                return response
            started = cache.clock()
        try:
            result = self.run(request, query, variables, operation_name, method)
        except BadRequest as error:
            return error_response(error.message)
        except ratelimit.RateLimited as limited:
            return error_response(
                limited.message,
                status=429,
                code="RATE_LIMITED",
                extensions={"retryAfter": limited.retry_after},
                headers={"Retry-After": str(limited.retry_after)},
            )
        status = 200
        payload = {}
        if result.errors:
            payload["errors"] = [self.format_error(request, error) for error in result.errors]
            if any(self.is_client_error(error) for error in result.errors):
                status = 400
            elif result.data is None:
                status = 500  # a bug of ours, logged with its traceback
        if result.data is not None:
            payload["data"] = result.data
        body = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
        max_bytes = api_setting("MAX_RESPONSE_BYTES")
        if len(body) > max_bytes:
            return error_response(
                f"The answer is {len(body):,} characters long; the limit is {max_bytes:,}. "
                "Ask for smaller pages (limit) or fewer fields.",
                code="RESPONSE_TOO_LARGE",
            )
        context = getattr(request, "_cms_api", None)
        tags = context.tags if context is not None else set()
        # An answer with an error (even beside data) is never kept or shared by a cache.
        cacheable = (context is None or context.cacheable) and not result.errors
        max_seconds = expiry_seconds(context, tags) if cacheable and status == 200 else None
        languages = ", ".join(context.content_languages()) if context is not None else ""
        if key is not None and status == 200 and not result.errors and cacheable:
            cache.store(key, body, {"Content-Language": languages}, tags, started, max_seconds)
        response = self.finish(
            request, body, status, tags, method, cacheable, max_seconds=max_seconds
        )
        response.content_languages = languages
        return response

    def finish(self, request, body, status, tags, method, cacheable, hit=False, max_seconds=None):
        """The HTTP response: ETag and 304, Cache-Control, and the tags for CDNs."""
        settings_ = cache.cache_settings()
        response = HttpResponse(body, status=status, content_type="application/json")
        response["X-Cache"] = "HIT" if hit else "MISS"
        if status != 200:
            response["Cache-Control"] = "no-store"
            return response
        etag = '"' + hashlib.sha256(body.encode("utf-8")).hexdigest()[:40] + '"'
        response["ETag"] = etag
        editor = request.user.is_authenticated if hasattr(request, "user") else False
        if not cacheable or editor:
            response["Cache-Control"] = "private, no-store"
            return response
        if method == "GET":
            max_age, s_maxage = settings_["MAX_AGE"], settings_["S_MAXAGE"]
            if max_seconds is not None:  # a page in the response expires before then
                max_age = max(0, min(max_age, int(max_seconds)))
                s_maxage = max(0, min(s_maxage, int(max_seconds)))
            response["Cache-Control"] = f"public, max-age={max_age}, s-maxage={s_maxage}"
        else:
            response["Cache-Control"] = "no-cache"
        if tags:
            response["Cache-Tag"] = cache.header_value(tags, ",")
            response["Surrogate-Key"] = cache.header_value(tags, " ")
        # If-None-Match uses the weak comparison (RFC 9110 13.1.2): W/"x" matches "x".
        candidates = {
            tag.removeprefix("W/") for tag in parse_etags(request.headers.get("If-None-Match", ""))
        }
        if method == "GET" and (etag in candidates or "*" in candidates):
            not_modified = HttpResponseNotModified()
            for header in ("ETag", "Cache-Control", "Cache-Tag", "Surrogate-Key", "X-Cache"):
                if header in response:
                    not_modified[header] = response[header]
            return not_modified
        return response

    @staticmethod
    def read_params(params):
        refuse_surrogates(params)
        query = params.get("query")
        if query is not None and not isinstance(query, str):
            raise BadRequest("query must be a string.")
        query = persisted_query(query, params.get("extensions"))
        if not query:
            raise BadRequest("Must provide a query string.")
        variables = params.get("variables")
        if isinstance(variables, str):
            try:
                variables = json.loads(variables) if variables.strip() else None
            except ValueError:
                raise BadRequest("variables must be a JSON object.") from None
        if variables is not None and not isinstance(variables, dict):
            raise BadRequest("variables must be a JSON object.")
        refuse_surrogates(variables)  # a GET's variables are JSON text until here
        operation_name = params.get("operationName") or None
        if operation_name is not None and not isinstance(operation_name, str):
            raise BadRequest("operationName must be a string.")
        if has_nul(query) or has_nul(variables) or has_nul(operation_name):
            # No database stores NUL in text; refuse it here rather than fail there.
            raise BadRequest("Strings must not contain NUL characters.", code="BAD_USER_INPUT")
        return query, variables, operation_name

    def run(self, request, query, variables, operation_name, method):
        schema = self.schema.graphql_schema
        document, errors = checked_document(schema, str(query))
        if errors:
            return ExecutionResult(data=None, errors=errors)
        remember_persisted(query)
        operation = get_operation_ast(document, operation_name)
        if operation is None:
            raise BadRequest("Unknown or ambiguous operationName.")
        if operation.operation != OperationType.QUERY:
            raise BadRequest("Only queries are supported.")
        ratelimit.charge(request, ratelimit.cost(document, operation))
        apply_statement_timeout()
        with execution_scope(request):
            return execute(
                schema,
                document,
                context_value=request,
                variable_values=variables,
                operation_name=operation_name,
                # No resolver of ours is async: skip graphql-core's awaitable check per value.
                is_awaitable=_never_awaitable,
                execution_context_class=LeanExecutionContext,
            )

    @staticmethod
    def is_client_error(error):
        """Parse, validation, variable and argument errors are the client's, and so is a
        query the database stopped for running too long; any other exception is ours."""
        original = getattr(error, "original_error", None)
        return original is None or isinstance(original, GraphQLError) or timed_out(original)

    @staticmethod
    def format_error(request, error):
        original = getattr(error, "original_error", None)
        if timed_out(original):
            limit = api_setting("STATEMENT_TIMEOUT_MS")
            return {
                "message": f"The query took longer than the API allows ({limit} ms per "
                "database statement); ask for less, or narrow a search.",
                "path": error.path,
                "extensions": {"code": "QUERY_TIMEOUT"},
            }
        if original is None or isinstance(original, (UserInputError, GraphQLError)):
            formatted = error.formatted
            if isinstance(original, UserInputError):
                formatted["extensions"] = original.extensions
            return formatted
        request_id = getattr(request, "request_id", None) or uuid.uuid4().hex
        logger.error(
            "GraphQL resolver failed (request %s, path %s)",
            request_id,
            error.path,
            exc_info=(type(original), original, original.__traceback__),
        )
        message = str(original) if settings.DEBUG else "Internal server error."
        return {
            "message": message,
            "path": error.path,
            "extensions": {"code": "INTERNAL_SERVER_ERROR", "requestId": request_id},
        }
