"""Money is Decimal with two places (CNY): the one rounding rule, the one column type, the one way to show an
amount, the one proration rule and the one arrears rule."""

from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
MAX_DIGITS = 14
DECIMAL_PLACES = 2
CURRENCY_SYMBOLS = {"CNY": "¥"}
MINUS = "−"  # U+2212, so that "−¥602.57" does not read as a dash


def quantize_money(value: Decimal | int | str) -> Decimal:
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def format_money(value, *, currency: str | None = "CNY", places: int = 2) -> str:
    """¥1,234.56 and −¥602.57 in the active language's number format (grouped in both languages: see
    console/formats). ``currency=None``: the number alone. ``places=0``: rounded half-up to the yuan (2,888)."""
    from django.utils.translation import get_language

    if value is None or value == "":
        return ""
    return _format_money(Decimal(value), currency, places, get_language())


# Remembered per process (issue 14: Django's number_format cost 10 us a call, and the account center shows 60
# amounts, the same ones on every view). The answer depends only on the arguments and the active language.
@lru_cache(maxsize=4096)
def _format_money(amount: Decimal, currency: str | None, places: int, _language: str | None) -> str:
    from django.utils.formats import number_format

    if places == 0:
        amount = amount.quantize(Decimal(1), rounding=ROUND_HALF_UP)
    number = number_format(abs(amount), decimal_pos=places, use_l10n=True, force_grouping=True)
    symbol = CURRENCY_SYMBOLS.get(currency, f"{currency} ") if currency else ""
    return f"{MINUS if amount < 0 else ''}{symbol}{number}"


def prorate(monthly: Decimal, *, days: int, month_days: int) -> Decimal:
    """What ``monthly`` costs for ``days`` of a month of ``month_days`` days: rounded half-up to the cent once,
    in integer cents. The bill SQL (orders.charges) is this formula; tests/billing/test_proration_twin.py holds
    the two equal to the cent for every day of a year."""
    fee_cents = int(quantize_money(monthly) * 100)
    sign = -1 if fee_cents < 0 else 1
    cents = (abs(fee_cents) * days * 2 + month_days) // (2 * month_days)
    return quantize_money(Decimal(sign * cents) / 100)


def is_in_arrears(balance: Decimal) -> bool:
    """An organization whose balance is below zero owes money: the banner, the account page and any
    later rule ask this."""
    return balance < 0
