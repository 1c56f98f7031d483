"""Headless preview tokens: signed, expiring, pinned to one revision.

The admin's preview panel shows the frontend's preview URL for the page's latest saved
revision (``?token=...``); the frontend asks ``page(previewToken: ...)`` and gets exactly
that revision, live or not (``cms.api.preview``). Tokens are signed with SECRET_KEY (so they
cannot be forged or altered) and expire after ``CMS_PREVIEW["MAX_AGE"]`` seconds (one hour
at most). This module is content rules only: the admin and the API both read it.
"""

from urllib.parse import urlencode

from django.conf import settings
from django.core import signing
from wagtail.models import Revision

SALT = "cms.preview"
MAX_AGE_LIMIT = 3600


class InvalidPreviewToken(ValueError):
    """A token that cannot open a preview; its message is meant for the person who asked."""


def max_age():
    return min(
        int(getattr(settings, "CMS_PREVIEW", {}).get("MAX_AGE", MAX_AGE_LIMIT)), MAX_AGE_LIMIT
    )


def make_preview_token(revision):
    return signing.dumps({"r": revision.pk, "o": str(revision.object_id)}, salt=SALT, compress=True)


def preview_url(page, revision):
    """The frontend URL an editor opens to preview this revision."""
    code = page.locale.language_code
    urls = getattr(settings, "CMS_PREVIEW", {}).get("URLS", {})
    base = (
        urls.get(code) or urls.get("default") or f"{settings.WAGTAILADMIN_BASE_URL}/preview/{code}/"
    )
    separator = "&" if "?" in base else "?"
    return f"{base}{separator}{urlencode({'token': make_preview_token(revision)})}"


def revision_from_token(token):
    """The page revision a token opens, or ``InvalidPreviewToken``: forged, expired, of the
    wrong shape (a signed payload of other types is refused, never an internal error), or
    for a revision that no longer exists."""
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
