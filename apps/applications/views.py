from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from apps.accounts.access import org_view
from apps.accounts.reauth import reauth_is_fresh, reauth_required
from apps.accounts.roles import Action
from apps.applications import selectors, services
from apps.applications.access import app_view
from apps.applications.exceptions import AppError, AppLimitReached, AppNameTaken
from apps.applications.forms import AppCreateForm, AppEditForm, SecretRotateForm
from apps.im.usage_selectors import app_usage_today
from apps.plans.selectors import catalog_settings
from console import crypto
from console.errors import show_domain_error
from orders.entitlements import annotate_current_plan, app_entitlements

APPS_PER_PAGE = 20


@org_view(Action.VIEW_APPS)
def app_list(request, org_name: str):
    # PostgreSQL text cannot hold NUL: a search with one would be a 500.
    search = request.GET.get("q", "").replace("\x00", "").strip()[:32]
    apps = annotate_current_plan(selectors.app_list(organization=request.organization, search=search)).values_list(
        "pk", "name", "product_name", "status", "created_at", "data_center__name_zh", "data_center__name_en",
        "current_plan_id", named=True
    )
    paginator = Paginator(apps, APPS_PER_PAGE)
    page = paginator.get_page(request.GET.get("page"))
    return render(
        request,
        "applications/app_list.html",
        {
            "page": page,
            "search": search,
            # Without a search the paginator has counted every app of the org already.
            "app_count": selectors.app_count(organization=request.organization) if search else paginator.count,
            "app_limit": catalog_settings().app_limit,
        },
    )


@org_view(Action.CHANGE_APPS)
def app_create(request, org_name: str):
    organization = request.organization
    form = AppCreateForm(request.POST or None, organization=organization)
    if request.method == "POST" and form.is_valid():
        try:
            app = services.app_create(organization=organization, actor=request.user, **form.cleaned_data)
        except AppNameTaken as exc:
            show_domain_error(request, exc, form=form, field="name")
        except AppError as exc:
            show_domain_error(request, exc, form=form)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("App %(app_key)s created on the Free plan.") % {"app_key": app.app_key})
            return redirect("applications:app_detail", org_name=organization.name, app_name=app.name)
    app_limit = catalog_settings().app_limit
    app_count = selectors.app_count(organization=organization)
    return render(
        request,
        "applications/app_form.html",
        {
            "form": form,
            "app_limit": app_limit,
            "app_count": app_count,
            "limit_message": AppLimitReached(app_limit).message if app_count >= app_limit else None,
        },
    )


def _overview(request, app, *, rotate_form=None, revealed_secret=None, status=200):
    entitlements = app_entitlements(app=app)
    return render(
        request,
        "applications/app_detail.html",
        {
            "app": app,
            "plan": entitlements.plan,
            "entitlements": entitlements,
            "usage_today": app_usage_today(app=app),
            "masked_secret": crypto.mask(app.client_secret),
            "revealed_secret": revealed_secret,
            "reauth_fresh": reauth_is_fresh(request),
            "rotate_form": rotate_form or SecretRotateForm(),
        },
        status=status,
    )


@never_cache
@app_view(Action.VIEW_APPS)
def app_detail(request, app):
    return _overview(request, app)


@app_view(Action.CHANGE_APPS)
def app_edit(request, app):
    form = AppEditForm(request.POST or None, instance=app)
    if request.method == "POST" and form.is_valid():
        try:
            services.app_update(app=app, actor=request.user, **form.cleaned_data)
        except AppError as exc:
            show_domain_error(request, exc, form=form)
        else:
            messages.success(request, _("App details saved."))
            return redirect("applications:app_detail", org_name=app.organization.name, app_name=app.name)
    return render(request, "applications/app_edit.html", {"app": app, "form": form})


@never_cache
@app_view(Action.CHANGE_APPS)
@require_POST
@reauth_required
def secret_reveal(request, app):
    secret = services.app_secret_reveal(app=app, actor=request.user)
    return _overview(request, app, revealed_secret=secret)


@app_view(Action.CHANGE_APPS)
@require_POST
@reauth_required
def secret_rotate(request, app):
    form = SecretRotateForm(request.POST)
    if not form.is_valid():
        return _overview(request, app, rotate_form=form)
    services.app_secret_rotate(app=app, actor=request.user)
    messages.success(
        request,
        _("A new Client Secret was generated; the previous one no longer works. Reveal it to update your servers."),
    )
    return redirect("applications:app_detail", org_name=app.organization.name, app_name=app.name)
