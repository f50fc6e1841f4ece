"""Every URL pattern of the console, with how to point it at an object of the world, who may use it and
what a valid submission looks like. The walker fails on a pattern missing here, so every new page joins.

``action``: PUBLIC (anyone), LOGIN (any signed-in user), an ``Action`` of the role matrix, or a dict
method -> one of those when GET and POST differ. ``methods``: what the route is meant to accept.
``data``: a valid POST payload. ``query``: GET parameters the page reads. ``writes``: the models a
successful POST may add rows to or delete rows from (every other table must keep its row count).
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.auth.tokens import default_token_generator
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from apps.accounts.roles import Action
from apps.applications.models import DataCenter
from orders.tokens import checkout_token_issue
from tests.callbacks.factories import PUBLIC_URL, sample_callback_rule
from tests.notifications.factories import sample_alert
from tests.push.factories import push_sample_certificate
from tests.quality.world import PASSWORD, OrgWorld

PUBLIC = None
LOGIN = "login"
NEW_PASSWORD = "Quality-wall-2026!"

AUDIT = "audit.AuditEntry"
AXES = frozenset({"axes.AccessAttempt", "axes.AccessLog", "axes.AccessFailureLog"})
# Signing in or out keeps the session list, the sign-in history and the known devices.
SIGN_IN = frozenset({"accounts.UserSession", "accounts.SignInEvent", "accounts.KnownDevice"})


@dataclass(frozen=True)
class Sample:
    kwargs: Callable[[OrgWorld], dict] = lambda o: {}
    action: object = LOGIN
    methods: tuple[str, ...] = ("GET",)
    data: Callable[[OrgWorld], dict] = lambda o: {}
    query: tuple[str, ...] = ()
    writes: frozenset[str] = field(default_factory=frozenset)
    ends_on_login_page: bool = False  # logging out lands there on purpose

    def action_for(self, method: str):
        return self.action.get(method) if isinstance(self.action, dict) else self.action


def _app(o: OrgWorld) -> dict:
    return {"app_name": o.app.name}


def _im_user(o: OrgWorld) -> dict:
    """The world's app and its sample IM user (registered through the REST service on first use)."""
    from apps.im.models import ImUser
    from apps.im.services.users import users_register

    if not ImUser.objects.filter(app=o.app, username="sample-user").exists():
        users_register(app=o.app, entries={"username": "sample-user", "password": "secret1"})
    return {**_app(o), "username": "sample-user"}


def _im_group(o: OrgWorld) -> dict:
    """The world's app and its sample group, owned by the sample IM user, with member "sample-member"."""
    from apps.im.models import ImGroup
    from apps.im.services.groups import group_create
    from apps.im.services.users import users_register

    kwargs = _im_user(o)
    group = ImGroup.objects.filter(app=o.app, name="sample-group").first()
    if group is None:
        users_register(app=o.app, entries={"username": "sample-member", "password": "secret1"})
        group = group_create(app=o.app, data={"groupname": "sample-group", "owner": "sample-user",
                                              "members": ["sample-member"], "maxusers": 10, "public": True})
    return {"app_name": kwargs["app_name"], "group_id": group.group_id}


def _reset_link(o: OrgWorld) -> dict:
    return {"uidb64": urlsafe_base64_encode(force_bytes(o.owner.pk)),
            "token": default_token_generator.make_token(o.owner)}


def _enrolment_code(user) -> str:
    """The code an authenticator app shows for the user's pending two-factor key (the enrol page's GET made it;
    without one, a code that cannot match)."""
    from django_otp.oath import totp

    from apps.accounts.twofactor import totp_device

    device = totp_device(user=user, confirmed=False)
    return f"{totp(device.bin_key, step=30, digits=6):06d}" if device else "000000"


def _other_session_of(user) -> int:
    """A new signed-in session of the user (the walker's own client is another one)."""
    from django.test import Client

    from apps.accounts.models import UserSession

    Client().force_login(user)
    return UserSession.objects.filter(user=user).latest("pk").pk


SAMPLES: dict[str, Sample] = {
    # --- public and account pages -------------------------------------------------------------
    "home": Sample(action=LOGIN),
    "healthz": Sample(action=PUBLIC),
    "accounts:login": Sample(
        action=PUBLIC, methods=("GET", "POST"), writes=AXES | SIGN_IN,
        data=lambda o: {"username": o.owner.email, "password": PASSWORD},
    ),
    "accounts:logout": Sample(action=LOGIN, methods=("POST",), ends_on_login_page=True, writes=SIGN_IN),
    "accounts:signup": Sample(
        action=PUBLIC, methods=("GET", "POST"),
        writes=frozenset({"accounts.User", "accounts.Organization", "accounts.Membership", AUDIT, *AXES, *SIGN_IN}),
        data=lambda o: {"email": "new@signup.test", "org_name": "initech", "password1": NEW_PASSWORD,
                        "password2": NEW_PASSWORD},
    ),
    "accounts:invitation_accept": Sample(
        action=PUBLIC, methods=("GET", "POST"), kwargs=lambda o: {"token": o.invitation.token},
        writes=frozenset({"accounts.User", "accounts.Membership", AUDIT, *AXES, *SIGN_IN}),
        data=lambda o: {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    ),
    "accounts:password_change": Sample(
        action=LOGIN, methods=("GET", "POST"),
        data=lambda o: {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    ),
    "accounts:password_change_done": Sample(action=LOGIN),
    # Without a password entered first the code step only says to start again (tests/accounts/test_two_factor.py
    # walks the real sign-in).
    "accounts:login_code": Sample(action=PUBLIC, methods=("GET", "POST"), data=lambda o: {"code": "123456"}),
    "accounts:security": Sample(action=LOGIN),
    "accounts:session_sign_out": Sample(
        action=LOGIN, methods=("POST",), kwargs=lambda o: {"pk": _other_session_of(o.owner)},
        writes=frozenset({"accounts.UserSession", "sessions.Session"}),
    ),
    "accounts:sessions_sign_out_others": Sample(
        action=LOGIN, methods=("POST",), writes=frozenset({"accounts.UserSession", "sessions.Session"}),
    ),
    "accounts:two_factor_enrol": Sample(
        action=LOGIN, methods=("GET", "POST"), query=("next",),
        writes=frozenset({"accounts.TOTPDevice", "accounts.RecoveryCode"}),
        data=lambda o: {"code": _enrolment_code(o.owner), "next": "/"},
    ),
    "accounts:two_factor_disable": Sample(
        action=LOGIN, methods=("POST",), writes=frozenset({"accounts.TOTPDevice", "accounts.RecoveryCode"}),
    ),
    "accounts:recovery_codes_regenerate": Sample(
        action=LOGIN, methods=("POST",), writes=frozenset({"accounts.RecoveryCode"}),
    ),
    "accounts:reauth": Sample(
        action=LOGIN, methods=("GET", "POST"), query=("next",),
        data=lambda o: {"password": PASSWORD, "next": "/"},
    ),
    "accounts:password_reset": Sample(action=PUBLIC, methods=("GET", "POST"), data=lambda o: {"email": o.owner.email}),
    "accounts:password_reset_done": Sample(action=PUBLIC),
    "accounts:password_reset_confirm": Sample(
        action=PUBLIC, methods=("GET", "POST"), kwargs=_reset_link,
        data=lambda o: {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    ),
    "accounts:password_reset_complete": Sample(action=PUBLIC),
    "accounts:no_organization": Sample(action=LOGIN),
    "plans:plan_compare": Sample(action=PUBLIC),
    "purchase_agreement": Sample(action=PUBLIC),
    # --- apps ------------------------------------------------------------------------------------
    "applications:app_list": Sample(action=Action.VIEW_APPS, query=("q", "page")),
    "applications:app_create": Sample(
        action=Action.CHANGE_APPS, methods=("GET", "POST"), writes=frozenset({"applications.App", AUDIT}),
        data=lambda o: {"name": "fresh", "product_name": "Fresh", "description": "A new app",
                        "data_center": DataCenter.objects.order_by("sort_order").first().pk},
    ),
    "applications:app_detail": Sample(kwargs=_app, action=Action.VIEW_APPS),
    "applications:app_edit": Sample(
        kwargs=_app, action=Action.CHANGE_APPS, methods=("GET", "POST"), writes=frozenset({AUDIT}),
        data=lambda o: {"product_name": "Chat Two", "description": "Edited"},
    ),
    "applications:secret_reveal": Sample(
        kwargs=_app, action=Action.CHANGE_APPS, methods=("POST",), writes=frozenset({AUDIT}),
    ),
    "applications:secret_rotate": Sample(
        kwargs=_app, action=Action.CHANGE_APPS, methods=("POST",), writes=frozenset({AUDIT}),
        data=lambda o: {"confirm": "on"},
    ),
    # --- features --------------------------------------------------------------------------------
    "features:overview": Sample(kwargs=_app, action=Action.VIEW_APPS),
    "features:settings_recall": Sample(
        kwargs=_app, action={"GET": Action.VIEW_APPS, "POST": Action.CHANGE_APPS}, methods=("GET", "POST"),
        writes=frozenset({"features.RecallSettings", "features.AppFeature", AUDIT}),
        data=lambda o: {"client_recall_value": "5", "client_recall_unit": "minutes", "rest_recall_value": "1",
                        "rest_recall_unit": "days"},
    ),
    "features:enable": Sample(
        kwargs=lambda o: {**_app(o), "code": "push"}, action=Action.CHANGE_APPS, methods=("POST",),
        writes=frozenset({"features.AppFeature", AUDIT}),
    ),
    "features:settings_push": Sample(kwargs=_app, action=Action.VIEW_APPS),
    "features:push_certificate_create": Sample(
        kwargs=lambda o: {**_app(o), "vendor": "xiaomi"}, action=Action.CHANGE_APPS, methods=("GET", "POST"),
        writes=frozenset({"push.PushCertificate", AUDIT}),
        data=lambda o: {"name": "2882303761517", "app_secret": "walker-AppSecret-0002",
                        "package_name": "com.example.chat", "channel_id": "high_system"},
    ),
    "features:push_certificate_edit": Sample(
        kwargs=lambda o: {**_app(o), "pk": push_sample_certificate(o)},
        action={"GET": Action.VIEW_APPS, "POST": Action.CHANGE_APPS}, methods=("GET", "POST"),
        writes=frozenset({AUDIT}),
        data=lambda o: {"name": "2882303761517000001", "app_secret": "", "package_name": "com.example.chat",
                        "channel_id": "low_system"},
    ),
    "features:push_certificate_delete": Sample(
        kwargs=lambda o: {**_app(o), "pk": push_sample_certificate(o)}, action=Action.CHANGE_APPS,
        methods=("POST",), writes=frozenset({"push.PushCertificate", AUDIT}),
    ),
    "features:settings_callbacks": Sample(kwargs=_app, action=Action.VIEW_APPS),
    "features:callback_rule_new": Sample(
        kwargs=_app, action=Action.CHANGE_APPS, methods=("GET", "POST"),
        writes=frozenset({"callbacks.CallbackRule", AUDIT}),
        data=lambda o: {"name": "moderation", "kind": "pre_send", "url": PUBLIC_URL, "chat_types": ["chat"],
                        "message_types": ["txt", "img"], "enabled": "on", "wait_ms": "300", "on_failure": "block"},
    ),
    "features:callback_rule_edit": Sample(
        kwargs=lambda o: {**_app(o), "pk": sample_callback_rule(o)},
        action={"GET": Action.VIEW_APPS, "POST": Action.CHANGE_APPS}, methods=("GET", "POST"),
        writes=frozenset({AUDIT}),
        data=lambda o: {"name": "sample-renamed", "kind": "post_send", "url": PUBLIC_URL,
                        "chat_types": ["chat", "chatroom"], "message_types": ["txt"], "enabled": "on"},
    ),
    "features:callback_rule_delete": Sample(
        kwargs=lambda o: {**_app(o), "pk": sample_callback_rule(o)}, action=Action.CHANGE_APPS, methods=("POST",),
        writes=frozenset({"callbacks.CallbackRule", "callbacks.CallbackDelivery", AUDIT}),
    ),
    "features:callback_secret_rotate": Sample(
        kwargs=lambda o: {**_app(o), "pk": sample_callback_rule(o)}, action=Action.CHANGE_APPS, methods=("POST",),
        writes=frozenset({AUDIT}),
    ),
    "features:callback_rule_test": Sample(
        kwargs=lambda o: {**_app(o), "pk": sample_callback_rule(o)}, action=Action.CHANGE_APPS, methods=("POST",),
        writes=frozenset({AUDIT}),
    ),
    "features:settings_sensitive_words": Sample(
        kwargs=_app, action={"GET": Action.VIEW_APPS, "POST": Action.CHANGE_APPS}, methods=("GET", "POST"),
        query=("q", "page"), writes=frozenset({"sensitive_words.SensitiveWordSettings", AUDIT}),
        data=lambda o: {"enabled": "on", "action": "replace", "ignore_case": "on"},
    ),
    "features:sensitive_words_add": Sample(
        kwargs=_app, action=Action.CHANGE_APPS, methods=("POST",),
        writes=frozenset({"sensitive_words.SensitiveWord", "sensitive_words.SensitiveWordSettings", AUDIT}),
        data=lambda o: {"words": "spam\n敏感\nSPAM"},
    ),
    "features:sensitive_words_import": Sample(
        kwargs=_app, action=Action.CHANGE_APPS, methods=("POST",),
        writes=frozenset({"sensitive_words.SensitiveWord", "sensitive_words.SensitiveWordSettings", AUDIT}),
        data=lambda o: {"file": SimpleUploadedFile("words.txt", "spam\n敏感\n".encode(), "text/plain")},
    ),
    "features:sensitive_words_delete": Sample(
        # The world holds no word: a valid selection naming none of the app's words deletes nothing.
        kwargs=_app, action=Action.CHANGE_APPS, methods=("POST",),
        writes=frozenset({"sensitive_words.SensitiveWord", AUDIT}),
        data=lambda o: {"words": "1", "q": "", "page": "1"},
    ),
    "features:sensitive_words_test": Sample(
        kwargs=_app, action=Action.VIEW_APPS, methods=("POST",), data=lambda o: {"message": "no spam here"},
    ),
    "features:settings_ip_whitelist": Sample(
        kwargs=_app, action={"GET": Action.VIEW_APPS, "POST": Action.CHANGE_APPS}, methods=("GET", "POST"),
        writes=frozenset({"ipwhitelist.WhitelistEntry", AUDIT}),
        data=lambda o: {"entries": "203.0.113.0/24\n2001:db8::1", "note": "office"},
    ),
    "features:ip_whitelist_check": Sample(
        kwargs=_app, action=Action.VIEW_APPS, methods=("GET", "POST"), query=("address",),
        data=lambda o: {"address": "203.0.113.7"},
    ),
    # The world has no whitelist entries: deleting one that is not there redirects with a message
    # (tests/ipwhitelist delete real ones).
    "features:ip_whitelist_delete": Sample(
        kwargs=lambda o: {**_app(o), "pk": 1}, action=Action.CHANGE_APPS, methods=("POST",),
        writes=frozenset({"ipwhitelist.WhitelistEntry", AUDIT}),
    ),
    # --- orders ----------------------------------------------------------------------------------
    "orders:checkout": Sample(
        kwargs=_app, action=Action.PURCHASE, methods=("GET", "POST"), query=("feature",),
        writes=frozenset({"orders.Order", "orders.OrderKey", "orders.OrderLine", "orders.OrderStatusChange", AUDIT}),
        data=lambda o: {"plan": "premium", "agree": "on", "token": checkout_token_issue(app=o.app)},
    ),
    "orders:estimate": Sample(
        kwargs=_app, action=Action.PURCHASE, methods=("GET", "POST"), query=("plan", "part"),
        data=lambda o: {"plan": "premium", "addon_message_storage": "3", "part": "plan"},
    ),
    "orders:order_list": Sample(
        action=Action.VIEW_BILLING, query=("status", "app", "date_from", "date_to", "page"),
    ),
    "orders:order_detail": Sample(
        kwargs=lambda o: {"number": o.orders["completed"].number}, action=Action.VIEW_BILLING,
    ),
    # --- billing ---------------------------------------------------------------------------------
    "billing:account": Sample(action=Action.VIEW_BILLING, query=("page",)),
    "billing:topup_request": Sample(
        action=Action.REQUEST_TOPUP, methods=("POST",), writes=frozenset({"billing.TopUpRequest", AUDIT}),
        data=lambda o: {"amount": "1000.00", "reference": "BANK-2026-0001"},
    ),
    "billing:bill_list": Sample(action=Action.VIEW_BILLING, query=("page",)),
    "billing:bill_detail": Sample(
        kwargs=lambda o: {"year": o.bill.month.year, "month": o.bill.month.month}, action=Action.VIEW_BILLING,
    ),
    "billing:export_bills": Sample(action=Action.VIEW_BILLING),
    "billing:export_orders": Sample(action=Action.VIEW_BILLING),
    "billing:export_ledger": Sample(action=Action.VIEW_BILLING),
    # --- members and audit -----------------------------------------------------------------------
    "members:member_list": Sample(action=Action.MANAGE_MEMBERS),
    "members:member_invite": Sample(
        action=Action.MANAGE_MEMBERS, methods=("POST",), writes=frozenset({"accounts.Invitation", AUDIT}),
        data=lambda o: {"email": "newcomer@example.test", "role": "developer"},
    ),
    "members:two_factor_policy": Sample(
        action=Action.MANAGE_SECURITY, methods=("POST",), writes=frozenset({AUDIT}), data=lambda o: {"required": "on"},
    ),
    "members:member_change_role": Sample(
        kwargs=lambda o: {"membership_id": o.bystander.pk}, action=Action.MANAGE_MEMBERS, methods=("POST",),
        writes=frozenset({AUDIT}), data=lambda o: {"role": "finance"},
    ),
    "members:member_remove": Sample(
        kwargs=lambda o: {"membership_id": o.bystander.pk}, action=Action.MANAGE_MEMBERS, methods=("POST",),
        writes=frozenset({"accounts.Membership", AUDIT}),
    ),
    "members:invitation_revoke": Sample(
        kwargs=lambda o: {"invitation_id": o.invitation.pk}, action=Action.MANAGE_MEMBERS, methods=("POST",),
        writes=frozenset({"accounts.Invitation", AUDIT}),
    ),
    "audit:audit_list": Sample(action=Action.VIEW_APPS, query=("app", "page")),
    "notifications:alert_list": Sample(action=Action.VIEW_APPS, query=("app", "severity", "state", "page")),
    "notifications:alert_dismiss": Sample(
        kwargs=lambda o: {"pk": sample_alert(o)}, action=Action.VIEW_APPS, methods=("POST",),
    ),
    "notifications:preferences": Sample(
        action=Action.VIEW_APPS, methods=("GET", "POST"), writes=frozenset({"notifications.EmailPreference"}),
        data=lambda o: {"low_balance": "on"},
    ),
    "im_console:settings": Sample(
        kwargs=_app, action={"GET": Action.VIEW_APPS, "POST": Action.CHANGE_APPS}, methods=("GET", "POST"),
        writes=frozenset({"im.ServiceSettings", AUDIT}),
        data=lambda o: {"token_ttl_value": "30", "token_ttl_unit": "days", "registration_mode": "open"},
    ),
    "im_console:users": Sample(kwargs=_app, action=Action.CHANGE_APPS, query=("q", "after")),
    "im_console:usage": Sample(kwargs=_app, action=Action.CHANGE_APPS),
    "im_console:usage_csv": Sample(kwargs=_app, action=Action.CHANGE_APPS),
    "im_console:org_usage": Sample(action=Action.VIEW_APPS, query=("page",)),
    "im_console:user_create": Sample(
        kwargs=_app, action=Action.CHANGE_APPS, methods=("POST",),
        writes=frozenset({"im.ImUser", "im.UserCounter", AUDIT}),
        data=lambda o: {"username": "walker", "password": "secret1", "nickname": "W"},
    ),
    "im_console:test_message": Sample(
        kwargs=lambda o: {k: v for k, v in _im_user(o).items() if k != "username"},
        action=Action.CHANGE_APPS, methods=("POST",), writes=frozenset({"im.ImMessage", AUDIT}),
        data=lambda o: {"sender": "sample-user", "chat_type": "chat", "to": "sample-user", "text": "hi"},
    ),
    "im_console:user_ban": Sample(kwargs=_im_user, action=Action.CHANGE_APPS, methods=("POST",),
                                  writes=frozenset({AUDIT})),
    "im_console:user_unban": Sample(kwargs=_im_user, action=Action.CHANGE_APPS, methods=("POST",),
                                    writes=frozenset({AUDIT})),
    "im_console:user_logout": Sample(kwargs=_im_user, action=Action.CHANGE_APPS, methods=("POST",),
                                     writes=frozenset({AUDIT})),
    "im_console:user_token": Sample(kwargs=_im_user, action=Action.CHANGE_APPS, methods=("POST",),
                                    writes=frozenset({AUDIT})),
    "im_console:user_password": Sample(kwargs=_im_user, action=Action.CHANGE_APPS, methods=("GET", "POST"),
                                       writes=frozenset({AUDIT}), data=lambda o: {"newpassword": "n3w-secret"}),
    "im_console:groups": Sample(kwargs=_app, action=Action.CHANGE_APPS, query=("q", "after")),
    "im_console:group_detail": Sample(kwargs=_im_group, action=Action.CHANGE_APPS, query=("after",)),
    "im_console:group_delete": Sample(kwargs=_im_group, action=Action.CHANGE_APPS, methods=("GET", "POST"),
                                      writes=frozenset({"im.ImGroup", "im.ImGroupMember", AUDIT})),
    "im_console:group_member_remove": Sample(
        kwargs=lambda o: {**_im_group(o), "username": "sample-member"}, action=Action.CHANGE_APPS,
        methods=("POST",), writes=frozenset({"im.ImGroupMember", AUDIT}),
    ),
    "im_console:user_delete": Sample(kwargs=_im_user, action=Action.CHANGE_APPS, methods=("GET", "POST"),
                                     writes=frozenset({"im.ImUser", "im.UserCounter", AUDIT})),
}

# Not walked: the Django admin (staff only, its own login and permissions), Django's set_language view
# (a public POST that only sets a cookie; the browser journeys switch language through it) and the IM REST
# service (tokens, not sessions: tests/quality/test_rest_walker.py walks it).
SKIPPED_NAMESPACES = {"admin", "im"}
SKIPPED_NAMES = {"set_language"}


@dataclass(frozen=True)
class Route:
    name: str
    route: str  # the full pattern, e.g. "o/<slug:org_name>/apps/<slug:app_name>/"

    @property
    def org_scoped(self) -> bool:
        return "<slug:org_name>" in self.route


def url_routes() -> dict[str, Route]:
    """Every named URL pattern the console serves, walked from the root resolver."""
    found: dict[str, Route] = {}

    def walk(patterns, prefix: str, namespaces: list[str]) -> None:
        for entry in patterns:
            if isinstance(entry, URLResolver):
                spaces = namespaces + ([entry.namespace] if entry.namespace else [])
                if entry.namespace in SKIPPED_NAMESPACES:
                    continue
                walk(entry.url_patterns, prefix + str(entry.pattern), spaces)
            elif isinstance(entry, URLPattern):
                if entry.name in SKIPPED_NAMES:
                    continue
                name = ":".join([*namespaces, entry.name or f"<unnamed {prefix}{entry.pattern}>"])
                found[name] = Route(name=name, route=prefix + str(entry.pattern))

    walk(get_resolver().url_patterns, "", [])
    return found
