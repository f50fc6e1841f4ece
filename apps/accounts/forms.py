import re

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.utils.translation import gettext_lazy as _

from apps.accounts import reauth, twofactor
from apps.accounts.exceptions import RecheckLocked
from apps.accounts.models import ORG_NAME_VALIDATOR, Organization, User
from apps.accounts.roles import Role, role_may_manage


class LoginForm(AuthenticationForm):
    # Django's message adds "both fields may be case-sensitive": the email is not (it is matched lower-cased).
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("Wrong email or password. Check the password and try again."),
    }
    username = forms.EmailField(label=_("Email"), widget=forms.EmailInput(attrs={"autofocus": True}))

    def clean_username(self) -> str:
        # Emails are stored lower-case; lower-casing here also keeps "A@x" and "a@x" one lockout key.
        return self.cleaned_data["username"].strip().lower()


class PasswordPairMixin(forms.Form):
    password1 = forms.CharField(
        label=_("Password"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=_("Password (again)"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def password_user(self) -> User:
        """The account the password is for, so the similarity validator can compare it with the email."""
        raise NotImplementedError

    def clean(self):
        cleaned = super().clean()
        password1, password2 = cleaned.get("password1"), cleaned.get("password2")
        if password1 and password2:
            if password1 != password2:
                self.add_error("password2", _("The two passwords do not match."))
            else:
                try:
                    password_validation.validate_password(password1, user=self.password_user())
                except forms.ValidationError as error:
                    self.add_error("password1", error)
        return cleaned


def org_name_suggestion(name: str) -> str:
    """A valid OrgName close to what was typed ("My_Org" -> "my-org"), or "" when nothing is left of it."""
    candidate = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    candidate = re.sub(r"^[^a-z]+", "", candidate)[:32].rstrip("-")
    return candidate if ORG_NAME_VALIDATOR.regex.match(candidate) else ""


class SignupForm(PasswordPairMixin):
    email = forms.EmailField(label=_("Email"), widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    org_name = forms.CharField(
        label=_("OrgName"), max_length=32,
        help_text=_("1–32 characters: lower-case letters, digits and “-”, starting with a letter. "
                    "It is the first half of every AppKey and cannot be changed later."),
    )
    field_order = ["email", "org_name", "password1", "password2"]

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(_("An account with this email exists already. Log in instead."))
        return email

    def clean_org_name(self) -> str:
        name = self.cleaned_data["org_name"].strip()
        try:
            ORG_NAME_VALIDATOR(name)
        except forms.ValidationError:
            suggestion = org_name_suggestion(name)
            if suggestion and suggestion == name.lower():
                raise forms.ValidationError(
                    _("OrgName must be lower-case: use “%(lower)s”, not “%(name)s”."),
                    params={"lower": suggestion, "name": name},
                ) from None
            if suggestion:
                raise forms.ValidationError(
                    _("1–32 characters: lower-case letters, digits and “-”, starting with a letter: "
                      "for example “%(suggestion)s”."),
                    code="invalid_org_name", params={"suggestion": suggestion},
                ) from None
            raise
        if Organization.objects.filter(name__iexact=name).exists():
            raise forms.ValidationError(_("This OrgName is taken. Choose another one."))
        return name

    def password_user(self) -> User:
        return User(email=self.cleaned_data.get("email", ""))


def _role_choices(actor_role: str) -> list[tuple[str, str]]:
    """An owner may give every role; an admin every role but owner."""
    return [(value, label) for value, label in Role.choices if role_may_manage(actor_role, value)]


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("Email"))
    role = forms.ChoiceField(label=_("Role"))

    def __init__(self, *args, actor_role: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = _role_choices(actor_role)
        self.fields["role"].initial = Role.DEVELOPER

    def clean_email(self) -> str:
        return self.cleaned_data["email"].strip().lower()


class MemberRoleForm(forms.Form):
    """Every role is a valid choice here; whether the actor may give it is the service's rule."""

    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)


class InvitationSignupForm(PasswordPairMixin):
    """An invitee without an account chooses a password; the email is the invited one."""

    def __init__(self, *args, email: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.email = email

    def password_user(self) -> User:
        return User(email=self.email)


def _recheck_password(*, user, password: str, request) -> None:
    try:
        correct = reauth.password_recheck(user=user, password=password, request=request)
    except RecheckLocked as error:
        raise forms.ValidationError(error.message, code="recheck_locked") from error
    if not correct:
        raise forms.ValidationError(_("The password is not correct."), code="wrong_password")


def _recheck_code(*, user, code: str, request) -> None:
    try:
        correct = reauth.code_recheck(user=user, code=code, request=request)
    except RecheckLocked as error:
        raise forms.ValidationError(error.message, code="recheck_locked") from error
    if not correct:
        raise forms.ValidationError(_("The code is not correct."), code="wrong_code")


CODE_WIDGET = forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "spellcheck": "false"})


class ReauthForm(forms.Form):
    """Confirm it is you before a sensitive operation: the password, or a two-factor code when enrolled."""

    password = forms.CharField(
        label=_("Your password"), strip=False, max_length=4096, required=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password", "autofocus": True}),
    )
    code = forms.CharField(
        label=_("Or a code from your authenticator app"), max_length=32, required=False, widget=CODE_WIDGET,
        help_text=_("A recovery code works too (once)."),
    )

    def __init__(self, *args, user, request, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.request = request
        if not twofactor.has_two_factor(user):
            del self.fields["code"]

    def clean(self):
        cleaned = super().clean()
        password, code = cleaned.get("password"), (cleaned.get("code") or "").strip()
        if self.errors:
            return cleaned
        if code:
            try:
                _recheck_code(user=self.user, code=code, request=self.request)
            except forms.ValidationError as error:
                self.add_error("code", error)
        elif password:
            try:
                _recheck_password(user=self.user, password=password, request=self.request)
            except forms.ValidationError as error:
                self.add_error("password", error)
        else:
            self.add_error("password", _("Enter your password."))
        return cleaned


class LoginCodeForm(forms.Form):
    """The second step of signing in with two-factor sign-in on."""

    code = forms.CharField(
        label=_("Code from your authenticator app"), max_length=32, widget=CODE_WIDGET,
        help_text=_("Lost your phone? Enter one of your recovery codes instead."),
    )
    remember = forms.BooleanField(label=_("Remember this device for 30 days"), required=False)

    def __init__(self, *args, user, request, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.request = request

    def clean_code(self) -> str:
        code = self.cleaned_data["code"].strip()
        _recheck_code(user=self.user, code=code, request=self.request)
        return code


class TwoFactorConfirmForm(forms.Form):
    code = forms.CharField(
        label=_("Code shown by the app"), max_length=32, widget=CODE_WIDGET,
        help_text=_("6 digits; a new one every 30 seconds."),
    )


class TwoFactorPolicyForm(forms.Form):
    required = forms.BooleanField(required=False)


class LimitedPasswordChangeForm(PasswordChangeForm):
    """Django's password change, with the old password checked under the re-check attempt limit."""

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.request = request

    def clean_old_password(self) -> str:
        old_password = self.cleaned_data["old_password"]
        _recheck_password(user=self.user, password=old_password, request=self.request)
        return old_password
