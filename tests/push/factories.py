import factory

from apps.push.models import PushCertificate, Vendor
from tests.applications.factories import AppFactory

XIAOMI_SECRET = "xiaomi-AppSecret-Z9y8X7w6"


class PushCertificateFactory(factory.django.DjangoModelFactory):
    """A Xiaomi certificate (text fields only); pass vendor/options/secret_values for others."""

    class Meta:
        model = PushCertificate

    app = factory.SubFactory(AppFactory)
    vendor = Vendor.XIAOMI
    name = factory.Sequence(lambda n: f"28823037615{n:02d}")
    package_name = "com.example.chat"
    options = factory.LazyFunction(lambda: {"channel_id": "high_system"})
    secret_values = factory.LazyFunction(lambda: {"app_secret": XIAOMI_SECRET})


def push_sample_certificate(world) -> int:
    """The pk of the quality wall's certificate on the world's app (made on first use)."""
    certificate = PushCertificate.objects.filter(app=world.app, vendor=Vendor.XIAOMI,
                                                 name="2882303761517000001").first()
    return (certificate or PushCertificateFactory(app=world.app, name="2882303761517000001",
                                                  secret_values={"app_secret": "walker-AppSecret-0001"})).pk
