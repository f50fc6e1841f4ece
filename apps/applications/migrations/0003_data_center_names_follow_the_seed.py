"""Databases seeded before the names were settled (北京 1 区, 新加坡 1 区, 法兰克福, 弗吉尼亚…) get the names of
0002's seed, which follow SPEC §5. Hosts and other fields that staff may have edited are left alone."""

from django.db import migrations

NAMES = {
    "bj1": ("国内1区", "Beijing 1"),
    "bj-vip6": ("北京 Vip6 区", "Beijing VIP6"),
    "sgp1": ("新加坡1区", "Singapore 1"),
    "fra2": ("德国2区", "Frankfurt"),
    "usva1": ("美东1区", "Virginia"),
}


def rename(apps, schema_editor):
    DataCenter = apps.get_model("applications", "DataCenter")
    for code, (zh, en) in NAMES.items():
        DataCenter.objects.filter(code=code).update(name_zh=zh, name_en=en)


class Migration(migrations.Migration):
    dependencies = [("applications", "0002_seed_data_centers")]
    operations = [migrations.RunPython(rename, migrations.RunPython.noop)]
