"""Demo billing for the demo org: a confirmed ¥20,000 top-up before the first order, one pending request,
and the bills of every past month that has charged orders (issued on the 5th, as the job would).
Idempotent: the top-ups are found by reference, and bills are made once per (org, month) anyway."""

import datetime as dt
from decimal import Decimal

from django.db.models import Min
from django.utils import timezone

from apps.accounts.models import Membership, User
from apps.accounts.roles import Role
from billing.models import PaymentAccount, TopUpRequest
from billing.services import BILLING_DAY, bills_generate, topup_confirm
from console.timeutil import business_date, business_midnight, month_start, next_month_start

CONFIRMED_REFERENCE = "DEMO-BANK-20000"
PENDING_REFERENCE = "DEMO-BANK-5000"


DEMO_PAYMENT_ACCOUNT = {
    "payee": "北京环信示例科技有限公司 (Demo IM Cloud Ltd.)",
    "bank": "招商银行北京分行 (China Merchants Bank, Beijing Branch)",
    "account_number": "1109 0000 0000 2026",
}


def seed(organization) -> None:
    account, _created = PaymentAccount.objects.get_or_create(pk=1)
    if not account.is_set:
        for field, value in DEMO_PAYMENT_ACCOUNT.items():
            setattr(account, field, value)
        account.save()
    now = timezone.now()
    members = {m.role: m.user for m in Membership.objects.filter(organization=organization).select_related("user")}
    requester = members.get(Role.FINANCE) or members.get(Role.OWNER)
    staff = User.objects.filter(is_staff=True).order_by("pk").first()
    if requester is None or staff is None:
        return
    first_purchase = organization.orders.aggregate(first=Min("purchase_date"))["first"] or business_date(now)
    credited_at = business_midnight(first_purchase) - dt.timedelta(days=2) + dt.timedelta(hours=10)
    if not organization.topups.filter(reference=CONFIRMED_REFERENCE).exists():
        topup = TopUpRequest.objects.create(
            organization=organization, amount=Decimal("20000.00"), reference=CONFIRMED_REFERENCE,
            requested_by=requester, created_at=credited_at - dt.timedelta(hours=2),
        )
        topup_confirm(topup_id=topup.pk, staff=staff, now=credited_at)
    if not organization.topups.filter(reference=PENDING_REFERENCE).exists():
        TopUpRequest.objects.create(
            organization=organization, amount=Decimal("5000.00"), reference=PENDING_REFERENCE,
            requested_by=requester, created_at=now - dt.timedelta(hours=5),
        )
    this_month = month_start(business_date(now))
    month = month_start(first_purchase)
    while month < this_month:
        issued = business_midnight(next_month_start(month) + dt.timedelta(days=BILLING_DAY - 1))
        bills_generate(month=month, now=min(now, issued + dt.timedelta(minutes=10)))
        month = next_month_start(month)
