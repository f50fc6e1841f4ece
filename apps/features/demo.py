"""Demo feature settings for chat-prod, so its settings pages are lived-in. Idempotent: a feature that already
has data is left as it is. Runs after the orders demo (chat-prod must be on its paid plan)."""

from apps.accounts.models import Membership
from apps.accounts.roles import Role
from apps.features.services import app_feature_enable
from apps.ipwhitelist.services import whitelist_entries_add
from apps.push.forms import VENDOR_FORMS
from apps.push.models import PushCertificate
from apps.push.services import push_certificate_create
from apps.sensitive_words.models import SensitiveWord
from apps.sensitive_words.services import sensitive_words_add
from orders.entitlements import app_entitlements

DEMO_WORDS = ["加微信", "刷单返利", "代开发票", "赌博", "违禁品", "free money", "casino", "click here"]
DEMO_WHITELIST = [("10.8.0.0/16", "Office VPN"), ("203.0.113.10", "Beijing app servers"),
                  ("2001:db8:5::/48", "Shanghai IPv6 cluster")]


def seed(organization) -> None:
    app = organization.apps.filter(name="chat-prod").first()
    if app is None:
        return
    owner = Membership.objects.filter(organization=organization, role=Role.OWNER).select_related("user").first().user
    entitlements = app_entitlements(app=app)
    for code in ("recall", "push", "ip_whitelist", "sensitive_words"):
        if entitlements.includes(code):
            app_feature_enable(app=app, feature_code=code, actor=owner)
    if entitlements.includes("sensitive_words") and not SensitiveWord.objects.filter(app=app).exists():
        sensitive_words_add(app=app, actor=owner, words=DEMO_WORDS)
    if not app.ip_whitelist_entries.exists():
        for network, note in DEMO_WHITELIST:
            whitelist_entries_add(app=app, actor=owner, entries=[network], note=note)
    if not PushCertificate.objects.filter(app=app).exists():
        form = VENDOR_FORMS["xiaomi"]({"name": "2882303761517", "app_secret": "demo-xiaomi-AppSecret-5XZL",
                                      "package_name": "com.demo.chat", "channel_id": "high_system"})
        if form.is_valid():
            push_certificate_create(app=app, actor=owner, vendor="xiaomi", values=form.values)
