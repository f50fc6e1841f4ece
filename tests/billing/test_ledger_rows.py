"""The account center's ledger rows and chart bars built by the ``ledger`` tags: what a reader sees, escaped, in
both languages."""

import datetime as dt
import re
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from billing.models import Bill, LedgerEntry
from billing.services import bills_generate
from tests.billing.factories import LedgerEntryFactory, at, order_bought

D = dt.date
pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("language", "bill_for", "kind"), [("en", "Bill for 2026-02", "Adjustment"),
                                                            ("zh-hans", "2026-02账单", "调整")])
def test_ledger_rows_show_kind_signed_amounts_bill_link_and_an_escaped_note(owner_client, org, app, language,
                                                                            bill_for, kind):
    order_bought(D(2026, 2, 10), app=app)
    bills_generate(month=D(2026, 2, 1), now=at(D(2026, 3, 5)))
    assert Bill.objects.filter(organization=org).exists()
    LedgerEntryFactory(organization=org, kind=LedgerEntry.Kind.ADJUSTMENT, amount=Decimal("-12.50"),
                       note="<b>refund</b> & co", created_at=at(D(2026, 3, 6)))
    with time_machine.travel(at(D(2026, 3, 20), hour=12), tick=False):
        page = owner_client.get(reverse("billing:account", kwargs={"org_name": org.name}),
                                headers={"accept-language": language}).content.decode()
    assert "<b>refund</b>" not in page and "&lt;b&gt;refund&lt;/b&gt; &amp; co" in page
    assert re.search(rf"<td>{kind}</td>\s*<td class=\"mono text-end text-danger\">−¥12.50</td>", page)
    assert f'<a href="/o/{org.name}/billing/bills/2026-02/">{bill_for}</a>' in page
    # The February bar is drawn with its whole-yuan value; the empty months have a title and a label only.
    assert len(re.findall(r'<rect class="bar"', page)) == 1
    assert re.search(r'<text class="value" x="[\d.]+" y="[\d.]+" text-anchor="middle">603</text>', page)
