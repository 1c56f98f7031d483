"""Compatibility shim for wagtail-localize (1.14): its translation editor's dates in the
admin's language.

Why it exists: under each translated segment the editor says who translated it and when,
"Translated manually on {date}" (``StringTranslation.get_comment``, served to the editor by
its page props and by the string API after each save). wagtail-localize formats that date
with Python's ``strftime`` and ``wagtail_localize.compat.DATE_FORMAT`` ("%-d %B %Y"), whose
month names are the C locale's: "Manuellt översatt på 3 December 2026" in the Swedish admin.
Nothing in wagtail-localize lets a project choose the format, so ``install()`` (called from
``CmsConfig.ready``) replaces that one method with the same one formatting the date with
Django's localised ``DATE_FORMAT`` in the admin user's time zone: "3 december 2026" in
Swedish, "Dec. 3, 2026" in English. The msgids are wagtail-localize's, so its catalogue
still serves other languages; ours words the Swedish ("Översatt manuellt den …").

``tests/cms/test_localize_compat.py`` fails when wagtail-localize changes the method this
replaces, so the copy is looked at again then (and dropped once upstream formats the date
with Django). The editor's heading ("svenska to engelska translation") is built in its
script and is translated by ``cms/static/cms/js/translation-editor.js``.
"""

from django.utils import formats, timezone
from django.utils.translation import gettext as _
from wagtail_localize.models import StringTranslation

#: wagtail-localize's own method, kept for the test that notices when it changes.
UPSTREAM_GET_COMMENT = StringTranslation.get_comment


def get_comment(self):
    """``StringTranslation.get_comment`` with the date in the admin's language."""
    date = formats.date_format(timezone.localtime(self.updated_at), "DATE_FORMAT")
    if self.tool_name:
        return _("Translated with {tool_name} on {date}").format(
            tool_name=self.tool_name, date=date
        )
    if self.translation_type == self.TRANSLATION_TYPE_MANUAL:
        return _("Translated manually on {date}").format(date=date)
    if self.translation_type == self.TRANSLATION_TYPE_MACHINE:
        return _("Machine translated on {date}").format(date=date)
    return None


def install():
    StringTranslation.get_comment = get_comment
