from django.db import migrations

DATA_CENTERS = [
    # code, zh, en, REST host, WebSocket host
    ("bj1", "国内1区", "Beijing 1", "a1.easemob.com", "im-api-v2.easemob.com"),
    ("bj-vip6", "北京 Vip6 区", "Beijing VIP6", "a1-vip6.easemob.com", "im-api-vip6.easemob.com"),
    ("sgp1", "新加坡1区", "Singapore 1", "a1-sgp.easemob.com", "im-api-sgp-v2.easemob.com"),
    ("fra2", "德国2区", "Frankfurt", "a71.easemob.com", "msync-api-71.easemob.com"),
    ("usva1", "美东1区", "Virginia", "a41.easemob.com", "msync-api-41.easemob.com"),
]


def seed(apps, schema_editor):
    DataCenter = apps.get_model("applications", "DataCenter")
    for order, (code, zh, en, rest, ws) in enumerate(DATA_CENTERS):
        DataCenter.objects.update_or_create(
            code=code,
            defaults={"name_zh": zh, "name_en": en, "rest_host": rest, "ws_host": ws, "sort_order": order},
        )


def unseed(apps, schema_editor):
    apps.get_model("applications", "DataCenter").objects.filter(code__in=[d[0] for d in DATA_CENTERS]).delete()


class Migration(migrations.Migration):
    dependencies = [("applications", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
