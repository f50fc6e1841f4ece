"""The rows of the bills list and of a bill's lines (billing.templatetags.bill_rows), in each language."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from billing.models import Bill
from billing.services import bills_generate
from billing.templatetags.bill_rows import bill_line_rows
from console.timeutil import business_tz
from tests.billing.factories import at, order_bought

D = dt.date
pytestmark = pytest.mark.django_db


def bill_list(client, org) -> str:
    return client.get(reverse("billing:bill_list", kwargs={"org_name": org.name})).content.decode()


@pytest.fixture
def february_bill(org, app):
    order = order_bought(D(2026, 2, 10), app=app)
    bills_generate(month=D(2026, 2, 1), now=at(D(2026, 3, 5)))
    return Bill.objects.get(organization=org), order


def test_a_bill_row_links_its_month_and_shows_issue_time_lines_and_total(owner_client, org, february_bill):
    bill, _order = february_bill
    html = bill_list(owner_client, org)
    detail = reverse("billing:bill_detail", kwargs={"org_name": org.name, "year": 2026, "month": "02"})
    assert f'<td><a href="{detail}">2026-02</a></td>' in html
    assert f"<td>{bill.created_at.astimezone(business_tz()):%Y-%m-%d %H:%M}</td>" in html
    assert '<td class="text-end">1</td>' in html
    assert '<td class="mono text-end">¥602.57</td>' in html
    assert f'<a class="btn btn-link btn-sm" href="{detail}">Details</a>' in html


def test_the_rows_speak_chinese(owner_client, org, february_bill, settings):
    owner_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    assert ">详情</a>" in bill_list(owner_client, org)


def test_no_bills_says_when_the_first_comes(owner_client, org):
    assert "No bills yet. The first bill is issued on the 5th of the month" in bill_list(owner_client, org)


def test_a_line_row_shows_appkey_order_link_dates_days_and_amounts(owner_client, org, february_bill):
    _bill, order = february_bill
    html = owner_client.get(reverse("billing:bill_detail", kwargs={"org_name": org.name, "year": 2026,
                                                                   "month": "02"})).content.decode()
    detail = reverse("orders:order_detail", kwargs={"org_name": org.name, "number": order.number})
    assert (f'<td class="mono text-nowrap">acme#chat</td>\n        <td class="mono"><a href="{detail}">'
            f"{order.number}</a></td>\n        <td>2026-02-10</td>\n        <td>2026-03-01</td>\n"
            '        <td class="text-end">19</td>\n        <td class="mono text-end">¥888.00</td>\n'
            '        <td class="mono text-end">¥602.57</td>') in html


def test_line_cells_are_escaped_even_when_repeated():
    line = {"org_name": "a&b", "app_name": "<b>x</b>", "order_url": '/o/"x"/', "order_number": "<i>1</i>",
            "start_date": D(2026, 2, 1), "end_date": D(2026, 3, 1), "days": 28,
            "monthly_fee": Decimal("888.00"), "amount": Decimal("888.00")}
    html = bill_line_rows([line, dict(line)])
    assert html.count('<td class="mono text-nowrap">a&amp;b#&lt;b&gt;x&lt;/b&gt;</td>') == 2
    assert html.count('<a href="/o/&quot;x&quot;/">&lt;i&gt;1&lt;/i&gt;</a>') == 2
    assert "<b>" not in html and "<i>" not in html
