from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from billing.models import LedgerEntry

MAX_TOPUP = Decimal("1000000.00")


class TopUpRequestForm(forms.Form):
    amount = forms.DecimalField(
        label=_("Amount (CNY)"), max_digits=9, decimal_places=2, min_value=Decimal("0.01"), max_value=MAX_TOPUP,
        help_text=_("Up to ¥1,000,000.00, two decimal places."),
    )
    reference = forms.CharField(
        label=_("Payment reference"), max_length=128,
        help_text=_("The bank transfer or remittance number, so staff can match the payment."),
    )


class AdjustmentForm(forms.ModelForm):
    """Staff's signed correction of a balance (Django admin)."""

    class Meta:
        model = LedgerEntry
        fields = ["organization", "amount", "note"]
        help_texts = {"amount": _("Signed: positive credits the organization, negative debits it.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["note"].required = True

    def clean_amount(self):
        amount = self.cleaned_data["amount"]
        if amount == 0:
            raise forms.ValidationError(_("An adjustment cannot be zero."))
        return amount
