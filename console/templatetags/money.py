"""``{{ amount|money }}``: the one way a page shows money (console.money.format_money).

Options, space-separated: a currency code (default CNY), ``bare`` (the number without the symbol, for a page
that styles the symbol itself), ``whole`` (rounded to the yuan, as chart labels and plan cards show it)."""

from django import template

from console.money import format_money

register = template.Library()


@register.filter
def money(value, options: str = "") -> str:
    words = str(options).split()
    currency = next((word for word in words if word.isupper()), "CNY")
    return format_money(value, currency=None if "bare" in words else currency, places=0 if "whole" in words else 2)
