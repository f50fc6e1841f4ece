"""The registered IM users an app may have (SPEC §11): 100 on Free, unlimited on the paid plans."""

from django.db import migrations

VALUES = {"free": 100, "pro": None, "flagship": None, "premium": None}


def seed(apps, schema_editor):
    Plan = apps.get_model("plans", "Plan")
    Feature = apps.get_model("plans", "Feature")
    PlanFeature = apps.get_model("plans", "PlanFeature")
    feature, _ = Feature.objects.update_or_create(
        code="im_users",
        defaults={"name_zh": "注册用户数", "name_en": "Registered IM users", "kind": "quota",
                  "unit_zh": "人", "unit_en": "users", "sort_order": 9},
    )
    for plan in Plan.objects.filter(code__in=VALUES):
        PlanFeature.objects.update_or_create(
            plan=plan, feature=feature, defaults={"included": True, "quota": VALUES[plan.code]}
        )


def unseed(apps, schema_editor):
    apps.get_model("plans", "Feature").objects.filter(code="im_users").delete()


class Migration(migrations.Migration):
    dependencies = [("plans", "0002_seed_catalog")]
    operations = [migrations.RunPython(seed, unseed)]
