"""Listing columns the admin's listings share."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import Column


def yes_no_column(name, label):
    """A true/false field shown as "Ja"/"Nej" (Wagtail's listings print True and False)."""
    return Column(
        name, label=label, accessor=lambda obj: _("Yes") if getattr(obj, name) else _("No")
    )
