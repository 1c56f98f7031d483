"""Headless preview: what an editor sees in the admin's preview panel as they type, and the
signed, expiring tokens that open it.

Each refresh of the panel (Wagtail's live preview posts the form, saved or not) stores a
``PreviewSnapshot`` of the page as the form has it and signs a token for it. Then either

- a frontend is configured (``PREVIEW_URL``, else ``FRONTEND_URL`` + ``/api/preview``): the
  panel shows the frontend's preview URL (``?token=...``) in its frame, with a link to open
  it in a tab; the frontend asks ``page(previewToken:)`` for the snapshot; or
- none is: the panel renders the API's own answer for that token (the renderer the project
  package registers, ``cms.preview_views``): one source of truth, no second content path.

Tokens are signed with SECRET_KEY (they cannot be forged or altered) and expire after
``CMS_PREVIEW["MAX_AGE"]`` seconds (one hour at most); snapshots are never listed. Tokens of
a saved revision (``make_preview_token``) open that revision. This module is content rules
only: the admin and the API both read it.
"""

from datetime import timedelta
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.module_loading import import_string
from wagtail.models import Revision

from .models import PreviewSnapshot

SALT = "cms.preview"
MAX_AGE_LIMIT = 3600


class InvalidPreviewToken(ValueError):
    """A token that cannot open a preview; its message is meant for the person who asked."""


def max_age():
    return min(
        int(getattr(settings, "CMS_PREVIEW", {}).get("MAX_AGE", MAX_AGE_LIMIT)), MAX_AGE_LIMIT
    )


def make_preview_token(revision):
    """A token for a saved revision."""
    return signing.dumps({"r": revision.pk, "o": str(revision.object_id)}, salt=SALT, compress=True)


def snapshot_token(page):
    """A token for the page as it is in memory now (the admin form's state, saved or not)."""
    PreviewSnapshot.objects.filter(
        created_at__lt=timezone.now() - timedelta(seconds=MAX_AGE_LIMIT)
    ).delete()
    snapshot = PreviewSnapshot.objects.create(
        content_type=ContentType.objects.get_for_model(page.specific_class or type(page)),
        page_id=page.pk,
        content=page.serializable_data(),
    )
    return signing.dumps({"s": snapshot.pk}, salt=SALT, compress=True)


def frontend_preview_base(language_code):
    """The frontend's preview endpoint for a language, or None when there is no frontend."""
    urls = getattr(settings, "CMS_PREVIEW", {}).get("URLS", {})
    return urls.get(language_code) or urls.get("default") or None


def preview_url(page, token):
    """The frontend URL that previews ``token``; None when no frontend is configured."""
    base = frontend_preview_base(page.locale.language_code)
    if not base:
        return None
    separator = "&" if "?" in base else "?"
    return f"{base}{separator}{urlencode({'token': token})}"


_renderer = None


def register_renderer(dotted_path):
    """``renderer(page, request, token)``, by dotted path, answers the preview panel when no
    frontend is configured; the project package registers it (the core cannot import the
    API)."""
    global _renderer
    _renderer = dotted_path


def render_preview(page, request):
    """The preview panel's answer for ``page`` (see the module docstring)."""
    token = snapshot_token(page)
    url = preview_url(page, token)
    if url is None and _renderer is not None:
        return import_string(_renderer)(page, request, token)
    return TemplateResponse(
        request,
        "cms/headless_preview.html",
        {"page": page, "url": url, "minutes": max_age() // 60},
    )


def page_from_token(token):
    """The page a token opens, as it was when the token was made (a snapshot or a saved
    revision), or ``InvalidPreviewToken`` (see ``revision_from_token``)."""
    data = _payload(token)
    if isinstance(data, dict) and set(data) == {"s"}:
        if type(data["s"]) is int and 0 < data["s"] < 2**63:
            snapshot = PreviewSnapshot.objects.select_related("content_type").filter(pk=data["s"])
            snapshot = snapshot.first()
            if snapshot is not None:
                return snapshot.as_page()
        raise InvalidPreviewToken("Invalid preview token: the preview no longer exists.")
    return _revision(data).as_object()


def _payload(token):
    if not isinstance(token, str) or len(token) > 1000:
        raise InvalidPreviewToken("Invalid preview token.")
    try:
        data = signing.loads(token, salt=SALT, max_age=max_age())
    except signing.SignatureExpired:
        raise InvalidPreviewToken(
            "The preview token has expired; open the preview again."
        ) from None
    except signing.BadSignature:
        raise InvalidPreviewToken("Invalid preview token.") from None
    return data


def revision_from_token(token):
    """The page revision a token opens, or ``InvalidPreviewToken``: forged, expired, of the
    wrong shape (a signed payload of other types is refused, never an internal error), or
    for a revision that no longer exists."""
    return _revision(_payload(token))


def _revision(data):
    well_formed = (
        isinstance(data, dict)
        and type(data.get("r")) is int
        and 0 < data["r"] < 2**31
        and isinstance(data.get("o"), str)
        and len(data["o"]) <= 255
    )
    revision = (
        Revision.page_revisions.filter(pk=data["r"], object_id=data["o"]).first()
        if well_formed
        else None
    )
    if revision is None:
        raise InvalidPreviewToken("Invalid preview token: the revision no longer exists.")
    return revision
