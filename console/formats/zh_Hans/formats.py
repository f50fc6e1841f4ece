"""zh-hans number formats as Chinese cloud consoles show money and counts: ¥12,345.67 (groups of three with
a comma), not Django's default for the locale (no separator). Dates and inputs stay Django's."""

from django.conf.locale.zh_Hans.formats import *  # noqa: F403

THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
