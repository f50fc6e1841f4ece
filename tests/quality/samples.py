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


def _reset_link(o: OrgWorld) -> dict:
    return {"uidb64": urlsafe_base64_encode(force_bytes(o.owner.pk)),
            "token": default_token_generator.make_token(o.owner)}


SAMPLES: dict[str, Sample] = {
    # --- public and account pages -------------------------------------------------------------
    "home": Sample(action=LOGIN),
    "healthz": Sample(action=PUBLIC),
    "accounts:login": Sample(
        action=PUBLIC, methods=("GET", "POST"), writes=AXES,
        data=lambda o: {"username": o.owner.email, "password": PASSWORD},
    ),
    "accounts:logout": Sample(action=LOGIN, methods=("POST",), ends_on_login_page=True),
    "accounts:signup": Sample(
        action=PUBLIC, methods=("GET", "POST"),
        writes=frozenset({"accounts.User", "accounts.Organization", "accounts.Membership", AUDIT, *AXES}),
        data=lambda o: {"email": "new@signup.test", "org_name": "initech", "password1": NEW_PASSWORD,
                        "password2": NEW_PASSWORD},
    ),
    "accounts:invitation_accept": Sample(
        action=PUBLIC, methods=("GET", "POST"), kwargs=lambda o: {"token": o.invitation.token},
        writes=frozenset({"accounts.User", "accounts.Membership", AUDIT, *AXES}),
        data=lambda o: {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    ),
    "accounts:password_change": Sample(
        action=LOGIN, methods=("GET", "POST"),
        data=lambda o: {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    ),
    "accounts:password_change_done": Sample(action=LOGIN),
    "accounts:password_reset": Sample(action=PUBLIC, methods=("GET", "POST"), data=lambda o: {"email": o.owner.email}),
    "accounts:password_reset_done": Sample(action=PUBLIC),
    "accounts:password_reset_confirm": Sample(
        action=PUBLIC, methods=("GET", "POST"), kwargs=_reset_link,
        data=lambda o: {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    ),
    "accounts:password_reset_complete": Sample(action=PUBLIC),
    "accounts:no_organization": Sample(action=LOGIN),
    "plans:plan_compare": Sample(action=PUBLIC),
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
        data=lambda o: {"password": PASSWORD},
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
        writes=frozenset({"orders.Order", "orders.OrderLine", "orders.OrderStatusChange", AUDIT}),
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
