import io

import pytest
from django.core.management import call_command

from apps.applications.models import App
from apps.features.models import AppFeature
from apps.push.models import PushCertificate
from apps.sensitive_words.models import SensitiveWord

pytestmark = pytest.mark.django_db


def test_seed_demo_fills_the_feature_pages_of_chat_prod_once():
    call_command("seed_demo", stdout=io.StringIO())
    app = App.objects.get(organization__name="demo", name="chat-prod")
    counts = (SensitiveWord.objects.filter(app=app).count(), app.ip_whitelist_entries.count(),
              PushCertificate.objects.filter(app=app).count())
    assert counts == (8, 4, 1)  # 3 demo networks + 127.0.0.1 for the README's REST walkthrough (apps/im/demo.py)
    assert set(AppFeature.objects.filter(app=app, enabled=True).values_list("feature__code", flat=True)) >= {
        "recall", "push", "ip_whitelist", "sensitive_words"}
    call_command("seed_demo", stdout=io.StringIO())
    assert (SensitiveWord.objects.filter(app=app).count(), app.ip_whitelist_entries.count(),
            PushCertificate.objects.filter(app=app).count()) == counts


def test_seed_demo_fills_the_payment_account_top_ups_are_transferred_to():
    from billing.models import PaymentAccount

    call_command("seed_demo", stdout=io.StringIO())
    account = PaymentAccount.objects.get()
    assert account.is_set and account.reference_prefix == "IM-"
