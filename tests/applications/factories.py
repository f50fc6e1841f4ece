import factory

from apps.applications.models import App, DataCenter
from tests.accounts.factories import OrganizationFactory


class AppFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = App

    organization = factory.SubFactory(OrganizationFactory)
    name = factory.Sequence(lambda n: f"app{n}")
    product_name = factory.LazyAttribute(lambda o: o.name.title())
    description = ""
    data_center = factory.LazyFunction(lambda: DataCenter.objects.order_by("sort_order").first())
