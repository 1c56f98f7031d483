"""Compatibility shim for wagtail-localize (1.14): its translation editor's dates in the
admin's language, and drafts of live translations that stay drafts.

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

Drafts of live translations: ``TranslationSource.create_or_update_translation`` with
``publish=False`` (a translation saved as a draft) writes the translated fields into the
page's row with ``save()`` before it saves a revision. For a page that is already live that
row *is* what readers get, so a draft went live without anyone publishing it. It happens
whenever a page is sent for translation: wagtail-localize updates the translations of the
pages it refers to (an article's topics) as drafts, so a topic translator's unpublished
wording reached readers. ``create_or_update_translation`` below runs the upstream method
and then puts the live page's published content back (``with_content_json`` of what the row
held before, as Wagtail's own publishing restores a revision), keeping the new revision as
the page's draft ("Ändringar som inte publicerats"). New translations and publishing are
left to upstream.
"""

from django.core.exceptions import ObjectDoesNotExist
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from wagtail.models import Page
from wagtail_localize.models import StringTranslation, TranslationSource

#: wagtail-localize's own methods, kept for the tests that notice when they change.
UPSTREAM_GET_COMMENT = StringTranslation.get_comment
UPSTREAM_CREATE_OR_UPDATE = TranslationSource.create_or_update_translation


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


def create_or_update_translation(self, locale, user=None, publish=True, **kwargs):
    """Upstream's method; a draft of a page that is live stays out of the live row."""
    live = None
    if not publish:
        try:
            target = self.get_translated_instance(locale)
        except ObjectDoesNotExist:
            target = None
        if isinstance(target, Page) and target.live:
            live = (type(target), target.pk, target.serializable_data())
    if live is None:
        return UPSTREAM_CREATE_OR_UPDATE(self, locale, user=user, publish=publish, **kwargs)
    model, pk, published = live
    with transaction.atomic():
        result = UPSTREAM_CREATE_OR_UPDATE(self, locale, user=user, publish=False, **kwargs)
        # The row as upstream left it (its new draft revision, draft title, "unpublished
        # changes"), with the content readers had before.
        restored = model.objects.get(pk=pk).with_content_json(published)
        restored.save(clean=False)
    return result


def install():
    StringTranslation.get_comment = get_comment
    TranslationSource.create_or_update_translation = create_or_update_translation
