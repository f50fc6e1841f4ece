import uuid

from django.db import migrations, models


def fill(apps, schema_editor):
    """A distinct UUID for every existing app (a column default would give them all the same one)."""
    App = apps.get_model("applications", "App")
    batch = []
    for app in App.objects.filter(uuid__isnull=True).only("pk").iterator(chunk_size=2000):
        app.uuid = uuid.uuid4()
        batch.append(app)
        if len(batch) == 2000:
            App.objects.bulk_update(batch, ["uuid"])
            batch = []
    App.objects.bulk_update(batch, ["uuid"])


class Migration(migrations.Migration):
    dependencies = [("applications", "0003_data_center_names_follow_the_seed")]

    operations = [
        migrations.AddField(model_name="app", name="uuid", field=models.UUIDField(null=True, editable=False)),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="app", name="uuid",
            field=models.UUIDField(default=uuid.uuid4, editable=False, unique=True, verbose_name="application UUID"),
        ),
    ]
