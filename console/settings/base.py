"""Settings shared by every mode. Values come from the environment (django-environ).

With no environment at all the console runs embedded: SQLite in var/ and a Celery broker on the
filesystem (kombu's ``filesystem://`` transport), so nothing but Python is needed.
"""

import os
from collections.abc import Iterator, Mapping
from pathlib import Path

import environ
from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _


class NonEmptyEnviron(Mapping):
    """The process environment without its empty variables: ``NAME=`` (as a ``.env`` file writes an unfilled
    line) means "unset", so the setting keeps its default instead of becoming an empty string."""

    def __init__(self, environ_: Mapping[str, str]):
        self._environ = environ_

    def __getitem__(self, name: str) -> str:
        value = self._environ[name]
        if value == "":
            raise KeyError(name)
        return value

    def __iter__(self) -> Iterator[str]:
        return (name for name, value in self._environ.items() if value != "")

    def __len__(self) -> int:
        return sum(1 for _name in self)


def settings_env() -> environ.Env:
    """The one reader of environment variables for settings: django-environ over NonEmptyEnviron."""
    reader = environ.Env()
    reader.ENVIRON = NonEmptyEnviron(os.environ)
    return reader


env = settings_env()
BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(env.str("CONSOLE_VAR_DIR", default=str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="")
DEBUG = env.bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "axes",
    "django_otp",
    "console",
    "apps.accounts",
    "apps.audit",
    "apps.applications",
    "apps.plans",
    "apps.features",
    "apps.ipwhitelist",
    "apps.sensitive_words",
    "apps.push",
    "apps.callbacks",
    "apps.im",
    "apps.notifications",
    "orders",
    "billing",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "console.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "apps.accounts.access.SessionActivityMiddleware",
    "console.middleware.RejectNulInPathMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
    "console.middleware.DomainErrorMiddleware",
]

ROOT_URLCONF = "console.urls"
WSGI_APPLICATION = "console.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "console.context_processors.chrome",
            ],
            # {% url %} through a per-process memo of reverse() (issue 14): same syntax and answers.
            "builtins": ["console.templatetags.urlcache"],
        },
    },
]

# Forms write their common widgets without the template engine (console.forms.WidgetRenderer, issue 14).
FORM_RENDERER = "console.forms.WidgetRenderer"

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'console.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# Persistent connections: a request reuses its worker's PostgreSQL connection instead of opening one (issue 14:
# the app list went from 87 to 138 req/s on this alone); the health check replaces a connection that died.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DATABASES["default"].setdefault("TEST", {})
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env.str("REDIS_URL", default="")
# One cache for every worker process when Redis is configured; otherwise each process has its own memory cache.
CACHES = {
    "default": (
        # Django's RedisCache with one redis client per pool instead of one per call (issue 14: console.cache).
        {"BACKEND": "console.cache.SharedClientRedisCache", "LOCATION": REDIS_URL, "KEY_PREFIX": "console"}
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "console"}
    ),
}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Django's ModelBackend with the per-request user lookup compiled once (sessions signed in with Django's own
    # path before this changed sign in again once).
    "apps.accounts.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Login brute-force limit: 5 failures for one username from one IP lock that pair for 30 minutes.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.5)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"
AXES_RESET_ON_SUCCESS = True
# The lock lasts 30 minutes from the 5th failure; attempts while locked do not restart it.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_TEMPLATE = "accounts/lockout.html"
# The lockout counts the client's address as console.net.client_ip sees it (TRUSTED_PROXIES below).
AXES_CLIENT_IP_CALLABLE = "console.net.client_ip"
AXES_VERBOSE = False

# Proxies (IP addresses or CIDRs, comma-separated) whose X-Forwarded-For is believed; empty: none, the
# connection's address is the client. Set it to the TLS proxy in front of the console (e.g. 10.0.0.5/32).
TRUSTED_PROXIES = env.list("TRUSTED_PROXIES", default=[])

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["console.formats"]
USE_I18N = True
USE_TZ = True
# Business days (charging, bills, "this month") are counted in this zone, and pages show times in it.
# The database stores UTC either way.
BUSINESS_TIME_ZONE = env.str("BUSINESS_TIME_ZONE", default="Asia/Shanghai")
TIME_ZONE = BUSINESS_TIME_ZONE

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="IM Console <no-reply@localhost>")

SESSION_COOKIE_HTTPONLY = True
# Sessions keep their database row (a sessions page can list and end them) and are read from the cache. The
# cache must be shared by every worker process for that (Redis): a per-process memory cache would keep serving a
# session another process ended, so without REDIS_URL sessions are read from the database.
SESSION_ENGINE = (
    "django.contrib.sessions.backends.cached_db" if REDIS_URL else "django.contrib.sessions.backends.db"
)
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# Secrets at rest (client secrets, push keys, callback secrets) are encrypted with MultiFernet.
# FIELD_ENCRYPTION_KEYS is a comma-separated list; the first key encrypts, all keys decrypt,
# so a new key is put first to rotate and `manage.py rotate_encryption_keys` re-encrypts.
FIELD_ENCRYPTION_KEYS = env.list("FIELD_ENCRYPTION_KEYS", default=[])

# --- Celery ---------------------------------------------------------------------------------
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=REDIS_URL or "filesystem://")
CELERY_BROKER_TRANSPORT_OPTIONS: dict = {}
if CELERY_BROKER_URL.startswith("filesystem://"):
    _broker_dir = VAR_DIR / "broker"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "out"),
        "data_folder_out": str(_broker_dir / "out"),
        "processed_folder": str(_broker_dir / "processed"),
        # Exchange tables; kombu's default is ./control relative to the working directory.
        "control_folder": str(_broker_dir / "control"),
        "store_processed": False,
    }
else:
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600, "socket_connect_timeout": 3, "socket_timeout": 5}
CELERY_BROKER_CONNECTION_TIMEOUT = 3
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_IGNORE_RESULT = True
CELERY_RESULT_BACKEND = None
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = BUSINESS_TIME_ZONE
CELERY_ENABLE_UTC = True
# Every task has a time limit (prefork pool): the soft one raises SoftTimeLimitExceeded inside the task so it
# can stop cleanly, the hard one kills the child. Tasks that need more or less set their own (see tasks.py).
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=60)
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=90)
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
# Task modules outside an app's tasks.py (autodiscovery finds only those).
CELERY_IMPORTS = ["apps.im.callback_tasks"]
ORDER_ACTIVATION_INTERVAL_SECONDS = env.float("ORDER_ACTIVATION_INTERVAL_SECONDS", default=15.0)
# Beat fires a heartbeat task this often; /healthz answers 503 when the last one is older than two intervals.
BEAT_HEARTBEAT_SECONDS = env.float("BEAT_HEARTBEAT_SECONDS", default=30.0)
CELERY_BEAT_SCHEDULE = {
    "beat-heartbeat": {
        "task": "console.tasks.beat_heartbeat",
        "schedule": BEAT_HEARTBEAT_SECONDS,
    },
    # Scans for provisioning orders whose delay has passed (never an ETA task per order).
    "activate-due-orders": {
        "task": "orders.tasks.activate_due_orders",
        "schedule": ORDER_ACTIVATION_INTERVAL_SECONDS,
    },
    # IM messages older than their app's message-storage days (SPEC §11).
    "purge-expired-im-messages": {
        "task": "apps.im.tasks.purge_expired_messages",
        "schedule": crontab(minute=30, hour=3),
    },
    # IM usage (SPEC §12): the Redis counters and today's registered IM users into UsageDay rows. A run still
    # queued when the next is due is dropped (expires): each run copies everything anyway.
    "rollup-im-usage": {
        "task": "apps.im.tasks.rollup_usage",
        "schedule": 60.0,
        "options": {"expires": 55},
    },
    # Every day at 00:10 business time; from the 5th on it bills each (org, month) not yet billed.
    "bill-due-months": {
        "task": "billing.tasks.bill_due_months",
        "schedule": crontab(minute=10, hour=0),
    },
    # Alerts (apps.notifications.checks): hourly where a day matters, daily for certificates.
    "alerts-balances": {"task": "apps.notifications.tasks.check_balances", "schedule": crontab(minute=20)},
    "alerts-callbacks": {"task": "apps.notifications.tasks.check_callbacks", "schedule": crontab(minute="*/10")},
    "alerts-quotas": {"task": "apps.notifications.tasks.check_quotas", "schedule": crontab(minute=40)},
    "alerts-push-certificates": {
        "task": "apps.notifications.tasks.check_push_certificates",
        "schedule": crontab(minute=5, hour=8),
    },
    "alerts-email": {"task": "apps.notifications.tasks.email_alerts", "schedule": crontab(minute="*/15")},
}

# Scheme and host the console is reached at, for links in emails (alerts).
CONSOLE_SITE_URL = env.str("CONSOLE_SITE_URL", default="http://localhost:8000")
# Alerts: a balance covering fewer days than this of this month's consumption rate is low.
LOW_BALANCE_DAYS = env.int("LOW_BALANCE_DAYS", default=7)
# Failed callback deliveries in a row: an alert at the first number; the rule is switched off at the second.
CALLBACK_FAILURES_ALERT = env.int("CALLBACK_FAILURES_ALERT", default=5)
CALLBACK_FAILURES_DISABLE = env.int("CALLBACK_FAILURES_DISABLE", default=20)

# "180-300" draws a delay per order in that range; "2" is a fixed delay (tests).
ORDER_PROVISIONING_SECONDS = env.str("ORDER_PROVISIONING_SECONDS", default="180-300")

# Callback test deliveries may target private addresses only when this is on (local development).
CALLBACKS_ALLOW_PRIVATE_TARGETS = env.bool("CALLBACKS_ALLOW_PRIVATE_TARGETS", default=False)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
}

CONSOLE_PRODUCT_NAME = _("IM Console")

# How long a per-org or catalog value read on every page (the arrears flag, the plans and their features) may be
# served from the cache. Writes through the services and the admin delete the entry at once; the timeout bounds
# what a per-process memory cache (no REDIS_URL) can serve after a write made in another process.
CONSOLE_CACHE_SECONDS = env.int("CONSOLE_CACHE_SECONDS", default=60)
