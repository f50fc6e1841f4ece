"""HTTP security headers on every page, HSTS in production, and markup that satisfies the strict
Content-Security-Policy (no inline script, no style attributes or blocks, no on* handlers).

``manage.py check --deploy --fail-level WARNING`` with production settings is
tests/console/test_settings.py::test_production_settings_pass_check_deploy_at_warning_level."""

import os
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

from apps.accounts.roles import Role
from tests.quality.samples import SAMPLES
from tests.quality.test_url_walker import ROUTES, allowed_user, url_for

ROOT = Path(__file__).resolve().parents[2]
GET_NAMES = sorted(name for name in ROUTES if name in SAMPLES and "GET" in SAMPLES[name].methods)
pytestmark = pytest.mark.django_db


class InlineCode(HTMLParser):
    """Collects what a strict CSP would block: inline scripts, style attributes and blocks, on* handlers."""

    def __init__(self):
        super().__init__()
        self.problems: list[str] = []

    def handle_starttag(self, tag, attrs):
        names = {name for name, _value in attrs}
        if tag == "script" and "src" not in names:
            self.problems.append("<script> without src")
        if tag == "style":
            self.problems.append("<style> block")
        for name, value in attrs:
            if name == "style":
                self.problems.append(f"style= on <{tag}>")
            if name.startswith("on") or name.startswith("hx-on"):
                self.problems.append(f"{name}= on <{tag}>")
            if name in {"href", "src", "action"} and (value or "").strip().lower().startswith("javascript:"):
                self.problems.append(f"javascript: URL in <{tag} {name}>")


def inline_code(html: str) -> list[str]:
    parser = InlineCode()
    parser.feed(html)
    return parser.problems


def assert_security_headers(response) -> None:
    policy = response.headers.get("Content-Security-Policy", "")
    directives = dict((part.strip().split(" ", 1) + [""])[:2] for part in policy.split(";") if part.strip())
    assert "script-src" in directives and "'unsafe-inline'" not in directives["script-src"], policy
    assert "'unsafe-inline'" not in directives.get("style-src", ""), policy
    assert "frame-ancestors 'none'" in policy
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "same-origin"


@pytest.mark.parametrize("name", GET_NAMES)
def test_every_page_sends_the_security_headers_and_has_no_inline_code(name, world, signed_in):
    sample = SAMPLES[name]
    response = signed_in(allowed_user(world, sample, "GET")).get(url_for(name, world.acme), follow=True)
    assert response.status_code == 200
    assert_security_headers(response)
    if response["Content-Type"].startswith("text/html"):
        assert inline_code(response.content.decode()) == []


@pytest.mark.parametrize(("path", "status"), [("/o/acme/orders/", 403), ("/o/acme/apps/nothing-here/", 404)])
def test_error_pages_send_the_headers_and_have_no_inline_code(path, status, world, signed_in):
    response = signed_in(world.acme.members[Role.DEVELOPER]).get(path)
    assert response.status_code == status
    assert_security_headers(response)
    assert inline_code(response.content.decode()) == []


def test_the_markup_check_would_catch_inline_code():
    html = '<script>alert(1)</script><p style="color:red" onclick="x()"><div hx-on:click="y"></div><style>p{}</style>'
    assert inline_code(html) == ["<script> without src", "style= on <p>", "onclick= on <p>", "hx-on:click= on <div>",
                                 "<style> block"]


def test_production_sends_hsts_on_https_and_redirects_plain_http(tmp_path):
    code = (
        "import django; django.setup(); from django.test import Client; c = Client();"
        "s = c.get('/healthz', secure=True, headers={'host': 'console.example.com'});"
        "p = c.get('/plans/', headers={'host': 'console.example.com'});"
        "print(s.headers.get('Strict-Transport-Security')); print(p.status_code, p.get('Location'));"
        "print(s.headers.get('Content-Security-Policy') is not None)"
    )
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "CELERY_BROKER_URL", "REDIS_URL"}}
    env.update({
        "DJANGO_SETTINGS_MODULE": "console.settings.production", "CONSOLE_VAR_DIR": str(tmp_path),
        "DJANGO_SECRET_KEY": "q" * 64, "FIELD_ENCRYPTION_KEYS": "Vs6pbXWd3m1Yy4nbkqj0o6mBqqyqkT9m8S7YJr9Lxv0=",
        "DJANGO_ALLOWED_HOSTS": "console.example.com",
    })
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 0, result.stderr
    hsts, redirect, csp = result.stdout.splitlines()[-3:]
    assert hsts == "max-age=31536000; includeSubDomains; preload"
    assert redirect == "301 https://console.example.com/plans/"
    assert csp == "True"
