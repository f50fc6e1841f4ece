"""The console's sign-in backend: Django's ``ModelBackend`` whose per-request user lookup is compiled once per
process (console.prepared; the ORM spent ~0.5 CPU ms building the same ``get(pk=…)`` on every request)."""

from django.contrib.auth.backends import ModelBackend as DjangoModelBackend
from django.core.exceptions import ValidationError

from apps.accounts.models import User
from console.prepared import PreparedQuery

user_by_pk = PreparedQuery(lambda pk: User._default_manager.filter(pk=pk), pk=int)


class ModelBackend(DjangoModelBackend):
    def get_user(self, user_id):
        try:
            pk = User._meta.pk.to_python(user_id)
        except ValidationError:  # a session holding no valid id: signed out
            return None
        found = user_by_pk(pk=pk)
        user = found[0] if found else None
        return user if user is not None and self.user_can_authenticate(user) else None
