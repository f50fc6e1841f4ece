"""Local development: DEBUG on, a fixed dev secret key and encryption key unless the environment sets them."""

from .base import *  # noqa: F403
from .base import FIELD_ENCRYPTION_KEYS, LOGGING, env

DEBUG = env.bool("DJANGO_DEBUG", default=True)
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="dev-only-insecure-key-do-not-use-in-production-0123456789")
# A fixed development key so the embedded database stays readable between runs; production must set its own.
FIELD_ENCRYPTION_KEYS = FIELD_ENCRYPTION_KEYS or ["Vs6pbXWd3m1Yy4nbkqj0o6mBqqyqkT9m8S7YJr9Lxv0="]
CALLBACKS_ALLOW_PRIVATE_TARGETS = env.bool("CALLBACKS_ALLOW_PRIVATE_TARGETS", default=True)
WHITENOISE_USE_FINDERS = True

# Local runs: emails are printed as a framed block; static-file and beat-tick log lines are left out unless
# CONSOLE_VERBOSE=1 (``runconsole --verbose``), see console/localrun.py.
EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="console.localrun.FramedEmailBackend")
LOGGING = {
    **LOGGING,
    "filters": {"quiet": {"()": "console.localrun.QuietAccessLog"}},
    "formatters": {
        "server": {"()": "django.utils.log.ServerFormatter", "format": "[{server_time}] {message}", "style": "{"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["quiet"]},
        "server": {"class": "logging.StreamHandler", "filters": ["quiet"], "formatter": "server"},
    },
    # runserver's access log has its own logger (Django's default sends it to its own handler).
    "loggers": {"django.server": {"handlers": ["server"], "level": "INFO", "propagate": False}},
}
