from django.db import models

from console import crypto


class EncryptedTextField(models.TextField):
    """A text value stored as a MultiFernet token; Python code only ever sees the plaintext.

    Encrypted values cannot be filtered or indexed; look rows up by another column.
    """

    description = "Text encrypted at rest (Fernet)"

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return value
        return crypto.decrypt(value)

    def to_python(self, value):
        return value

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return crypto.encrypt(value)
