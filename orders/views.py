from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from apps.accounts.access import org_view
from apps.accounts.roles import Action
from apps.applications.access import app_view
from apps.plans.entitlements import quota_rows
from console.errors import show_domain_error
from orders import selectors
from orders.exceptions import PurchaseNotAllowed
from orders.forms import CheckoutForm, OrderFilterForm
from orders.models import Order
from orders.services import order_place
from orders.tokens import checkout_token_issue, checkout_token_key

ORDERS_PER_PAGE = 20


def _fee_box(*, app, options, form: CheckoutForm) -> dict:
    """What the fee box shows for a (possibly half-filled) checkout form: a quote, a refusal or a hint."""
    context = {"quote": None, "refusal": None, "errors": [], "hint": False}
    if not form.is_valid():
        context["errors"] = [error for errors in form.errors.values() for error in errors]
    elif not form.chose_something():
        context["hint"] = True
    else:
        plan_code, addons = form.purchase()
        try:
            context["quote"] = selectors.purchase_quote(app=app, plan_code=plan_code, addons=addons, options=options)
        except PurchaseNotAllowed as refusal:
            context["refusal"] = refusal.message
    context["replaces_addons"] = bool(
        context["quote"] and context["quote"].plan and options.current.addon_lines
    )
    return context


@app_view(Action.PURCHASE)
@require_http_methods(["GET", "POST"])
def checkout(request, app):
    options = selectors.purchase_options(app=app)
    if request.method == "POST":
        form = CheckoutForm(request.POST, options=options)
        if form.is_valid():
            plan_code, addons = form.purchase()
            try:
                order = order_place(app=app, buyer=request.user, plan_code=plan_code, addons=addons,
                                    token=form.cleaned_data["token"])
            except PurchaseNotAllowed as refusal:
                show_domain_error(request, refusal, form=form)
            else:
                if order.just_placed:
                    messages.success(request, _("Order %(number)s placed. It is provisioning and goes in service "
                                                "in a few minutes.") % {"number": order.number})
                else:
                    messages.info(request, _("This purchase was already placed as order %(number)s.")
                                  % {"number": order.number})
                return redirect("orders:order_detail", org_name=request.organization.name, number=order.number)
        _renew_spent_or_forged_token(form, app)
        estimate_form = CheckoutForm(request.POST, options=options, for_estimate=True)
    else:
        preselected, addon = None, None
        if request.GET.get("feature"):
            preselected = selectors.cheapest_plan_with_feature(options=options, feature_code=request.GET["feature"])
            if preselected is None:
                addon = selectors.addon_lifting(options=options, feature_code=request.GET["feature"])
                if addon and not options.addons_alone_allowed and options.plans:
                    preselected = options.plans[0]  # Free buys add-ons with a plan: the cheapest one
        inputs = {"plan": preselected.code if preselected else "", **({f"addon_{addon.code}": 1} if addon else {})}
        form = CheckoutForm(initial={"token": checkout_token_issue(app=app), **inputs}, options=options)
        estimate_form = CheckoutForm(inputs, options=options, for_estimate=True)
    return render(request, "orders/checkout.html", {
        "app": app, "options": options, "form": form, "current_quotas": quota_rows(options.current),
        **_fee_box(app=app, options=options, form=estimate_form),
    })


def _renew_spent_or_forged_token(form: CheckoutForm, app) -> None:
    """A refused form keeps its token (nothing was bought with it) unless the token itself was refused."""
    try:
        checkout_token_key(app=app, token=form.data.get("token", ""))
    except PurchaseNotAllowed:
        form.data = form.data.copy()
        form.data["token"] = checkout_token_issue(app=app)


@app_view(Action.PURCHASE)
@require_http_methods(["GET", "POST"])
def estimate(request, app):
    """The fee box (htmx). ``part=plan`` (the plan changed) also re-renders the add-ons out of band, with
    the tiers the new plan already reaches dropped."""
    options = selectors.purchase_options(app=app)
    data = request.POST if request.method == "POST" else request.GET
    plan_changed = data.get("part") == "plan"
    form = CheckoutForm(data, options=options, for_estimate=True, prune=plan_changed)
    return render(request, "orders/_fee_box.html", {
        "app": app, "options": options, "form": form, "addons_oob": plan_changed,
        **_fee_box(app=app, options=options, form=form),
    })


@org_view(Action.VIEW_BILLING)
def order_list(request, org_name: str):
    form = OrderFilterForm(request.GET or None)
    filters = {}
    if form.is_bound and form.is_valid():
        filters = {
            "status": form.cleaned_data["status"] or None,
            "app_name": form.cleaned_data["app"].strip() or None,
            "date_from": form.cleaned_data["date_from"],
            "date_to": form.cleaned_data["date_to"],
        }
    page = Paginator(selectors.OrderListRows(organization=request.organization, **filters),
                     ORDERS_PER_PAGE).get_page(request.GET.get("page"))
    orders = page.object_list
    return render(request, "orders/order_list.html", {
        "form": form, "page": page, "orders": orders, "filtered": any(filters.values()),
        "any_provisioning": any(order["status"] == Order.Status.PROVISIONING for order in orders),
    })


@org_view(Action.VIEW_BILLING)
def order_detail(request, org_name: str, number: str):
    order = get_object_or_404(selectors.order_detail_queryset(organization=request.organization), key__number=number)
    return render(request, "orders/order_detail.html", {
        "order": order, "provisioning": order.status == Order.Status.PROVISIONING,
    })


@require_http_methods(["GET"])
def purchase_agreement(request):
    """The agreement in force, in the reader's language; public (linked from checkout)."""
    agreement = selectors.purchase_agreement_current()
    if agreement is None:
        raise Http404("No purchase agreement is published.")
    return render(request, "orders/purchase_agreement.html", {
        "agreement": agreement, "text": agreement.text_in(get_language() or "zh-hans"),
    })
