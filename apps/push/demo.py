"""Demo: one Xiaomi push certificate on chat-prod. Idempotent: an app with certificates is left as it is."""

from apps.applications.demo import demo_app_and_owner
from apps.push.forms import VENDOR_FORMS
from apps.push.models import PushCertificate
from apps.push.services import push_certificate_create


def seed(organization) -> None:
    found = demo_app_and_owner(organization)
    if found is None:
        return
    app, owner = found
    if not PushCertificate.objects.filter(app=app).exists():
        form = VENDOR_FORMS["xiaomi"]({"name": "2882303761517", "app_secret": "demo-xiaomi-AppSecret-5XZL",
                                      "package_name": "com.demo.chat", "channel_id": "high_system"})
        if form.is_valid():
            push_certificate_create(app=app, actor=owner, vendor="xiaomi", values=form.values)
