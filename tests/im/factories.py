import factory

from apps.im.models import UsageDay
from tests.applications.factories import AppFactory


class UsageDayFactory(factory.django.DjangoModelFactory):
    """A business day of an app's usage as the metering's roll-up writes it."""

    class Meta:
        model = UsageDay

    app = factory.SubFactory(AppFactory)
    day = factory.Faker("date_this_month")
    calls_2xx = 0
    calls_4xx = 0
    calls_429 = 0
    calls_5xx = 0
    messages = 0
    active_users = 0
    peak_calls_per_second = 0
    registered_users = 0
