import factory

from apps.ipwhitelist.models import WhitelistEntry
from apps.ipwhitelist.networks import parse_network
from tests.applications.factories import AppFactory


class WhitelistEntryFactory(factory.django.DjangoModelFactory):
    """An entry stored directly (no audit entry); ``network`` in any spelling networks.py reads."""

    class Meta:
        model = WhitelistEntry

    app = factory.SubFactory(AppFactory)
    network = factory.Sequence(lambda n: f"198.51.{n // 256 % 256}.{n % 256}")
    note = ""

    @classmethod
    def _create(cls, model_class, *args, network: str, **kwargs):
        entry = model_class.for_network(parse_network(network), **kwargs)
        entry.save()
        return entry
