"""Test settings: fast hashing, in-memory email, a short provisioning delay."""

from .base import *  # noqa: F403
from .base import DATABASES, env

SECRET_KEY = "test-secret-key-not-for-production-0123456789abcdef"
DEBUG = False
FIELD_ENCRYPTION_KEYS = ["Dj8vQ3nq0m7l7Zr0Xv5m3b8m5y2u9fQm2o7Qw1xY3c0=", "tZ9bqkV1mN7dQ2xR4fL8sP0aC6eH3jK5uW9yB1nG7oI="]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
ORDER_PROVISIONING_SECONDS = env.str("ORDER_PROVISIONING_SECONDS", default="2")
ALLOWED_HOSTS = ["*"]
DATABASES["default"]["CONN_MAX_AGE"] = 0  # tests open and close connections per thread (run_together)
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    DATABASES["default"]["TEST"] = {"NAME": ":memory:"}
WHITENOISE_USE_FINDERS = True
# A memory cache even with REDIS_URL (whose db the Celery tests use as their broker); tests/conftest.py empties it
# between tests. One process shares it with every request, so sessions are read through it as with Redis.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "console-test"}}
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
