"""The catalog of SPEC §6 (Easemob's 2022 price list). Tier prices are ours: Easemob publishes none."""

from decimal import Decimal

from django.db import migrations

PLANS = [
    # code, zh, en, rank, price
    ("free", "免费版", "Free", 0, "0.00"),
    ("pro", "专业版", "Pro", 1, "888.00"),
    ("flagship", "旗舰版", "Flagship", 2, "2888.00"),
    ("premium", "尊享版", "Premium", 3, "4888.00"),
]

FEATURES = [
    # code, zh, en, kind, unit zh, unit en
    ("recall", "消息撤回", "Message recall", "switch", "", ""),
    ("push", "消息推送", "Push", "switch", "", ""),
    ("ip_whitelist", "REST-IP 白名单", "REST IP whitelist", "switch", "", ""),
    ("sensitive_words", "敏感词", "Sensitive words", "switch", "", ""),
    ("callbacks", "消息回调", "Callbacks", "switch", "", ""),
    ("group_members", "群组最大成员数", "Members per group", "quota", "人", "members"),
    ("user_groups", "用户可加入群组数", "Groups per user", "quota", "个", "groups"),
    ("message_storage", "消息存储时长", "Message storage", "quota", "天", "days"),
    ("rest_rate", "REST API 调用频率", "REST API calls / s", "quota", "次/秒", "calls/s"),
]

# feature -> (free, pro, flagship, premium); True/False for switches, an int or None (unlimited) for quotas.
INCLUSION = {
    "recall": (True, True, True, True),
    "push": (True, True, True, True),
    "ip_whitelist": (True, True, True, True),
    "sensitive_words": (False, True, True, True),
    "callbacks": (False, True, True, True),
    "group_members": (100, 300, 3000, 8000),
    "user_groups": (100, 600, None, None),
    "message_storage": (3, 7, 90, 180),
    "rest_rate": (100, 100, 100, 100),
}

ADDONS = [
    # code, feature, zh, en, stackable, unit size, unit price, tiers [(value, price)]
    ("group_members", "group_members", "群组成员数扩展", "Members per group", False, None, None,
     [(500, "200.00"), (1000, "400.00"), (3000, "800.00"), (5000, "1200.00"), (8000, "1800.00")]),
    ("user_groups", "user_groups", "用户入群数扩展", "Groups per user", False, None, None,
     [(1000, "300.00"), (2000, "500.00"), (3000, "700.00")]),
    ("message_storage", "message_storage", "消息存储时长扩展", "Message storage", True, 30, "500.00", []),
    ("rest_rate", "rest_rate", "REST API 调用频率扩展", "REST API rate", True, 100, "200.00", []),
]


def seed(apps, schema_editor):
    Plan = apps.get_model("plans", "Plan")
    Feature = apps.get_model("plans", "Feature")
    PlanFeature = apps.get_model("plans", "PlanFeature")
    AddOn = apps.get_model("plans", "AddOn")
    AddOnTier = apps.get_model("plans", "AddOnTier")
    CatalogSettings = apps.get_model("plans", "CatalogSettings")

    plans = []
    for code, zh, en, rank, price in PLANS:
        plan, _ = Plan.objects.update_or_create(
            code=code, defaults={"name_zh": zh, "name_en": en, "rank": rank, "monthly_price": Decimal(price)}
        )
        plans.append(plan)
    features = {}
    for order, (code, zh, en, kind, unit_zh, unit_en) in enumerate(FEATURES):
        features[code], _ = Feature.objects.update_or_create(
            code=code,
            defaults={"name_zh": zh, "name_en": en, "kind": kind, "unit_zh": unit_zh, "unit_en": unit_en,
                      "sort_order": order},
        )
    for code, values in INCLUSION.items():
        feature = features[code]
        for plan, value in zip(plans, values, strict=True):
            if feature.kind == "switch":
                defaults = {"included": value, "quota": None}
            else:
                defaults = {"included": True, "quota": value}
            PlanFeature.objects.update_or_create(plan=plan, feature=feature, defaults=defaults)
    for order, (code, feature, zh, en, stackable, size, price, tiers) in enumerate(ADDONS):
        addon, _ = AddOn.objects.update_or_create(
            code=code,
            defaults={"feature": features[feature], "name_zh": zh, "name_en": en, "stackable": stackable,
                      "unit_size": size, "unit_price": Decimal(price) if price else None, "max_quantity": 120,
                      "sort_order": order},
        )
        for value, tier_price in tiers:
            AddOnTier.objects.update_or_create(addon=addon, value=value,
                                               defaults={"monthly_price": Decimal(tier_price)})
    CatalogSettings.objects.get_or_create(pk=1)


class Migration(migrations.Migration):
    dependencies = [("plans", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
