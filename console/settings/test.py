"""Test settings: fast hashing, in-memory email, a short provisioning delay; one Redis db, broker and var dir per
pytest-xdist worker."""

import os
import re
from pathlib import Path


def _isolate_xdist_worker() -> None:
    """Under pytest-xdist (scripts/test runs several workers), each worker gets what no other worker may touch:
    the Redis db of REDIS_URL / CELERY_BROKER_URL minus the worker's index (gw0 keeps it, gw1 the one below: the
    rate-limit windows, the Celery queues a test's worker consumes; counting down, so the README's db 15 works
    with up to 16 workers), and a var dir of its own (the filesystem broker's folders). Written back to the
    environment before base.py reads it, so the Celery workers and the tests that read REDIS_URL themselves see
    the same; a subprocess inheriting it does not shift again. pytest-django suffixes the test database names
    itself (test_<name>_gw0, …)."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    if not worker or os.environ.get("CONSOLE_TEST_WORKER") == worker:
        return
    index = int(worker.removeprefix("gw"))
    for name in ("REDIS_URL", "CELERY_BROKER_URL"):
        url = os.environ.get(name, "")
        match = re.fullmatch(r"(rediss?://[^/?]*)(?:/(\d*))?(\?.*)?", url)
        if not match:
            continue
        db = int(match.group(2) or 0) - index
        if db < 0:
            raise RuntimeError(f"{name}={url}: test worker {worker} would need Redis db {db}; "
                               "give a higher db or fewer workers (TEST_WORKERS)")
        os.environ[name] = f"{match.group(1)}/{db}{match.group(3) or ''}"
    var_dir = Path(os.environ.get("CONSOLE_VAR_DIR") or Path(__file__).resolve().parents[2] / "var")
    os.environ["CONSOLE_VAR_DIR"] = str(var_dir / f"test-{worker}")
    os.environ["CONSOLE_TEST_WORKER"] = worker


_isolate_xdist_worker()

from .base import *  # noqa: E402, F403
from .base import DATABASES, env  # noqa: E402

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
