"""Querysets whose SQL Django writes once per process, for the queries every uncached public page runs.

Django writes a queryset's SQL anew on every run. For an article page's own query (four joined tables, 48
named columns) that took 1.8 ms, three times what PostgreSQL took to run it and send the row back (0.55 ms
with the rows turned into model instances); the "more articles like this" query took 0.7 ms to write and
0.6 ms to run (measured in-process, December 2026). Pages run the same few query shapes with different values,
so a `CompiledQuery` builds its queryset once per process, thread and language with stand-in values, keeps
the SQL, and on each run puts the real values into the parameter list and hands the rows to Django's own
model iterable (select_related objects, converters and deferred fields work as in the ORM). With server-side
prepared statements (lawsite/settings/core.py) PostgreSQL then plans the query once per connection too.

    RELATED = CompiledQuery(
        lambda area, exclude: Article.objects.filter(practice_area=area).exclude(pk=exclude)[:3],
        area=int, exclude=int,
    )
    RELATED.all(area=7, exclude=12)

Only values may vary between runs: the builder's shape (which filters, the slice, a list's length) must not
depend on them. That is checked when the SQL is first written: the builder runs twice with different stand-ins,
and the SQL must come out the same with every stand-in appearing as a whole parameter (a value Django
rewrites, such as icontains' %…%, or a value written into the SQL text, is refused with an error at first use,
never silently run with a stale value). The language is part of the key because django-modeltranslation
writes translated columns by the active language.
"""

import copy
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from itertools import count

from django.core.signals import setting_changed
from django.db import connections
from django.db.models import QuerySet
from django.db.models.query import ValuesListIterable
from django.utils import translation

# Stand-in values by type: unlikely in real data, and different from each other and between the two builds.
_serial = count(1)


def _stand_in(kind: type, build: int):
    n = next(_serial) + 1_000_000 * build
    if kind is int:
        return -(10**12) - n
    if kind is str:
        return f"\ue000stand-in-{n}\ue001"
    if kind is datetime:
        return datetime(1901, 1, 1, tzinfo=UTC) + timedelta(seconds=n)
    raise TypeError(f"CompiledQuery: no stand-in for values of type {kind.__name__}")


@dataclass(frozen=True)
class _Compiled:
    # Built with stand-ins; cloned for each run (its query answers with the saved compiler).
    queryset: QuerySet
    compiler: object  # Django's SQL compiler after as_sql(): the select list, model layout and converters
    sql: str
    slots: tuple  # per parameter: the value's name, or None for a constant kept in `constants`
    constants: tuple
    converters: dict  # Django's converters by column (dates to aware datetimes, JSON...), found once
    plain: bool  # no column needs a converter: rows() may hand back the driver's rows


class CompiledQuery:
    def __init__(self, build: Callable[..., QuerySet], using: str = "default", **kinds: type):
        self.build = build
        self.using = using
        self.kinds = kinds
        self._local = threading.local()
        _instances.append(self)

    def all(self, shape: tuple = (), **values) -> list:
        """The rows for these values (model instances, as the built queryset would give).

        `shape`: values the builder takes first, positionally, that change the SQL itself (a page's OFFSET):
        each distinct shape is compiled once, so keep their number small and bounded."""
        compiled, params = self._bind(shape, values)
        compiler = copy.copy(compiled.compiler)  # per run: the saved one stays untouched
        compiler.as_sql = lambda *args, **kwargs: (compiled.sql, params)
        compiler.get_converters = lambda expressions: compiled.converters  # the same columns every run
        queryset = compiled.queryset.all()  # a fresh clone, so no result cache is shared between runs
        queryset.query.get_compiler = lambda *args, **kwargs: compiler
        return list(queryset)

    def rows(self, shape: tuple = (), **values) -> list[tuple]:
        """The rows as the database driver returns them, for a `values_list()` builder whose columns need no
        conversion from the database (text, numbers, arrays of text: no JSON, dates or custom fields):
        without the queryset clone and Django's iterable, per run."""
        compiled, params = self._bind(shape, values)
        if not compiled.plain:
            raise TypeError("CompiledQuery.rows(): these columns need converting; use converted_rows()")
        return self._fetch(compiled, params)

    def converted_rows(self, shape: tuple = (), **values) -> list[tuple]:
        """The rows of a `values_list()` builder as the queryset gives them, its columns converted as Django
        converts them (JSON, arrays of JSON: the converters found when the SQL was written), from the driver's
        rows: without the queryset clone, the compiler copy and Django's iterable, which cost an article
        page's query ~0.07 ms on top of the driver's (in-process, December 2026)."""
        compiled, params = self._bind(shape, values)
        if compiled.queryset._iterable_class is not ValuesListIterable:
            raise TypeError("CompiledQuery.converted_rows(): for a values_list() builder; use all()")
        rows = self._fetch(compiled, params)
        if compiled.plain:
            return rows
        connection = connections[self.using]
        converters = list(compiled.converters.items())
        converted = []
        for row in rows:
            row = list(row)
            for index, (functions, expression) in converters:
                value = row[index]
                for function in functions:
                    value = function(value, expression, connection)
                row[index] = value
            converted.append(tuple(row))
        return converted

    def _fetch(self, compiled: "_Compiled", params: list) -> list[tuple]:
        with connections[self.using].cursor() as cursor:
            cursor.execute(compiled.sql, params)
            return cursor.fetchall()

    def _bind(self, shape: tuple, values: dict) -> tuple["_Compiled", list]:
        """The compiled query for this shape and its parameter list with these values in their places."""
        if set(values) != set(self.kinds):
            raise TypeError(f"CompiledQuery needs exactly {sorted(self.kinds)}, got {sorted(values)}")
        compiled = self._compiled(shape)
        params = [
            values[slot] if slot is not None else constant
            for slot, constant in zip(compiled.slots, compiled.constants, strict=True)
        ]
        return compiled, params

    def forget(self) -> None:
        self._local = threading.local()

    def _compiled(self, shape: tuple) -> _Compiled:
        # A compiler holds its thread's connection object, and modeltranslation writes the active language's
        # columns: one compiled copy per thread (a local) and language.
        by_key = getattr(self._local, "by_key", None)
        if by_key is None:
            by_key = self._local.by_key = {}
        key = (translation.get_language(), *shape)
        compiled = by_key.get(key)
        if compiled is None:
            compiled = by_key[key] = self._compile(shape)
        return compiled

    def _compile(self, shape: tuple) -> _Compiled:
        builds = []
        for build in (1, 2):
            stand_ins = {name: _stand_in(kind, build) for name, kind in self.kinds.items()}
            queryset = self.build(*shape, **stand_ins)
            compiler = queryset.query.get_compiler(using=self.using)
            sql, params = compiler.as_sql()
            builds.append((stand_ins, queryset, compiler, sql, tuple(params)))
        (first, queryset, compiler, sql, params), (second, _, _, other_sql, other_params) = builds
        if sql != other_sql or len(params) != len(other_params):
            raise ValueError(f"CompiledQuery: the SQL changes with the values; write a shape per case: {sql}")
        by_value = {value: name for name, value in first.items()}
        slots, seen = [], set()
        for value, other in zip(params, other_params, strict=True):
            name = by_value.get(value) if _hashable(value) else None
            if name is None:
                if value != other:
                    raise ValueError(
                        f"CompiledQuery: a value is rewritten before it reaches the SQL: {value!r}"
                    )
                slots.append(None)
            elif second[name] != other:
                raise ValueError(f"CompiledQuery: parameter {name} is not passed through as it is")
            else:
                slots.append(name)
                seen.add(name)
        if unused := set(self.kinds) - seen:
            raise ValueError(
                f"CompiledQuery: the query never uses {sorted(unused)} (or writes it into the SQL)"
            )
        if connections[self.using] is not compiler.connection:
            raise RuntimeError("CompiledQuery: compiled on another thread's connection")
        constants = tuple(None if slot else value for slot, value in zip(slots, params, strict=True))
        columns = [column for column, *_ in compiler.select[: compiler.col_count]]
        converters = compiler.get_converters(columns)
        return _Compiled(queryset, compiler, sql, tuple(slots), constants, converters, not converters)


def _hashable(value) -> bool:
    try:
        hash(value)
    except TypeError:
        return False
    return True


_instances: list[CompiledQuery] = []


def forget_all(**kwargs) -> None:
    """A setting changed (tests override the database, time zone or languages): write the SQL again."""
    for query in _instances:
        query.forget()


setting_changed.connect(forget_all, dispatch_uid="articles-compiled-queries")
