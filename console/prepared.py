"""Querysets of a fixed shape compiled to SQL once per process (issue 14).

Every console page runs the same few lookups on each request: the signed-in user's memberships (the access
check), the app of the URL. Building and compiling such a queryset costs the ORM 0.7–1.0 CPU ms on each request,
two to four times what running it costs; the SQL is the same every time, only the values differ. A
``PreparedQuery`` builds its queryset once (per database connection alias), with a stand-in value for each
parameter, keeps the compiled SQL, and on each call runs that SQL with the call's values and builds the model
instances with the compiler's own row converters and related populators, as iterating the queryset would.

Only for querysets whose shape does not depend on the values (no ``if`` on a value inside ``build``; no slice
that varies: LIMIT and OFFSET are written into the SQL), whose parameters are plain values the SQL carries as
they are (ints, strings), and which are read as model instances or ``values()`` dicts.
The stand-ins are found in the compiled parameters by value; a queryset that transforms a value (or drops it)
fails loudly at the first call, and tests/console/test_prepared.py holds each prepared query equal to its
queryset.
"""

from collections.abc import Callable
from itertools import count

from django.db import connections
from django.db.models import Model, QuerySet
from django.db.models.query import ModelIterable, ValuesIterable, get_related_populators

_stand_ins = count(1)


def _stand_in(kind: type):
    number = next(_stand_ins)
    if kind is int:
        return -(10**15) - number  # no id of a row is negative
    if kind is str:
        return f"\x1fprepared-stand-in-{number}\x1f"
    raise TypeError(f"A prepared query takes int and str parameters, not {kind.__name__}.")


class _Compiled:
    def __init__(self, queryset: QuerySet, stand_ins: dict[str, object], using: str):
        compiler = queryset.query.get_compiler(using=using)
        self.sql, params = compiler.as_sql()
        positions = {name: [i for i, value in enumerate(params) if value == stand_in]
                     for name, stand_in in stand_ins.items()}
        missing = [name for name, found in positions.items() if not found]
        if missing:
            raise ValueError(f"The prepared query's SQL does not carry {missing} as given.")
        self.params = list(params)
        self.slots = [(i, name) for name, found in positions.items() for i in found]
        self.compiler = compiler
        query = queryset.query
        self.names = None  # a ``values()`` queryset's keys, in the order of its columns
        if queryset._iterable_class is ValuesIterable:
            self.names = [*query.extra_select, *query.values_select, *query.annotation_select]
            return
        if queryset._iterable_class is not ModelIterable:
            raise TypeError("A prepared query reads model instances or values() dicts.")
        klass_info, select = compiler.klass_info, compiler.select
        self.model = klass_info["model"]
        fields = klass_info["select_fields"]
        self.start, self.end = fields[0], fields[-1] + 1
        self.init_list = [column[0].target.attname for column in select[self.start:self.end]]
        self.populators = get_related_populators(klass_info, select, using)

    def run(self, using: str, values: dict) -> list[Model] | list[dict]:
        params = list(self.params)
        for index, name in self.slots:
            params[index] = values[name]
        with connections[using].cursor() as cursor:
            cursor.execute(self.sql, params)
            rows = cursor.fetchall()
        if self.names is not None:
            names = self.names
            # as ValuesIterable: a row may carry more columns (an ORDER BY's) than the names
            return [dict(zip(names, row)) for row in self.compiler.results_iter(results=[rows])]  # noqa: B905
        objects = []
        for row in self.compiler.results_iter(results=[rows]):
            obj = self.model.from_db(using, self.init_list, row[self.start:self.end])
            for populator in self.populators:
                populator.populate(row, obj)
            objects.append(obj)
        return objects


class PreparedQuery:
    """``PreparedQuery(lambda user_id: Membership.objects.filter(user_id=user_id)..., user_id=int)``; calling it
    with ``user_id=5`` returns the list the queryset would."""

    def __init__(self, build: Callable[..., QuerySet], **kinds: type):
        self._build = build
        self._kinds = kinds
        self._compiled: dict[str, _Compiled] = {}

    def queryset(self, **values) -> QuerySet:
        """The queryset itself, for the equality tests."""
        return self._build(**values)

    def __call__(self, *, using: str = "default", **values) -> list[Model]:
        compiled = self._compiled.get(using)
        if compiled is None:
            stand_ins = {name: _stand_in(kind) for name, kind in self._kinds.items()}
            compiled = self._compiled[using] = _Compiled(self._build(**stand_ins), stand_ins, using)
        for name, kind in self._kinds.items():
            if not isinstance(values[name], kind) or isinstance(values[name], bool):
                raise TypeError(f"{name} must be {kind.__name__}, not {type(values[name]).__name__}.")
        return compiled.run(using, values)
