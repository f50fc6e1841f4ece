from django.core.management.base import BaseCommand
from django.db import transaction

from console import crypto
from console.fields import encrypted_fields


class Command(BaseCommand):
    help = (
        "Re-encrypt every encrypted field of every model under the first key of FIELD_ENCRYPTION_KEYS. "
        "Run it after putting a new key first; afterwards the old keys can be removed."
    )

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=500)

    def handle(self, *args, batch_size: int, **options):
        crypto.fernet()  # fail before touching any row when the keys are not usable
        for model, names in encrypted_fields():
            rewritten = self._rotate_model(model, names, batch_size)
            self.stdout.write(f"{model._meta.label}: {rewritten} row(s) re-encrypted ({', '.join(names)})")
        self.stdout.write(self.style.SUCCESS("All encrypted fields are under the first key."))

    def _rotate_model(self, model, names: list[str], batch_size: int) -> int:
        """Each batch is locked, read (any key decrypts) and written back (the first key encrypts), so a value
        changed concurrently is never overwritten with a stale one."""
        last_pk = None
        rewritten = 0
        while True:
            with transaction.atomic():
                rows = model._base_manager.select_for_update().order_by("pk").only("pk", *names)
                if last_pk is not None:
                    rows = rows.filter(pk__gt=last_pk)
                batch = list(rows[:batch_size])
                if not batch:
                    return rewritten
                model._base_manager.bulk_update(batch, names)
            rewritten += len(batch)
            last_pk = batch[-1].pk
