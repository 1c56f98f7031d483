"""The admin form of a webhook endpoint: the signing secret is write-only.

The stored secret never goes back to the browser: its input is a password field that is always
rendered empty. Leaving it empty keeps the current secret (on an existing endpoint) or generates
a strong one (on a new endpoint); typing one sets it (for receivers that dictate their secret);
"Generate a new secret" rotates it. A generated secret is put in ``generated_secret`` for the
view to show once after saving (``webhooks.wagtail_hooks``).
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from .models import new_secret

MIN_SECRET_LENGTH = 16


class WebhookEndpointForm(WagtailAdminModelForm):
    secret = forms.CharField(
        label=capfirst(_("signing secret")),
        required=False,
        strip=True,
        max_length=255,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
    )
    rotate_secret = forms.BooleanField(
        label=_("Generate a new secret"),
        required=False,
        help_text=_(
            "Replaces the current secret when you save; the new one is shown once. Receivers "
            "must be given it: deliveries from then on are signed with it."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.generated_secret = None
        # Whatever the widget does, the stored value is never part of the form's data.
        self.initial.pop("secret", None)
        self.fields["secret"].initial = None
        self.creating = self.instance._state.adding
        if self.creating:
            self.fields["secret"].help_text = _(
                "Leave empty to generate a strong secret, shown once after saving. Or enter the "
                "secret your receiver expects (at least %(length)s characters)."
            ) % {"length": MIN_SECRET_LENGTH}
            self.fields.pop("rotate_secret", None)
        else:
            self.fields["secret"].label = capfirst(_("new signing secret"))
            self.fields["secret"].help_text = _(
                "The current secret is never shown again. Leave empty to keep it, or enter a new "
                "one (at least %(length)s characters) to replace it."
            ) % {"length": MIN_SECRET_LENGTH}

    def clean_secret(self):
        secret = self.cleaned_data.get("secret") or ""
        if secret and len(secret) < MIN_SECRET_LENGTH:
            raise ValidationError(
                _("A signing secret needs at least %(length)s characters."),
                code="min_length",
                params={"length": MIN_SECRET_LENGTH},
            )
        return secret

    def clean(self):
        cleaned_data = super().clean()
        typed = cleaned_data.get("secret")
        rotate = cleaned_data.get("rotate_secret", False)
        if "secret" not in cleaned_data:  # invalid: the error is on the field already
            return cleaned_data
        if typed and rotate:
            self.add_error(
                "rotate_secret",
                _("Either enter a new secret or generate one, not both."),
            )
            return cleaned_data
        if typed:
            secret = typed
        elif rotate or self.creating:
            secret = self.generated_secret = new_secret()
        else:
            secret = self.instance.secret
        # Set both: construct_instance skips a field whose input was left out of the request.
        cleaned_data["secret"] = secret
        self.instance.secret = secret
        return cleaned_data
