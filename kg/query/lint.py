"""Checks on Cypher text that need no server: parameters used, and the portable subset.

FalkorDB runs a subset of Neo4j's Cypher. Text kg ships must run on both, so it avoids what
FalkorDB lacks: ``EXISTS {}`` and ``COUNT {}`` subqueries, ``CALL {}`` subqueries, the regular
expression operator ``=~``, and ``shortestPath`` anywhere but a WITH or RETURN projection.
"""

from __future__ import annotations

import re

_PARAMETER = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")
_STRING_OR_COMMENT = re.compile(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"|//[^\n]*")
_NOT_PORTABLE = [
    (re.compile(r"\bEXISTS\s*\{", re.I), "EXISTS { } subqueries (FalkorDB has none)"),
    (re.compile(r"\bCOUNT\s*\{", re.I), "COUNT { } subqueries (FalkorDB has none)"),
    (re.compile(r"\bCALL\s*\{", re.I), "CALL { } subqueries (FalkorDB has none)"),
    (re.compile(r"=~"), "the regular expression operator =~ (FalkorDB has none)"),
]
_SHORTEST = re.compile(r"\b(?:all)?shortestPath\s*\(", re.I)
_CLAUSE = re.compile(r"\b(MATCH|OPTIONAL\s+MATCH|WITH|RETURN|WHERE|UNWIND|MERGE|CREATE)\b", re.I)


def code_of(text: str) -> str:
    """The text with string literals and comments blanked out, so checks only see code."""
    return _STRING_OR_COMMENT.sub(lambda m: " " * len(m.group()), text)


def parameters_of(text: str) -> set[str]:
    """The ``$parameters`` a Cypher text uses."""
    return set(_PARAMETER.findall(code_of(text)))


def portability_problems(text: str) -> list[str]:
    """What in ``text`` FalkorDB cannot run (empty if it is in the portable subset)."""
    code = code_of(text)
    problems = [why for pattern, why in _NOT_PORTABLE if pattern.search(code)]
    for m in _SHORTEST.finditer(code):
        clauses = _CLAUSE.findall(code[:m.start()])
        if not clauses or clauses[-1].upper() not in ("WITH", "RETURN"):
            problems.append("shortestPath outside a WITH or RETURN projection (FalkorDB allows it only there)")
    return problems


def _split_top_level(text: str) -> list[str]:
    parts, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        if ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
        elif ch == "," and depth == 0:
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    return [p.strip() for p in parts if p.strip()]


def return_columns(text: str) -> list[list[str]]:
    """The column names of each RETURN clause (one per side of a UNION): an item's ``AS`` alias,
    or the item itself when it is a bare variable."""
    code = code_of(text)
    out = []
    for m in re.finditer(r"\bRETURN\s+(?:DISTINCT\s+)?(.*?)(?=\bORDER\s+BY\b|\bSKIP\b|\bLIMIT\b|\bUNION\b|$)",
                         code, re.S | re.I):
        out.append([re.split(r"(?:^|\s)AS\s+", item, flags=re.I)[-1].strip() for item in _split_top_level(m.group(1))])
    return out
