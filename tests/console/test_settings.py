import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SERVICE_VARIABLES = {"DATABASE_URL", "CELERY_BROKER_URL", "REDIS_URL", "DJANGO_SECRET_KEY", "FIELD_ENCRYPTION_KEYS"}
PROD_ENV = {
    "DJANGO_SECRET_KEY": "x" * 64 + "production-secret-for-the-check-only",
    "FIELD_ENCRYPTION_KEYS": "Vs6pbXWd3m1Yy4nbkqj0o6mBqqyqkT9m8S7YJr9Lxv0=",
    "DJANGO_ALLOWED_HOSTS": "console.example.com",
}


def run_django(settings_module: str, code: str, extra_env: dict | None = None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in SERVICE_VARIABLES}
    env.update({"DJANGO_SETTINGS_MODULE": settings_module, **(extra_env or {})})
    return subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); from django.conf import settings; {code}"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=60,
    )


@pytest.mark.parametrize("module", ["console.settings.local", "console.settings.test"])
def test_settings_without_environment_use_sqlite_and_the_filesystem_broker(module):
    result = run_django(
        module, "print(settings.DATABASES['default']['ENGINE'], settings.CELERY_BROKER_URL, settings.LANGUAGE_CODE)"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["django.db.backends.sqlite3", "filesystem://", "zh-hans"]


def test_database_and_broker_urls_switch_to_postgres_and_redis():
    result = run_django(
        "console.settings.local",
        "print(settings.DATABASES['default']['ENGINE'], settings.CELERY_BROKER_URL)",
        {"DATABASE_URL": "postgres://u@db:5432/im", "REDIS_URL": "redis://cache:6379/0"},
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["django.db.backends.postgresql", "redis://cache:6379/0"]


def test_production_refuses_to_start_without_a_secret_key():
    result = run_django("console.settings.production", "print('started')", {"FIELD_ENCRYPTION_KEYS": "k"})
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_production_settings_pass_check_deploy_at_warning_level():
    env = {k: v for k, v in os.environ.items() if k not in SERVICE_VARIABLES}
    env.update({"DJANGO_SETTINGS_MODULE": "console.settings.production", **PROD_ENV})
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_empty_environment_variables_mean_unset():
    # A .env file with unfilled lines exports NAME= : each must keep the embedded default, not become "".
    names = ("DATABASE_URL", "CELERY_BROKER_URL", "REDIS_URL", "LOG_LEVEL", "ORDER_ACTIVATION_INTERVAL_SECONDS",
             "DJANGO_ALLOWED_HOSTS", "CONSOLE_VAR_DIR")
    empty = dict.fromkeys(names, "")
    result = run_django(
        "console.settings.local",
        "from console.celery import app; "
        "print(settings.DATABASES['default']['ENGINE'], settings.CELERY_BROKER_URL, app.connection().transport_cls, "
        "settings.LOGGING['root']['level'], settings.ORDER_ACTIVATION_INTERVAL_SECONDS, settings.ALLOWED_HOSTS[0])",
        empty,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["django.db.backends.sqlite3", "filesystem://", "filesystem", "INFO", "15.0",
                                     "localhost"]


def _check_deploy(extra: dict) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in SERVICE_VARIABLES}
    env.update({"DJANGO_SETTINGS_MODULE": "console.settings.production", **PROD_ENV, **extra})
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )


def test_check_deploy_fails_on_the_env_example_encryption_key():
    example = dict(line.split("=", 1) for line in (ROOT / ".env.example").read_text().splitlines()
                   if line and not line.startswith("#"))
    result = _check_deploy({"FIELD_ENCRYPTION_KEYS": example["FIELD_ENCRYPTION_KEYS"]})
    assert result.returncode != 0
    assert "console.E001" in result.stderr + result.stdout
    assert example["FIELD_ENCRYPTION_KEYS"] not in result.stderr + result.stdout  # never echo a key


def test_check_deploy_fails_on_a_second_key_that_is_not_a_fernet_key():
    result = _check_deploy({"FIELD_ENCRYPTION_KEYS": PROD_ENV["FIELD_ENCRYPTION_KEYS"] + ",short"})
    assert result.returncode != 0
    assert "FIELD_ENCRYPTION_KEYS entry 2 is not a Fernet key" in result.stderr + result.stdout


@pytest.mark.parametrize(("value", "code"), [("10.0.0.5,not-a-network", "console.E003"), ("0.0.0.0/0", "console.E004")])
def test_check_refuses_a_bad_trusted_proxies_setting(value, code):
    result = _check_deploy({"TRUSTED_PROXIES": value})
    assert result.returncode != 0
    assert code in result.stderr + result.stdout
