from django.db import migrations, models
from django.db.models import Count


def backfill(apps, schema_editor):
    """Every app with IM users gets its counter row with the count (one GROUP BY, one row per app)."""
    ImUser = apps.get_model("im", "ImUser")
    UserCounter = apps.get_model("im", "UserCounter")
    counts = dict(ImUser.objects.values("app_id").order_by().annotate(n=Count("pk")).values_list("app_id", "n"))
    existing = {row.app_id: row for row in UserCounter.objects.filter(app_id__in=counts)}
    UserCounter.objects.bulk_create([UserCounter(app_id=app_id, registered=n) for app_id, n in counts.items()
                                     if app_id not in existing])
    for app_id, row in existing.items():
        row.registered = counts[app_id]
    UserCounter.objects.bulk_update(existing.values(), ["registered"])


class Migration(migrations.Migration):
    dependencies = [
        ("im", "0002_usage_days"),
    ]

    operations = [
        migrations.AddField(
            model_name="usercounter",
            name="registered",
            field=models.PositiveBigIntegerField(default=0),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
