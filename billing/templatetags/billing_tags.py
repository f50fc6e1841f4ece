from decimal import Decimal

from django import template

register = template.Library()


@register.filter
def money(value) -> str:
    """¥1,234.56 and −¥602.57: grouped, two places, the sign before the currency."""
    if value is None or value == "":
        return ""
    amount = Decimal(value)
    sign = "−" if amount < 0 else ""
    return f"{sign}¥{abs(amount):,.2f}"
