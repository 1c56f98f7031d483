"""Admin views of ours that replace one of a library's, at the library's own address."""

from django.utils.translation import gettext_lazy as _
from wagtail_localize.views.update_translations import (
    UpdateTranslationsForm,
    UpdateTranslationsView,
)


class DraftUpdateTranslationsForm(UpdateTranslationsForm):
    """wagtail-localize's "Sync translated pages" form without "Publish immediately".

    Publishing on sync puts the source's new, untranslated text live on every translation
    (its own help text says so). Here a sync only refreshes what translators have to
    translate; each translation goes live when its translator publishes it from the
    translation editor. The field stays, hidden and always false, because the library's view
    reads it; a hand-made POST that sets it changes nothing."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["publish_translations"]
        field.widget = field.hidden_widget()

    def clean_publish_translations(self):
        return False


class DraftUpdateTranslationsView(UpdateTranslationsView):
    """The library's view with ``DraftUpdateTranslationsForm`` and a note saying so."""

    template_name = "cms/admin/update_translations.html"
    draft_note = _(
        "The updates are saved for translation; nothing is published. Each translation goes "
        "live when a translator publishes it from the translation editor."
    )

    def get_form(self):
        if self.request.method == "POST":
            return DraftUpdateTranslationsForm(self.request.POST)
        return DraftUpdateTranslationsForm()
