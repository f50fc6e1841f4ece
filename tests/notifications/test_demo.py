import io

import pytest
from django.core.management import call_command

from apps.notifications.kinds import alert_link, alert_message
from apps.notifications.models import Alert, Kind, State

pytestmark = pytest.mark.django_db


def test_seed_demo_makes_one_open_alert_of_each_kind_once():
    call_command("seed_demo", stdout=io.StringIO())
    call_command("seed_demo", stdout=io.StringIO())
    alerts = Alert.objects.filter(organization__name="demo", state=State.OPEN)
    assert sorted(alerts.values_list("kind", flat=True)) == sorted(Kind.values)
    for alert in alerts:
        assert alert_link(alert, org_name="demo") and alert_message(alert)
