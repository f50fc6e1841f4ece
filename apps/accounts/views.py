from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.accounts import reauth, services, twofactor, usersessions
from apps.accounts.access import SESSION_ORG_KEY, org_view
from apps.accounts.exceptions import (
    AccountError,
    AlreadyMember,
    EmailTaken,
    InvitationNotUsable,
    OrgNameTaken,
    RoleNotAllowed,
)
from apps.accounts.forms import (
    InvitationForm,
    InvitationSignupForm,
    LimitedPasswordChangeForm,
    LoginCodeForm,
    LoginForm,
    MemberRoleForm,
    ReauthForm,
    SignupForm,
)
from apps.accounts.models import Membership, SignInEvent, User
from apps.accounts.roles import Action, Role, role_may, role_may_manage
from apps.accounts.selectors import current_membership, invitation_by_token, invitation_pending_list, member_list
from console.errors import show_domain_error
from console.urltools import row_url_maker

# Our own backend name: with axes in AUTHENTICATION_BACKENDS, login() must be told which one vouched.
MODEL_BACKEND = "apps.accounts.backends.ModelBackend"


PENDING_SIGN_IN = "two_factor_pending"
PENDING_FOR = 300  # seconds between the right password and the code


class LoginView(auth_views.LoginView):
    """Email and password; with two-factor sign-in on (and this device not remembered) the user is not signed in
    yet: the session only remembers who passed the password, and login_code asks for the code."""

    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        user = form.get_user()
        cookie = self.request.COOKIES.get(twofactor.REMEMBER_COOKIE)
        remembered = twofactor.is_remembered(user=user, cookie_value=cookie)
        if not twofactor.has_two_factor(user) or remembered:
            response = super().form_valid(form)
            reauth.reauth_record(self.request)  # the password was just entered: a fresh check
            usersessions.sign_in_succeeded(request=self.request, response=response, user=user)
            return response
        self.request.session[PENDING_SIGN_IN] = {
            "user": user.pk, "backend": user.backend, "at": timezone.now().timestamp(),
            "next": self.get_success_url(),
        }
        return redirect("accounts:login_code")


def _pending_user(request) -> tuple[User | None, dict]:
    pending = request.session.get(PENDING_SIGN_IN)
    if not isinstance(pending, dict) or timezone.now().timestamp() - pending.get("at", 0) > PENDING_FOR:
        return None, {}
    return User.objects.filter(pk=pending.get("user"), is_active=True).first(), pending


def login_code(request):
    """Second step of signing in: a code from the authenticator app, or a recovery code (once)."""
    user, pending = _pending_user(request)
    if user is None:
        request.session.pop(PENDING_SIGN_IN, None)
        return render(request, "accounts/login_code.html", {"expired": True})
    form = LoginCodeForm(request.POST or None, user=user, request=request)
    if request.method == "POST":
        if form.is_valid():
            request.session.pop(PENDING_SIGN_IN, None)
            login(request, user, backend=pending["backend"])
            reauth.reauth_record(request)
            response = HttpResponseRedirect(reauth.safe_next(request, pending.get("next")) or reverse("home"))
            if form.cleaned_data["remember"]:
                twofactor.set_remember_cookie(response, user=user)
            usersessions.sign_in_succeeded(request=request, response=response, user=user)
            return response
        if form.has_error("code", "wrong_code"):
            usersessions.sign_in_record(request=request, user=user, outcome=SignInEvent.Outcome.WRONG_CODE)
        if form.has_error("code", "recheck_locked"):
            # Out of attempts: the password must be entered again (and counts for the login lockout there).
            request.session.pop(PENDING_SIGN_IN, None)
            messages.error(request, form.errors["code"][0])
            return redirect("accounts:login")
    return render(request, "accounts/login_code.html", {"form": form})


@login_required
def no_organization(request):
    """A user whose every membership was removed: nothing to show but a way out."""
    if current_membership(request) is not None:
        return redirect("home")
    return render(request, "accounts/no_organization.html")


def _enter_org(request, membership: Membership):
    request.session[SESSION_ORG_KEY] = membership.organization.name
    return redirect("applications:app_list", org_name=membership.organization.name)


def signup(request):
    if request.user.is_authenticated:
        return redirect("home")
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            membership = services.account_signup(
                email=form.cleaned_data["email"],
                password=form.cleaned_data["password1"],
                org_name=form.cleaned_data["org_name"],
            )
        except OrgNameTaken as error:
            show_domain_error(request, error, form=form, field="org_name")
        except EmailTaken as error:
            show_domain_error(request, error, form=form, field="email")
        else:
            login(request, membership.user, backend=MODEL_BACKEND)
            messages.success(
                request,
                _("Welcome! Your organization %(org)s is ready; create your first app.")
                % {"org": membership.organization.name},
            )
            return _enter_org(request, membership)
    return render(request, "accounts/signup.html", {"form": form})


def invitation_accept(request, token: str):
    """Anyone holding the link sees the invitation; joining needs the invited email's account."""
    invitation = invitation_by_token(token=token)
    if invitation is None:
        raise Http404("No such invitation.")
    organization = invitation.organization
    context = {"invitation": invitation, "organization": organization, "role_label": Role(invitation.role).label}

    if request.user.is_authenticated:
        existing = Membership.objects.filter(user=request.user, organization=organization).first()
        if existing is not None:
            context["already_member"] = existing
            return render(request, "accounts/invitation_accept.html", context)
    try:
        services.check_invitation_usable(invitation)
    except InvitationNotUsable as error:
        context["unusable"] = error.message
        return render(request, "accounts/invitation_accept.html", context, status=410)

    if request.user.is_authenticated:
        if request.method == "POST":
            try:
                membership = services.invitation_accept(invitation=invitation, user=request.user)
            except AccountError as error:
                context["error"] = error.message
            else:
                messages.success(
                    request,
                    _("You joined %(org)s as %(role)s.") % {"org": organization.name, "role": context["role_label"]},
                )
                return _enter_org(request, membership)
        elif services.normalize_email(request.user.email) != invitation.email:
            context["error"] = _(
                "This invitation is for %(invited)s, but you are signed in as %(email)s. "
                "Log out and sign in with the invited email."
            ) % {"invited": invitation.email, "email": request.user.email}
        return render(request, "accounts/invitation_accept.html", context)

    if User.objects.filter(email__iexact=invitation.email).exists():
        context["login_url"] = f"{reverse('accounts:login')}?{urlencode({'next': request.path})}"
        return render(request, "accounts/invitation_accept.html", context)

    proof = request.GET.get("proof", "")
    if not proof or not services.invitation_email_proof_valid(invitation=invitation, proof=proof):
        # Holding this link is not enough: the invited address proves itself through a mailed link first.
        context["confirm_email"] = True
        if proof:
            context["error"] = _("This confirmation link is not valid or has expired. Ask for a new one.")
        if request.method == "POST":
            if services.invitation_confirmation_send(invitation=invitation, site_url=request.build_absolute_uri("/")):
                context["confirmation_sent"] = True
            else:
                context["error"] = _("A confirmation link was sent a moment ago. Check the mailbox of %(email)s, "
                                     "or try again in a minute.") % {"email": invitation.email}
        return render(request, "accounts/invitation_accept.html", context)

    form = InvitationSignupForm(request.POST or None, email=invitation.email)
    if request.method == "POST" and form.is_valid():
        try:
            membership = services.invitation_accept_with_signup(
                invitation=invitation, password=form.cleaned_data["password1"], proof=proof
            )
        except EmailTaken:
            # The same form sent twice: the first submission made the account; this one changes nothing.
            form.add_error(None, _("Your account exists already: log in with the invited email to continue."))
        except AccountError as error:
            show_domain_error(request, error, form=form)
        else:
            login(request, membership.user, backend=MODEL_BACKEND)
            messages.success(
                request,
                _("Welcome! You joined %(org)s as %(role)s.")
                % {"org": organization.name, "role": context["role_label"]},
            )
            return _enter_org(request, membership)
    context["form"] = form
    return render(request, "accounts/invitation_accept.html", context)


# --- members of an organization ------------------------------------------------------------------


def _render_member_list(request, *, invite_form: InvitationForm, status: int = 200):
    actor = request.membership
    site_url = request.build_absolute_uri("/")
    invitations = list(invitation_pending_list(organization=request.organization))
    just_invited = request.GET.get("invited")
    for invitation in invitations:
        # The link of an invitation is shown only to whom may send it (an admin never sees an owner's).
        invitation.may_revoke = role_may_manage(actor.role, invitation.role)
        invitation.url = (services.invitation_url(invitation=invitation, site_url=site_url)
                          if invitation.may_revoke else "")
    members = member_list(organization=request.organization)
    owner_count = sum(member["role"] == Role.OWNER for member in members)
    org_name = request.organization.name
    change_role_url = row_url_maker("members:member_change_role", kwargs={"org_name": org_name},
                                    vary="membership_id", placeholder=987654321)
    remove_url = row_url_maker("members:member_remove", kwargs={"org_name": org_name},
                               vary="membership_id", placeholder=987654321)
    for member in members:
        member["change_role_url"], member["remove_url"] = change_role_url(member["pk"]), remove_url(member["pk"])
        member["is_last_owner"] = member["role"] == Role.OWNER and owner_count == 1
        member["may_manage"] = role_may_manage(actor.role, member["role"]) and not member["is_last_owner"]
    context = {
        "members": members,
        "invitations": invitations,
        "new_invitation": next((i for i in invitations if str(i.pk) == just_invited and i.url), None),
        "invite_form": invite_form,
        "role_choices": invite_form.fields["role"].choices,
        "members_without_two_factor": sum(not member["two_factor_on"] for member in members),
        "may_manage_security": actor.may(Action.MANAGE_SECURITY),
    }
    return render(request, "members/member_list.html", context, status=status)


@org_view(Action.MANAGE_MEMBERS)
def member_list_view(request, org_name: str):
    return _render_member_list(request, invite_form=InvitationForm(actor_role=request.membership.role))


@org_view(Action.MANAGE_MEMBERS)
@require_POST
def member_invite(request, org_name: str):
    form = InvitationForm(request.POST, actor_role=request.membership.role)
    if form.is_valid():
        if form.cleaned_data["role"] == Role.OWNER and not reauth.reauth_is_fresh(request):
            return reauth.reauth_redirect(request)
        try:
            invitation = services.invitation_create(
                actor=request.membership,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                site_url=request.build_absolute_uri("/"),
            )
        except AlreadyMember as error:
            show_domain_error(request, error, form=form, field="email")
        except RoleNotAllowed as error:
            show_domain_error(request, error, form=form, field="role")
        else:
            messages.success(
                request,
                _("Invitation sent to %(email)s. You can also copy the link and send it yourself.")
                % {"email": invitation.email},
            )
            return redirect(f"{reverse('members:member_list', kwargs={'org_name': org_name})}?invited={invitation.pk}")
    return _render_member_list(request, invite_form=form)


def _after_change(request, membership: Membership, *, still_member: bool):
    """Back to the members page, unless the actor just gave away their own right to see it."""
    if membership.pk == request.membership.pk:
        if not still_member:
            request.session.pop(SESSION_ORG_KEY, None)
            return redirect("home")
        if not role_may(membership.role, Action.MANAGE_MEMBERS):
            return redirect("applications:app_list", org_name=request.organization.name)
    return redirect("members:member_list", org_name=request.organization.name)


@org_view(Action.MANAGE_MEMBERS)
@require_POST
@reauth.reauth_required
def member_change_role(request, org_name: str, membership_id: int):
    membership = get_object_or_404(request.organization.memberships.select_related("user"), pk=membership_id)
    form = MemberRoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose one of the roles."))
        return redirect("members:member_list", org_name=org_name)
    try:
        membership = services.membership_change_role(
            actor=request.membership, membership=membership, role=form.cleaned_data["role"]
        )
    except AccountError as error:
        show_domain_error(request, error)
        return redirect("members:member_list", org_name=org_name)
    messages.success(
        request,
        _("%(email)s is now %(role)s.") % {"email": membership.user.email, "role": Role(membership.role).label},
    )
    return _after_change(request, membership, still_member=True)


@org_view(Action.MANAGE_MEMBERS)
@require_POST
def member_remove(request, org_name: str, membership_id: int):
    membership = get_object_or_404(request.organization.memberships.select_related("user"), pk=membership_id)
    try:
        services.membership_remove(actor=request.membership, membership=membership)
    except AccountError as error:
        show_domain_error(request, error)
        return redirect("members:member_list", org_name=org_name)
    messages.success(
        request, _("%(email)s was removed from %(org)s.") % {"email": membership.user.email, "org": org_name}
    )
    return _after_change(request, membership, still_member=False)


@org_view(Action.MANAGE_MEMBERS)
@require_POST
def invitation_revoke(request, org_name: str, invitation_id: int):
    invitation = get_object_or_404(request.organization.invitations.filter(accepted_at__isnull=True), pk=invitation_id)
    try:
        services.invitation_revoke(actor=request.membership, invitation=invitation)
    except AccountError as error:
        show_domain_error(request, error)
    else:
        messages.success(request, _("The invitation of %(email)s was revoked.") % {"email": invitation.email})
    return redirect("members:member_list", org_name=org_name)


# --- operation protection ------------------------------------------------------------------------


@login_required
def reauth_view(request):
    next_url = reauth.safe_next(request, request.POST.get("next") or request.GET.get("next")) or reverse("home")
    form = ReauthForm(request.POST or None, user=request.user, request=request)
    if request.method == "POST" and form.is_valid():
        reauth.reauth_record(request)
        messages.success(request, _("Confirmed. For the next 10 minutes you can do protected operations."))
        return HttpResponseRedirect(next_url)
    return render(request, "accounts/reauth.html", {"form": form, "next": next_url})


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    form_class = LimitedPasswordChangeForm
    success_url = reverse_lazy("accounts:password_change_done")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "request": self.request}

    def form_valid(self, form):
        response = super().form_valid(form)
        reauth.reauth_record(self.request)
        return response
