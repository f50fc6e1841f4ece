"""Plain SQL reads for the busiest pages (issue 14: building and compiling an ORM query cost 0.5-1 ms of CPU on
each page view; the same read as SQL a tenth of that). The values as both backends hand them back: PostgreSQL
gives Decimals and aware datetimes; SQLite gives amounts as floats and datetimes as naive UTC (dates are
converted by the driver on both)."""

import datetime as dt
from decimal import Decimal

from django.db import connection

from console.money import quantize_money


def table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def fetch(sql: str, params: list) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def money(value) -> Decimal:
    """A money column or sum: two places (a float on SQLite)."""
    return quantize_money(value if isinstance(value, Decimal) else Decimal(str(value)))


def aware(value: dt.datetime | None) -> dt.datetime | None:
    """A datetime column: aware (naive UTC on SQLite)."""
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=dt.UTC)


class PagedRows:
    """Rows for a Django Paginator without a QuerySet: a subclass gives ``count`` (an int, known beforehand or
    counted once) and ``page(offset=, limit=)``, the rows of one page; a slice past the end reads nothing."""

    count: int

    def page(self, *, offset: int, limit: int) -> list:
        raise NotImplementedError

    def __len__(self) -> int:
        return self.count

    def __getitem__(self, window: slice) -> list:
        if not self.count or window.stop <= window.start:
            return []
        return self.page(offset=window.start, limit=window.stop - window.start)
