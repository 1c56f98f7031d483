"""Headless preview: signed, expiring tokens pinned to one revision.

The admin's preview panel shows the frontend's preview URL for the page's latest saved
revision (``?token=...``); the frontend asks ``page(previewToken: ...)`` and gets exactly
that revision, live or not. Tokens are signed with SECRET_KEY (so they cannot be forged or
altered) and expire after ``CMS_PREVIEW["MAX_AGE"]`` seconds (one hour at most).
"""

from urllib.parse import urlencode

from django.conf import settings
from django.core import signing
from wagtail.models import Revision

from cms.graphql_errors import UserInputError

from .context import mark

SALT = "cms.preview"
MAX_AGE_LIMIT = 3600


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


def page_from_preview_token(info, token):
    from .context import ApiContext

    ApiContext.of(info).cacheable = False
    if not isinstance(token, str) or len(token) > 1000:
        raise UserInputError("Invalid preview token.")
    try:
        data = signing.loads(token, salt=SALT, max_age=max_age())
    except signing.SignatureExpired:
        raise UserInputError("The preview token has expired; open the preview again.") from None
    except signing.BadSignature:
        raise UserInputError("Invalid preview token.") from None
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
        raise UserInputError("Invalid preview token: the revision no longer exists.")
    from .context import ApiContext

    ApiContext.of(info).cacheable = False  # previews are private and never cached
    page = revision.as_object()
    mark([page], page.locale.language_code)
    return page
