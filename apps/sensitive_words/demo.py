"""Demo: a short word list on chat-prod when its plan includes the filter. Idempotent: a list is left as it is."""

from apps.applications.demo import demo_app_and_owner
from apps.sensitive_words.models import SensitiveWord
from apps.sensitive_words.services import sensitive_words_add
from orders.entitlements import app_entitlements

DEMO_WORDS = ["加微信", "刷单返利", "代开发票", "赌博", "违禁品", "free money", "casino", "click here"]


def seed(organization) -> None:
    found = demo_app_and_owner(organization)
    if found is None:
        return
    app, owner = found
    if app_entitlements(app=app).includes("sensitive_words") and not SensitiveWord.objects.filter(app=app).exists():
        sensitive_words_add(app=app, actor=owner, words=DEMO_WORDS)
