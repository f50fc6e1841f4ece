from dataclasses import dataclass

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from apps.accounts.roles import Action
from apps.applications.access import app_view
from apps.features.selectors import feature_is_on
from apps.ipwhitelist.exceptions import DuplicateEntries, WhitelistFull
from apps.ipwhitelist.forms import WhitelistAddForm, WhitelistCheckForm
from apps.ipwhitelist.models import WhitelistEntry
from apps.ipwhitelist.networks import Address
from apps.ipwhitelist.selectors import ip_allowed, whitelist_entries, whitelist_limit
from apps.ipwhitelist.services import whitelist_entries_add, whitelist_entry_delete
from apps.plans.models import Feature
from console.errors import show_domain_error
from console.net import client_ip


@dataclass(frozen=True)
class CheckResult:
    address: Address
    allowed: bool
    entry: WhitelistEntry | None

    @property
    def list_is_empty(self) -> bool:
        return self.allowed and self.entry is None


def _page(request, app, *, add_form=None, check_form=None, check=None):
    entries = list(whitelist_entries(app=app))
    limit = whitelist_limit()
    return render(
        request,
        "ipwhitelist/settings.html",
        {
            "app": app,
            "feature_title": _("REST IP whitelist"),
            "entries": entries,
            "limit": limit,
            "add_form": add_form or WhitelistAddForm(),
            **_check_context(app, check_form or _your_address_form(request), check),
            "is_on": feature_is_on(app=app, code=Feature.Code.IP_WHITELIST),
        },
    )


def _your_address_form(request) -> WhitelistCheckForm:
    """The check form filled with the visitor's own address (as console.net.client_ip sees it behind the proxy)."""
    return WhitelistCheckForm(initial={"address": client_ip(request)})


def _check_context(app, form, result) -> dict:
    return {"app": app, "check_form": form or WhitelistCheckForm(), "check": result}


def _redirect_to_page(app):
    return redirect("features:settings_ip_whitelist", org_name=app.organization.name, app_name=app.name)


@app_view({"GET": Action.VIEW_APPS, "POST": Action.CHANGE_APPS})
@require_http_methods(["GET", "POST"])
def settings_ip_whitelist(request, app):
    """The list, the add form (POST here adds a batch) and the check tool."""
    if request.method != "POST":
        return _page(request, app)
    form = WhitelistAddForm(request.POST)
    if form.is_valid():
        typed = form.cleaned_data["entries"]
        try:
            whitelist_entries_add(app=app, actor=request.user, entries=[entry.canonical for entry in typed],
                                  note=form.cleaned_data["note"])
        except DuplicateEntries as exc:
            form.add_duplicate_errors(exc.networks)
        except WhitelistFull as exc:
            show_domain_error(request, exc, form=form, field="entries")
        else:
            messages.success(request, ngettext(
                "%(count)d entry added to the whitelist.", "%(count)d entries added to the whitelist.", len(typed)
            ) % {"count": len(typed)})
            return _redirect_to_page(app)
    return _page(request, app, add_form=form)


@app_view(Action.CHANGE_APPS)
@require_POST
def ip_whitelist_delete(request, app, pk: int):
    """Delete one entry of this app. The entry is looked up through the app, so nothing of another app is
    reachable; one that is not there (a second click, another tab deleted it first) gets a message rather
    than an error page, since what was asked for is done."""
    entry = app.ip_whitelist_entries.filter(pk=pk).first()
    if entry is not None and whitelist_entry_delete(entry=entry, actor=request.user):
        messages.success(request, _("%(network)s removed from the whitelist.") % {"network": entry.network})
    else:
        messages.info(request, _("That entry is no longer on the whitelist."))
    return _redirect_to_page(app)


@app_view(Action.VIEW_APPS)
@require_http_methods(["GET", "POST"])
def ip_whitelist_check(request, app):
    """Check an address: with htmx (HX-Request) the check card alone, otherwise the whole page. Changes nothing,
    so every role that sees the page may use it, by GET (no JavaScript) or POST (htmx)."""
    data = request.POST if request.method == "POST" else request.GET
    form = WhitelistCheckForm(data) if "address" in data else _your_address_form(request)
    result = None
    if form.is_valid():
        address = form.cleaned_data["address"]
        allowed, entry = ip_allowed(app=app, address=address)
        result = CheckResult(address=address, allowed=allowed, entry=entry)
    if request.headers.get("HX-Request") == "true":
        context = {**_check_context(app, form, result),
                   "is_on": feature_is_on(app=app, code=Feature.Code.IP_WHITELIST)}
        return render(request, "ipwhitelist/_check.html", context)
    return _page(request, app, check_form=form, check=result)
