"""Checkout and order-center filter forms: input validation only; the purchase rules live in selectors."""

from django import forms
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from apps.plans.entitlements import Quota, entitlements_for
from console.money import format_money
from orders.models import Order
from orders.selectors import AddonRequest, PurchaseOptions

AGREEMENT_LABEL = _("I have read and agree to the service purchase agreement")


class CheckoutForm(forms.Form):
    """One radio for the plan, one field per add-on (a tier select or a quantity), the agreement box and
    the one-time token. ``for_estimate`` relaxes the agreement and the token (the fee box previews a
    half-filled form); ``prune`` drops tiers that the chosen plan already reaches (the plan just changed)."""

    plan = forms.ChoiceField(label=_("Plan"), widget=forms.RadioSelect, required=False)
    agree = forms.BooleanField(
        label=AGREEMENT_LABEL, required=True, error_messages={"required": _("Tick the agreement to buy.")}
    )
    token = forms.CharField(widget=forms.HiddenInput, required=True)

    def __init__(self, *args, options: PurchaseOptions, for_estimate: bool = False, prune: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.options = options
        plan_choices = []
        if options.addons_alone_allowed:
            plan_choices.append(("", _("Keep %(plan)s (add-ons only)") % {"plan": options.current_plan.name}))
        plan_choices += [(plan.code, plan.name) for plan in options.plans]
        self.fields["plan"].choices = plan_choices
        self.fields["plan"].required = not options.addons_alone_allowed
        self.fields["plan"].error_messages["required"] = _(
            "%(plan)s cannot buy add-ons alone: choose a plan."
        ) % {"plan": options.current_plan.name}
        self.fields["plan"].widget.attrs["class"] = "form-check-input plan-radio"
        if for_estimate:
            self.fields["plan"].required = False
            self.fields["agree"].required = False
            self.fields["token"].required = False

        self.addon_fields: list[tuple[str, object]] = []
        cap_plan = self._chosen_plan()
        base = entitlements_for(plan=cap_plan) if cap_plan else options.current
        for addon in options.addons:
            name = f"addon_{addon.code}"
            if addon.stackable:
                self.fields[name] = forms.IntegerField(
                    label=addon.name, min_value=0, max_value=addon.max_quantity, initial=0, required=False,
                    help_text=_("Units of %(size)s %(unit)s, ¥%(price)s per unit per month; 0 to %(max)s.")
                    % {"size": addon.unit_size, "unit": addon.feature.unit,
                       "price": format_money(addon.unit_price, currency=None), "max": addon.max_quantity},
                )
                # hx-preserve: when a plan change re-renders the add-ons, the quantity box stays the live
                # element, so digits typed while that request was in flight are kept.
                self.fields[name].widget.attrs.update(
                    {"min": 0, "max": addon.max_quantity, "step": 1, "class": "form-control", "hx-preserve": "true"}
                )
            else:
                cap = base.quota(addon.feature.code)
                tiers = addon.tiers.all()
                field = forms.TypedChoiceField(
                    label=addon.name, coerce=int, empty_value=None, required=False,
                    choices=[("", _("None"))] + [(str(t.value), str(t.value)) for t in tiers],
                    help_text=_("Sets the cap; the app has %(cap)s with %(plan)s.")
                    % {"cap": _("unlimited") if cap.unlimited else number_format(cap.value, force_grouping=True),
                       "plan": base.plan.name},
                )
                # Every catalog tier is a valid input, so a lower one reaches the rules and gets their
                # message; the select only offers the tiers above the cap, and only those get a label (issue 14:
                # labelling every tier of every add-on, twice a page, cost ~1 ms of CPU).
                visible = [(str(t.value), self._tier_label(addon, t)) for t in tiers if Quota(t.value).exceeds(cap)]
                field.widget.choices = [("", _("None"))] + visible
                field.widget.attrs["class"] = "form-select"
                self.fields[name] = field
                if prune and self.is_bound and self.data.get(self.add_prefix(name)) not in {v for v, _l in visible}:
                    self.data = self.data.copy()
                    self.data[self.add_prefix(name)] = ""
            self.addon_fields.append((name, addon))
        self.order_fields(["plan", *[name for name, _a in self.addon_fields], "agree", "token"])

    def plan_cards(self) -> list[tuple]:
        """(radio, plan or None for "keep", entitlements) for the plan cards of the template."""
        cards = []
        for radio in self["plan"]:
            value = radio.data["value"]
            plan = self.options.plan_by_code(value) if value else None
            cards.append((radio, plan, entitlements_for(plan=plan) if plan else self.options.current))
        return cards

    def addon_rows(self) -> list[tuple]:
        """(bound field, add-on) in catalog order for the add-ons section."""
        return [(self[name], addon) for name, addon in self.addon_fields]

    def _chosen_plan(self):
        code = self.data.get(self.add_prefix("plan")) if self.is_bound else self.initial.get("plan")
        return self.options.plan_by_code(code) if code else None

    @staticmethod
    def _tier_label(addon, tier) -> str:
        return _("%(value)s %(unit)s · ¥%(price)s / month") % {
            "value": number_format(tier.value, force_grouping=True), "unit": addon.feature.unit,
            "price": format_money(tier.monthly_price, currency=None),
        }

    def purchase(self) -> tuple[str, list[AddonRequest]]:
        """The plan code ("" keeps the current plan) and the add-ons asked for, from cleaned data."""
        addons = []
        for name, addon in self.addon_fields:
            value = self.cleaned_data.get(name)
            if addon.stackable and value:
                addons.append(AddonRequest(code=addon.code, quantity=value))
            elif not addon.stackable and value is not None:
                addons.append(AddonRequest(code=addon.code, tier_value=value))
        return self.cleaned_data.get("plan") or "", addons

    def priced_key(self) -> str:
        """The plan and add-on inputs this form was priced from, as ``name=value&…``. The fee box carries it
        so the page can tell when the inputs changed after the request left and ask for a fresh estimate."""
        names = ["plan", *[name for name, _addon in self.addon_fields]]
        if self.is_bound:
            values = [self.data.get(self.add_prefix(name), "") for name in names]
        else:
            values = [self[name].value() for name in names]
        return "&".join(f"{name}={'' if value is None else value}" for name, value in zip(names, values, strict=True))

    def chose_something(self) -> bool:
        plan, addons = self.purchase()
        return bool(plan or addons)


class OrderFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False,
                               choices=[("", _("All statuses")), *Order.Status.choices])
    # A name typed in, not a select of every app: an org with 1,000 apps rendered 1,000 options per page.
    app = forms.CharField(label=_("App"), required=False, max_length=64,
                          widget=forms.TextInput(attrs={"class": "form-control", "placeholder": _("App name"),
                                                        "autocomplete": "off"}))
    date_from = forms.DateField(label=_("Purchased from"), required=False,
                                widget=forms.DateInput(attrs={"type": "date", "class": "form-control"}))
    date_to = forms.DateField(label=_("Purchased until"), required=False,
                              widget=forms.DateInput(attrs={"type": "date", "class": "form-control"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].widget.attrs.update({"class": "form-select", "data-autosubmit": ""})

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("date_from") and cleaned.get("date_to") and cleaned["date_from"] > cleaned["date_to"]:
            self.add_error("date_to", _("The end date is before the start date."))
        return cleaned
