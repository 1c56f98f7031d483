"""Choosers for grant data in the announcement form: find a recipient or partner as one
types, and create a missing one without leaving the page.

Wagtail's snippet chooser searches only models in its search index; recipients and partners
are short lists of proper nouns, so the chooser matches them itself: every word must occur
in the name (or city), letter case and marks aside ("umea" finds "Umeå kommun"). The
chooser's "New ..." tab makes a new record with the snippet's own fields; a recipient's
slug is made from its name when left empty.
"""

from django import forms
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms.choosers import BaseFilterForm
from wagtail.snippets.views.chooser import (
    ChooseResultsView,
    ChooseView,
    SnippetChooserViewSet,
)

from cms.page_forms import unidecode_swedish

from .models import Recipient, RecipientKind


def words(text):
    return [word for word in text.split() if word][:8]


def fold(text):
    return unidecode_swedish(text).casefold()


class NameSearchForm(BaseFilterForm):
    """The chooser's search box: every word typed occurs in one of ``search_fields``, letter
    case and marks aside ("bogota" finds Bogotá, "vaxjo" Växjö). Recipients and partners are
    hundreds of rows, not millions: they are matched here, the same on every database."""

    search_fields = ("name",)

    q = forms.CharField(
        label=_("Search term"),
        widget=forms.TextInput(attrs={"placeholder": _("Search"), "autofocus": True}),
        required=False,
    )

    def filter(self, objects):
        objects = super().filter(objects)
        query = (self.cleaned_data.get("q") or "").strip()
        if not query:
            return objects
        wanted = [fold(word) for word in words(query)]
        matching = [
            pk
            for pk, *texts in objects.values_list("pk", *self.search_fields)
            if all(any(word in fold(text or "") for text in texts) for word in wanted)
        ]
        self.is_searching = True
        self.search_query = query
        return objects.filter(pk__in=matching)


class RecipientSearchForm(NameSearchForm):
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[("", _("All")), *RecipientKind.choices],
        required=False,
        # An id of its own: the creation form in the same modal has a "kind" field too.
        widget=forms.Select(attrs={"id": "id_filter_kind"}),
    )

    def filter(self, objects):
        objects = super().filter(objects)
        if self.cleaned_data.get("kind"):
            objects = objects.filter(kind=self.cleaned_data["kind"])
        return objects


class PartnerSearchForm(NameSearchForm):
    search_fields = ("name", "city")


class RecipientCreationForm(forms.ModelForm):
    """A new recipient from the chooser: the slug may be left empty ("Region Gotland" gives
    "region-gotland")."""

    class Meta:
        model = Recipient
        fields = ["name", "kind", "slug"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slug"].required = False
        self.fields["slug"].help_text = _(
            "Leave empty to make it from the name, e.g. 'region-gotland'."
        )

    def clean(self):
        cleaned = super().clean()
        name = cleaned.get("name")
        if name and not cleaned.get("slug"):
            slug = slugify(unidecode_swedish(name))
            if Recipient.objects.filter(slug=slug).exists():
                self.add_error(
                    "slug", _("Another recipient has the slug %(slug)s.") % {"slug": slug}
                )
            cleaned["slug"] = slug
            self.instance.slug = slug
        return cleaned


def chooser_views(form_class):
    return (
        type("ChooseView", (ChooseView,), {"filter_form_class": form_class}),
        type("ChooseResultsView", (ChooseResultsView,), {"filter_form_class": form_class}),
    )


class GrantDataChooserViewSet(SnippetChooserViewSet):
    """Wagtail's ``ChooserViewSet`` translates its labels with ``gettext`` as it is imported,
    in the server's default language: an editor whose admin is in English read "Välj", "Sök"
    and "Skapa" in these choosers. Translated lazily here, they follow each editor's language
    (the msgids and their Swedish are Wagtail's)."""

    page_title = choose_one_text = _("Choose")
    choose_another_text = _("Choose another")
    edit_item_text = _("Edit")
    search_tab_label = _("Search")
    create_action_label = _("Create")


class RecipientChooserViewSet(GrantDataChooserViewSet):
    """Search by name (with or without å, ä, ö) and kind; create a recipient in place."""

    choose_view_class, choose_results_view_class = chooser_views(RecipientSearchForm)
    creation_form_class = RecipientCreationForm
    creation_tab_label = _("New recipient")


class PartnerChooserViewSet(GrantDataChooserViewSet):
    """Search by name or city; create a partner organisation in place."""

    choose_view_class, choose_results_view_class = chooser_views(PartnerSearchForm)
    form_fields = ["name", "city", "country"]
    creation_tab_label = _("New partner organisation")
