"""Crafted input that once answered 500 answers 400/404 with a message: a NUL byte in any URL kwarg of any
route (the invitation token and the order number among them), a 30-digit bill year, a 30,000-deep FCM
service-account JSON and a NUL inside its ``project_id``. These fail on PostgreSQL without the fixes (NUL in
a text comparison, jsonb refusing \\u0000); the status and the message are asserted on any database."""

import re
from urllib.parse import quote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from apps.push.models import PushCertificate
from tests.push import material
from tests.quality.samples import PUBLIC, SAMPLES
from tests.quality.test_url_walker import ROUTES, allowed_user
from tests.quality.world import row_counts

pytestmark = pytest.mark.django_db

KWARG_CASES = sorted(
    (name, kwarg)
    for name in ROUTES if name in SAMPLES
    for kwarg in re.findall(r"<(?:\w+:)?(\w+)>", ROUTES[name].route)
)
NUL_MESSAGE = b"The address contains a NUL character."


def nul_url(name: str, kwarg: str, world) -> str:
    """The sample's URL with ``kwarg``'s value followed by a NUL (%00)."""
    kwargs = SAMPLES[name].kwargs(world.acme)
    if ROUTES[name].org_scoped:
        kwargs["org_name"] = world.acme.org.name
    sentinel = 987654321 if isinstance(kwargs[kwarg], int) else "zzsentinelzz"
    url = reverse(name, kwargs={**kwargs, kwarg: sentinel})
    return url.replace(str(sentinel), quote(str(kwargs[kwarg])) + "%00", 1)


def test_every_route_kwarg_is_probed():
    assert ("accounts:invitation_accept", "token") in KWARG_CASES
    assert ("orders:order_detail", "number") in KWARG_CASES
    assert ("orders:order_detail", "org_name") in KWARG_CASES
    assert len(KWARG_CASES) >= 30


@pytest.mark.parametrize(("name", "kwarg"), KWARG_CASES)
def test_a_nul_in_any_url_kwarg_answers_400_with_a_message(name, kwarg, world, signed_in):
    sample = SAMPLES[name]
    url = nul_url(name, kwarg, world)
    clients = {method: [signed_in(None), signed_in(allowed_user(world, sample, method))]
               if sample.action_for(method) is PUBLIC else [signed_in(allowed_user(world, sample, method))]
               for method in sample.methods}
    before = row_counts()
    for method in sample.methods:
        for client in clients[method]:
            response = client.get(url) if method == "GET" else client.post(url, sample.data(world.acme))
            assert response.status_code == 400, (method, url, response.status_code)
            assert NUL_MESSAGE in response.content
    assert row_counts() == before


def test_anonymous_nul_in_an_invitation_token_answers_400(world, signed_in):
    token = world.acme.invitation.token
    url = reverse("accounts:invitation_accept", kwargs={"token": "x"}).replace("/x/", f"/{token}%00/")
    response = signed_in(None).get(url)
    assert response.status_code == 400
    assert NUL_MESSAGE in response.content


@pytest.mark.parametrize(("year", "month"), [("9" * 30, "1"), ("2026", "9" * 30), ("0", "1"), ("2026", "13")])
def test_an_impossible_bill_month_answers_404(year, month, world, signed_in):
    client = signed_in(world.acme.owner)
    url = f"/o/{world.acme.org.name}/billing/bills/{year}-{month}/"
    response = client.get(url)
    assert response.status_code == 404
    assert b"Page not found" in response.content


def _fcm_post(world, signed_in, content: bytes):
    client = signed_in(world.acme.owner)
    url = reverse("features:push_certificate_create",
                  kwargs={"org_name": world.acme.org.name, "app_name": world.acme.app.name, "vendor": "fcm"})
    data = {"name": "123456789012", "channel_id": "messages", "priority": "high", "message_type": "both",
            "service_account_file": SimpleUploadedFile("service-account.json", content, "application/json")}
    return client.post(url, data)


def test_a_30000_deep_fcm_json_is_refused_with_a_message(world, signed_in):
    before = PushCertificate.objects.count()
    response = _fcm_post(world, signed_in, b"[" * 30_000 + b"]" * 30_000)
    assert response.status_code == 200
    assert b"The JSON file is nested too deeply to be a service account key." in response.content
    assert PushCertificate.objects.count() == before


@pytest.mark.parametrize("project_id", ["chat\u0000demo", "chat-demo\u0000", "Chat Demo", "<b>x</b>", "x" * 129])
def test_a_nul_or_junk_in_the_fcm_project_id_is_refused_with_a_message(project_id, world, signed_in):
    before = PushCertificate.objects.count()
    response = _fcm_post(world, signed_in, material.service_account(project_id=project_id))
    assert response.status_code == 200
    assert b"is not a Firebase project ID." in response.content
    assert PushCertificate.objects.count() == before


@pytest.mark.parametrize("project_id", ["chat-demo-2026", "example.com:chat-demo"])
def test_real_fcm_project_ids_are_accepted(project_id, world, signed_in):
    before = PushCertificate.objects.count()
    response = _fcm_post(world, signed_in, material.service_account(project_id=project_id))
    assert response.status_code == 302, response.content[:2000]
    assert PushCertificate.objects.count() == before + 1
