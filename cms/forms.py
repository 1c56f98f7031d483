"""Admin forms."""

from django.utils.translation import gettext_lazy as _
from wagtail.images.forms import BaseImageForm


class CustomImageForm(BaseImageForm):
    """Presents Wagtail's ``description`` as what it is used for: the default alt text."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "description" in self.fields:
            self.fields["description"].label = _("Default alt text")
            self.fields["description"].help_text = _(
                "Describes the image for screen readers where a page gives no alt text of its "
                "own. Empty: the title is used."
            )
