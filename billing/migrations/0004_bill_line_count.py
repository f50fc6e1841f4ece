from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("billing", "0003_bill_line_unchecked_keys")]

    operations = [
        migrations.AddField(
            model_name="bill",
            name="line_count",
            field=models.PositiveIntegerField(default=0, verbose_name="lines"),
        ),
        # The bills issued before: their lines, counted once.
        migrations.RunSQL(
            "UPDATE billing_bill SET line_count = "
            "(SELECT COUNT(*) FROM billing_billline WHERE billing_billline.bill_id = billing_bill.id)",
            reverse_sql=migrations.RunSQL.noop,
        ),
    ]
