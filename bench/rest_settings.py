"""Bench-only settings for bench/rest.py: the local settings with a URLconf that adds a trivial view, quiet logs."""

from console.settings.local import *  # noqa: F403

DEBUG = False
ALLOWED_HOSTS = ["*"]
ROOT_URLCONF = "bench.rest_urls"
CALLBACKS_ALLOW_PRIVATE_TARGETS = True
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "ERROR"}}
