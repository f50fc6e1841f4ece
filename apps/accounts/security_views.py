"""The user's own security pages: two-factor sign-in (enrol, recovery codes, switch off) and the organization's
two-factor rule on the members page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from apps.accounts import reauth, twofactor, usersessions
from apps.accounts.access import org_view
from apps.accounts.exceptions import AccountError
from apps.accounts.forms import TwoFactorConfirmForm, TwoFactorPolicyForm
from apps.accounts.models import UserSession
from apps.accounts.roles import Action


@never_cache
@login_required
def security(request):
    user = request.user
    return render(request, "accounts/security.html", {
        "two_factor_on": twofactor.has_two_factor(user),
        "recovery_codes_left": twofactor.recovery_codes_left(user=user),
        "required_by": [m.organization.name for m in user.memberships.select_related("organization")
                        if m.organization.require_two_factor],
        "sessions": usersessions.user_sessions(user=user),
        "current_row": request.session.get(usersessions.SESSION_ROW),
        "history": usersessions.sign_in_history(user=user)[:200],
        "history_days": usersessions.HISTORY_DAYS,
    })


@login_required
@require_POST
def session_sign_out(request, pk: int):
    row = get_object_or_404(UserSession.objects.filter(user=request.user), pk=pk)
    if row.pk == request.session.get(usersessions.SESSION_ROW):
        messages.info(request, _("That is this session: use Log out instead."))
    else:
        usersessions.session_sign_out(row=row)
        messages.success(request, _("That session was signed out."))
    return redirect("accounts:security")


@login_required
@require_POST
def sessions_sign_out_others(request):
    count = usersessions.sessions_sign_out_others(user=request.user,
                                                  current_row=request.session.get(usersessions.SESSION_ROW))
    messages.success(request, ngettext("%(n)d other session was signed out.", "%(n)d other sessions were signed out.",
                                       count) % {"n": count})
    return redirect("accounts:security")


def _recovery_codes_page(request, codes: list[str], *, next_url: str | None = None):
    response = render(request, "accounts/recovery_codes.html", {"codes": codes, "next": next_url})
    response["Cache-Control"] = "no-store"
    return response


@never_cache
@login_required
@reauth.reauth_required  # else a stolen session could switch it on and lock the owner of the account out
def two_factor_enrol(request):
    next_url = reauth.safe_next(request, request.POST.get("next") or request.GET.get("next"))
    if twofactor.has_two_factor(request.user):
        messages.info(request, _("Two-factor sign-in is on already."))
        return HttpResponseRedirect(next_url or reverse("accounts:security"))
    device = twofactor.enrolment_start(user=request.user)
    form = TwoFactorConfirmForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            codes = twofactor.enrolment_confirm(user=request.user, code=form.cleaned_data["code"])
        except AccountError as error:
            form.add_error("code", error.message)
        else:
            reauth.reauth_record(request)
            messages.success(request, _("Two-factor sign-in is on. Keep your recovery codes somewhere safe."))
            return _recovery_codes_page(request, codes, next_url=next_url)
    uri = device.config_url(issuer=twofactor.issuer_name())
    return render(request, "accounts/two_factor_enrol.html", {
        "form": form, "qr_code": twofactor.qr_code_data_uri(uri), "secret": device.base32_key,
        "otpauth_uri": uri, "next": next_url or "",
    })


@never_cache
@login_required
@require_POST
@reauth.reauth_required
def recovery_codes_regenerate(request):
    try:
        codes = twofactor.recovery_codes_replace(user=request.user)
    except AccountError as error:
        messages.error(request, error.message)
        return redirect("accounts:security")
    messages.success(request, _("New recovery codes made; the old ones no longer work."))
    return _recovery_codes_page(request, codes)


@login_required
@require_POST
@reauth.reauth_required
def two_factor_disable(request):
    try:
        twofactor.two_factor_disable(user=request.user)
    except AccountError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Two-factor sign-in is off. Remembered devices were forgotten."))
    return redirect("accounts:security")


@org_view(Action.MANAGE_SECURITY)
@require_POST
@reauth.reauth_required
def two_factor_policy(request, org_name: str):
    form = TwoFactorPolicyForm(request.POST)
    form.is_valid()  # a missing or odd box is "not required"; nothing else to validate
    required = bool(form.cleaned_data.get("required"))
    try:
        twofactor.organization_require_two_factor(actor=request.membership, required=required)
    except AccountError as error:
        messages.error(request, error.message)
    else:
        if required:
            messages.success(request, _("Every member now needs two-factor sign-in to open this organization."))
        else:
            messages.success(request, _("Two-factor sign-in is no longer required in this organization."))
    return redirect("members:member_list", org_name=org_name)
