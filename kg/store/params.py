"""Query parameters for FalkorDB, written into the query text as FalkorDB takes them.

FalkorDB receives parameters as a ``CYPHER name=value ...`` prefix of the query text. Its Python
client writes that prefix in Python, one call per value; a build sends millions of values in its
``UNWIND`` batches, so kg writes the prefix here, compiled (``kg/_compiled.py``), in the same
format: strings double-quoted with ``\\`` and ``"`` escaped, ``null``, ``[...]`` lists and
``{`key`:...}`` maps, anything else as ``str()`` gives it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


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
        raise ValueError(f"a parameter or map key must be a name without backticks, not {name!r}")
    return name
