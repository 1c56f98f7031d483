"""The grant row's partner field: chosen through the partner chooser (search, several at
once, create in place) instead of a Ctrl-click list of every partner."""

import json

from django import forms
from wagtail.admin.telepath import JSContext
from wagtail.snippets.widgets import AdminSnippetChooser


class PartnerMultipleChooser(forms.SelectMultiple):
    """The chosen partners as a list with remove buttons, and a button that opens Wagtail's
    snippet chooser for partners in its several-at-once mode (as ``MultipleChooserPanel``
    does); the value still travels in a ``<select multiple>``, so the form and the
    revision see an ordinary many-to-many field."""

    template_name = "news/widgets/partner_chooser.html"

    @staticmethod
    def partner_model():
        from .models import PartnerOrganisation  # the models module uses this widget

        return PartnerOrganisation

    def chooser(self):
        return AdminSnippetChooser(self.partner_model())

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        ids = [int(pk) for pk in (value or []) if str(pk).isdigit()]
        chosen = self.partner_model().objects.filter(pk__in=ids) if ids else []
        packer = JSContext()
        context["widget"]["chosen"] = [(partner.pk, str(partner)) for partner in chosen]
        context["widget"]["factory"] = json.dumps(packer.pack(self.chooser()))
        return context

    @property
    def media(self):
        packer = JSContext()
        packer.pack(self.chooser())
        return packer.media + forms.Media(js=["news/js/partner-chooser.js"])
