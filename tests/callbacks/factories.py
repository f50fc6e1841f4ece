import factory

from apps.callbacks.models import CallbackDelivery, CallbackRule
from apps.callbacks.services import new_secret

PUBLIC_URL = "https://93.184.216.34/easemob/callback"  # an IP literal: no DNS in tests


class CallbackRuleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CallbackRule

    app = factory.SubFactory("tests.orders.factories.ProAppFactory")
    name = factory.Sequence(lambda n: f"rule{n}")
    kind = CallbackRule.Kind.POST_SEND
    url = PUBLIC_URL
    chat_types = factory.LazyFunction(lambda: ["chat", "groupchat"])
    message_types = factory.LazyFunction(lambda: ["txt", "img"])
    secret = factory.LazyFunction(new_secret)


class CallbackDeliveryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CallbackDelivery

    rule = factory.SubFactory(CallbackRuleFactory)
    delivery_id = factory.Sequence(lambda n: f"msg_{n:032x}")
    url = factory.LazyAttribute(lambda o: o.rule.url)
    status_code = 200
    ok = True
    latency_ms = 42
    response_excerpt = '{"valid":true}'


def sample_callback_rule(world) -> int:
    """The pk of the quality wall's rule on the world's app (made on first use)."""
    rule = CallbackRule.objects.filter(app=world.app, name="sample").first()
    return (rule or CallbackRuleFactory(app=world.app, name="sample")).pk


def plant_callback_rule_secrets(canary) -> list:
    """For tests/quality/test_canary_secrets.py: (read back through the ORM, canary) pairs for
    CallbackRule.secret, set on create and on save after a rotation through the service."""
    from apps.callbacks.services import callback_secret_rotate

    created = CallbackRuleFactory(secret=canary("callback-created"))
    rotated, _secret = callback_secret_rotate(rule=CallbackRuleFactory(app=created.app), actor=None)
    rotated.secret = canary("callback-saved")
    rotated.save()
    return [(lambda pk=rule.pk: CallbackRule.objects.get(pk=pk).secret, rule.secret) for rule in (created, rotated)]
