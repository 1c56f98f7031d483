"""The admin form every page type here builds on (``BasePage.base_form_class``)."""

import unicodedata

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm


class BasePageForm(WagtailAdminPageForm):
    """Every page's admin form: a slug typed with letters outside a-z is refused with a hint
    (``WAGTAIL_ALLOW_UNICODE_SLUGS`` off). In the browser the slug field already writes
    å, ä and ö as a, a and o while one types; this catches what gets past it. A page whose
    stored slug predates the rule keeps it."""

    def clean_slug(self):
        slug = self.cleaned_data.get("slug")
        allow_unicode = getattr(settings, "WAGTAIL_ALLOW_UNICODE_SLUGS", True)
        if slug and not allow_unicode and not slug.isascii() and slug != self.instance.slug:
            raise ValidationError(
                _(
                    "Use only the letters a-z, digits and hyphens in the slug: write å and ä "
                    "as a and ö as o, e.g. %(example)s."
                ),
                params={"example": slugify(unidecode_swedish(slug))},
                code="ascii_slug",
            )
        return slug


def unidecode_swedish(text):
    """Swedish (and most Latin) letters without their marks: 'Möte i Växjö' -> 'Mote i Vaxjo'."""
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
