"""The money kernel: the column type, the display filter, the arrears rule."""

from decimal import Decimal

import pytest
from django.db import models
from django.template import Context, Template
from django.utils import translation

from apps.plans.models import Plan
from billing.models import LedgerEntry
from console.fields import MoneyField
from console.money import format_money, is_in_arrears
from orders.models import Order, OrderLine


def test_every_money_column_is_the_one_money_field_with_fourteen_digits_and_two_places():
    columns = [field for model in (Plan, Order, OrderLine, LedgerEntry) for field in model._meta.concrete_fields
               if isinstance(field, models.DecimalField)]
    assert columns and all(isinstance(field, MoneyField) for field in columns)
    assert {(field.max_digits, field.decimal_places) for field in columns} == {(14, 2)}


def test_a_money_field_is_recorded_in_migrations_as_a_plain_decimal_field():
    _name, path, _args, kwargs = MoneyField("amount").deconstruct()
    assert path == "django.db.models.DecimalField"
    assert (kwargs["max_digits"], kwargs["decimal_places"]) == (14, 2)


@pytest.mark.parametrize("language", ["en", "zh-hans"])
@pytest.mark.parametrize(
    ("value", "options", "shown"),
    [
        (Decimal("1234.5"), "", "¥1,234.50"),
        (Decimal("-602.57"), "", "−¥602.57"),
        (Decimal("0"), "", "¥0.00"),
        (Decimal("2888.00"), "bare whole", "2,888"),
        (Decimal("1234.56"), "bare whole", "1,235"),
        (Decimal("19397.43"), "bare", "19,397.43"),
        (Decimal("10"), "USD", "USD 10.00"),
        (None, "", ""),
    ],
)
def test_the_money_filter_shows_amounts_grouped_in_both_languages(language, value, options, shown):
    template = Template('{% load money %}{{ value|money:options }}')
    with translation.override(language):
        assert template.render(Context({"value": value, "options": options})) == shown


def test_format_money_without_a_currency_is_the_number_alone():
    assert format_money(Decimal("5888"), currency=None) == "5,888.00"


def test_a_remembered_amount_is_shown_in_the_number_format_of_the_language_active_now():
    # format_money remembers its answers; the language is part of what it remembers them by.
    with translation.override("de"):
        assert format_money(Decimal("1234.5")) == "¥1.234,50"
    with translation.override("en"):
        assert format_money(Decimal("1234.5")) == "¥1,234.50"
    with translation.override("de"):
        assert format_money(Decimal("1234.50")) == "¥1.234,50"


def test_below_zero_is_arrears_and_zero_is_not():
    assert is_in_arrears(Decimal("-0.01"))
    assert not is_in_arrears(Decimal("0.00"))
