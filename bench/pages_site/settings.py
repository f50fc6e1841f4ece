"""The console as production runs it (DEBUG off, persistent connections, cached sessions in Redis), on plain
HTTP for the benchmark, with a trivial view added by bench.pages_site.urls."""

from console.settings.base import *  # noqa: F403
from console.settings.base import env

DEBUG = False
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="bench-only-secret-key-0123456789abcdefghijklmnopqrstuvwxyz")
FIELD_ENCRYPTION_KEYS = ["Dj8vQ3nq0m7l7Zr0Xv5m3b8m5y2u9fQm2o7Qw1xY3c0="]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # the bench's own login only
ROOT_URLCONF = "bench.pages_site.urls"
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}
WHITENOISE_USE_FINDERS = True
