from django.core.exceptions import FieldError
from django.db import models

from console import crypto
from console.money import DECIMAL_PLACES, MAX_DIGITS


class MoneyField(models.DecimalField):
    """A CNY amount: ``DecimalField(max_digits=14, decimal_places=2)``, written once.

    Migrations record it as that plain DecimalField (``deconstruct``), so adopting it changes no schema and
    writes no migration."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_digits", MAX_DIGITS)
        kwargs.setdefault("decimal_places", DECIMAL_PLACES)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.DecimalField", args, kwargs


class EncryptedTextField(models.TextField):
    """A text value stored as a MultiFernet token; Python code only ever sees the plaintext.

    Every save encrypts afresh (a token carries a random IV and a timestamp), so the column can be neither
    filtered nor indexed: only ``isnull`` lookups are allowed, anything else raises ``FieldError`` instead of
    silently matching nothing. Look rows up by another column and compare in Python
    (``hmac.compare_digest``). ``manage.py rotate_encryption_keys`` finds every field of this type.
    """

    description = "Text encrypted at rest (Fernet)"
    allowed_lookups = frozenset({"isnull"})

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return value
        return crypto.decrypt(value)

    def to_python(self, value):
        if value is None or isinstance(value, str):
            return value
        return str(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return crypto.encrypt(value)

    def get_lookup(self, lookup_name):
        if lookup_name not in self.allowed_lookups:
            raise FieldError(
                f"{self.model.__name__}.{self.name} is encrypted: it cannot be queried with '{lookup_name}'."
            )
        return super().get_lookup(lookup_name)

    def get_transform(self, lookup_name):
        raise FieldError(f"{self.model.__name__}.{self.name} is encrypted: it cannot be queried with '{lookup_name}'.")


def encrypted_fields() -> list[tuple[type[models.Model], list[str]]]:
    """Every concrete model with encrypted columns, and the attribute names of those columns."""
    from django.apps import apps

    found = []
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        names = [
            field.attname
            for field in model._meta.concrete_fields
            if isinstance(field, EncryptedTextField) and field.model is model
        ]
        if names:
            found.append((model, names))
    return found
