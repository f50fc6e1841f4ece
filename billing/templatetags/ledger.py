"""The account center's ledger rows and chart bars, built in Python (issue 14: each row's date filter, money filters,
kind label (``get_kind_display`` rebuilds the choices per call), URL and "Bill for" sentence cost a gettext and a
dozen template nodes; here the labels are translated once and each row is one string: same HTML)."""

from django import template
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from billing.models import LedgerEntry
from billing.templatetags.bill_rows import bill_url_maker
from console.money import format_money
from console.rowhtml import esc

register = template.Library()

ROW = (
    '<tr>\n<td>{time}</td>\n<td>{kind}</td>\n<td class="mono text-end {sign}">{amount}</td>\n'
    '<td class="mono text-end">{balance_after}</td>\n<td>{details}</td>\n</tr>\n'
)


@register.simple_tag
def ledger_rows(entries, org_name: str):
    """``entries``: a page of ``selectors.LedgerRows`` (dicts with ``balance_after`` and ``bill_month``). Every text
    is escaped here (``console.rowhtml.esc``, as ``format_html`` does, without its per-call cost)."""
    kinds = {value: esc(str(label)) for value, label in LedgerEntry.Kind.choices}  # escaped once, not per row
    bill_for = gettext("Bill for %(month)s")
    bill_url = bill_url_maker(org_name)

    def details(entry) -> str:
        month = entry["bill_month"]
        if month is None:
            return esc(entry["note"])
        return f'<a href="{esc(bill_url(month))}">{esc(bill_for % {"month": f"{month:%Y-%m}"})}</a>'

    return mark_safe("".join(  # noqa: S308 -- every text escaped; times and signs are ours
        ROW.format(
            time=f"{timezone.localtime(entry['created_at']):%Y-%m-%d %H:%M}",
            kind=kinds.get(entry["kind"]) or esc(entry["kind"]),
            sign="text-danger" if entry["amount"] < 0 else "text-success",
            amount=esc(format_money(entry["amount"])),
            balance_after=esc(format_money(entry["balance_after"])),
            details=details(entry),
        )
        for entry in entries
    ))


BAR = (
    '<g>\n<title>{label}: {value}</title>\n{drawn}\n'
    '<text x="{center}" y="{label_y}" text-anchor="middle">{label}</text>\n</g>\n'
)
DRAWN = (
    '<rect class="bar" x="{x}" y="{y}" width="{width}" height="{height}" rx="3"></rect>\n'
    '<text class="value" x="{center}" y="{value_y}" text-anchor="middle">{whole}</text>'
)


@register.simple_tag
def bill_chart_bars(chart):
    """The bars of the account center's chart of bill totals (``billing.charts.BarChart``): a dozen template nodes
    and two money filters per bar in the template language; here one string each. Coordinates are plain numbers
    (``str``), as in the page's ``{% localize off %}``."""

    def bar(bar) -> str:
        drawn = ""
        if bar.height:
            drawn = DRAWN.format(x=bar.x, y=bar.y, width=bar.width, height=bar.height, center=bar.center,
                                 value_y=bar.value_y,
                                 whole=esc(format_money(bar.value, currency=None, places=0)))
        return BAR.format(label=esc(bar.label), value=esc(format_money(bar.value)), drawn=drawn,
                          center=bar.center, label_y=chart.label_y)

    return mark_safe("".join(bar(each) for each in chart.bars))  # noqa: S308 -- texts escaped; the rest numbers
