"""Admin forms of news: amounts in kronor as grants officers write them, and an announcement
whose grant rows cannot add up to more than the total it announces."""

import re
from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from cms.page_forms import BasePageForm

#: Word -> multiplier, after a number: "1,5 MSEK", "18 mkr", "2 miljoner", "500 tkr".
MULTIPLIERS = {
    "msek": 1_000_000,
    "mkr": 1_000_000,
    "milj": 1_000_000,
    "miljon": 1_000_000,
    "miljoner": 1_000_000,
    "tkr": 1_000,
    "tsek": 1_000,
}
#: Currency words that change nothing: "1 500 000 kr", "SEK 250 000", "1 500 000:-".
CURRENCY_WORDS = {"sek", "kr", "kronor"}
LEADING_CURRENCY = re.compile(r"^(sek|kr)\s+")
SPACES = re.compile(r"[\s\u00a0\u202f\u2009]+")


def parse_amount(text):
    """Kronor from what a Swedish grants officer writes, or ``ValueError`` with the reason.

    Accepted: ``1500000``, ``1 500 000`` (any space, also non-breaking), ``1.500.000``,
    ``1 500 000 kr``, ``1,5 MSEK``, ``1.5 mkr``, ``2 miljoner``, ``500 tkr``. A decimal
    comma is only read with a word that scales it: ``1,5`` alone is refused (kronor are whole
    here), never read as 15 or 1.5."""
    value = LEADING_CURRENCY.sub("", text.strip().lower())
    value = value.removesuffix(":-").strip()
    multiplier = 1
    match = re.fullmatch(r"(.*?)\s*([a-zåäö]+)\.?", value)
    if match:
        word = match.group(2)
        if word in MULTIPLIERS:
            multiplier = MULTIPLIERS[word]
        elif word not in CURRENCY_WORDS:
            raise ValueError(f"unknown unit {word!r}")
        value = match.group(1)
    value = SPACES.sub(" ", value).strip()
    if re.fullmatch(r"\d{1,3}([ .]\d{3})+", value):  # thousands grouped by space or dot
        digits = re.sub(r"[ .]", "", value)
        return int(digits) * multiplier
    if re.fullmatch(r"\d+", value):
        return int(value) * multiplier
    if multiplier > 1 and re.fullmatch(r"\d+[.,]\d+", value):
        try:
            amount = Decimal(value.replace(",", ".")) * multiplier
        except InvalidOperation:
            raise ValueError("not a number") from None
        if amount != amount.to_integral_value():
            raise ValueError("not whole kronor")
        return int(amount)
    raise ValueError("not an amount")


def format_amount(value):
    """``1500000`` -> ``"1 500 000"``: how the field shows a stored amount."""
    return f"{value:,}".replace(",", " ")


class AmountField(forms.CharField):
    """A whole number of kronor, typed as people write it (``parse_amount``). A text input,
    never a number input: browsers in another locale turn "1,5" into 15 there."""

    default_error_messages = {
        "invalid": _(
            "Write the amount in whole kronor, e.g. 1 500 000, 1500000 or 1,5 MSEK; "
            "a decimal comma needs MSEK, mkr, miljoner or tkr after it."
        ),
        "negative": _("The amount cannot be negative."),
    }

    def __init__(self, *, max_value=None, min_value=None, **kwargs):
        kwargs.pop("max_length", None)
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("inputmode", "decimal")
        self.widget.attrs.setdefault("autocomplete", "off")

    def prepare_value(self, value):
        if isinstance(value, int):
            return format_amount(value)
        return value

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return None
        if value.strip().startswith("-"):
            raise ValidationError(self.error_messages["negative"], code="negative")
        try:
            return parse_amount(value)
        except ValueError:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None


class GrantAnnouncementForm(BasePageForm):
    """The announcement's form: its grant rows may not add up to more than the announced
    total (a total that is empty or rows without amounts are not compared)."""

    def clean(self):
        cleaned = super().clean()
        total = cleaned.get("total_amount")
        formset = self.formsets.get("grants")
        if total is None or formset is None or not formset.is_valid():
            return cleaned
        rows = [
            form.cleaned_data.get("amount")
            for form in formset.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        summed = sum(amount for amount in rows if amount)
        if summed > total:
            self.add_error(
                "total_amount",
                ValidationError(
                    _(
                        "The grant rows add up to %(sum)s kronor, more than the announced "
                        "total of %(total)s kronor. Correct an amount or the total."
                    ),
                    params={"sum": format_amount(summed), "total": format_amount(total)},
                    code="grants_exceed_total",
                ),
            )
        return cleaned
