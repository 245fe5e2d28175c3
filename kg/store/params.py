"""Query parameters for FalkorDB, written into the query text as FalkorDB takes them.

FalkorDB receives parameters as a ``CYPHER name=value ...`` prefix of the query text. Its Python
client writes that prefix in Python, one call per value; a build sends millions of values in its
``UNWIND`` batches, so kg writes the prefix here, compiled (``kg/compiled_modules.py``), in the same
format: strings double-quoted with ``\\`` and ``"`` escaped, ``null``, ``[...]`` lists and
``{`key`:...}`` maps, anything else as ``str()`` gives it.

Replies come back in FalkorDB's compact form, every value as ``[type, value]``. The client parses
them in Python, one call per value, and a build reads every author and co-author pair back to
work out their summaries; ``plain_rows`` reads a reply of plain values (null, string, integer,
boolean, double, and lists of them) here, compiled, and leaves any other to the client. A
string the store keeps packed (an abstract, ``kg.store.packing``) is read as its text.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from kg.errors import QueryError
from kg.store.packing import PREFIX, unpack


def params_header(params: Mapping[str, Any]) -> str:
    """The ``CYPHER `name`=value ...`` prefix that passes ``params`` with a query."""
    parts = ["CYPHER "]
    for key, value in params.items():
        parts.append(f"`{_name(key)}`={literal(value)} ")
    return "".join(parts)


def literal(value: Any) -> str:
    """``value`` as a Cypher literal."""
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if value is None:
        return "null"
    if isinstance(value, list | tuple):
        return "[" + ",".join([literal(v) for v in value]) + "]"
    if isinstance(value, dict):
        return "{" + ",".join([f"`{_name(k)}`:{literal(v)}" for k, v in value.items()]) + "}"
    return str(value)


def _name(key: Any) -> str:
    name = key.decode() if isinstance(key, bytes) else str(key)
    if name == "" or "`" in name:
        raise QueryError(f"a parameter or map key must be a name without backticks, not {name!r}")
    return name


# FalkorDB's compact value types (``falkordb.query_result.ResultSetScalarTypes``) that plain_rows reads
_NULL, _STRING, _INTEGER, _BOOLEAN, _DOUBLE, _ARRAY = 1, 2, 3, 4, 5, 6


class _NotPlain(Exception):
    """A value that is a node, a relationship, a path, a map, a point, a vector or a temporal value."""


def plain_rows(reply: list[Any]) -> list[dict[str, Any]] | None:
    """The rows of a compact ``GRAPH.QUERY`` reply as dicts by column name, or None when a value
    in them is not plain (the caller then has the client parse the reply)."""
    if len(reply) < 3:  # statistics alone: a statement that returns nothing
        return []
    names = [column[1] for column in reply[0]]
    try:
        return [dict(zip(names, [_plain(cell) for cell in row], strict=True)) for row in reply[1]]
    except _NotPlain:
        return None


def _plain(cell: list[Any]) -> Any:
    kind: int = cell[0]
    value = cell[1]
    if kind == _STRING:
        text: str = value.decode() if isinstance(value, bytes) else value
        return unpack(text) if text.startswith(PREFIX) else text
    if kind == _INTEGER:
        return value
    if kind == _NULL:
        return None
    if kind == _BOOLEAN:
        return (value.decode() if isinstance(value, bytes) else value) == "true"
    if kind == _DOUBLE:
        return float(value)
    if kind == _ARRAY:
        return [_plain(item) for item in value]
    raise _NotPlain()
