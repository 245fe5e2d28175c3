"""The canned queries of ``queries/*.cypher``: their headers, their arguments, running them.

Each file answers one question and starts with a header of ``//`` lines::

    // name: coauthors
    // description: An author's co-authors, ranked by joint papers, with the papers.
    // param author: author - the author, as typed
    // param limit: integer = 25 - at most this many co-authors
    // columns: coauthor, joint_papers, papers

Parameter types: ``string``, ``integer``, ``date`` (YYYY-MM-DD), and the entity types ``author``,
``method``, ``dataset``, ``organization``, which take a name the way users type it (any case,
acronym or long form, or a node key) and are resolved to node keys through the same
normalisation the loader uses. An author's name that several people share is answered for each
of them, most published first, with two more columns saying whose rows they are
(``PARAM_person``: the key, ``PARAM_label``: papers, years, main co-author); a method or dataset
name that fits several nodes is an error listing them.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from difflib import get_close_matches
from functools import cache
from importlib import resources
from typing import Any

from kg.errors import QueryError
from kg.extract.shapes import norm_key
from kg.resolve import name_key
from kg.store import Store

ENTITY_TYPES = {"author": "Author", "method": "Method", "dataset": "Dataset", "organization": "Organization"}
TYPES = ("string", "integer", "date", *ENTITY_TYPES)
_PARAM = re.compile(r"param (\w+): (\w+)(?: = (\S+))? - (.+)")


@dataclass(frozen=True, slots=True)
class Parameter:
    name: str
    type: str
    default: str | None
    help: str


@dataclass(frozen=True, slots=True)
class CannedQuery:
    name: str
    description: str
    parameters: tuple[Parameter, ...]
    columns: tuple[str, ...]
    text: str  # the Cypher without its header

    def usage(self) -> str:
        """``kg query`` arguments, e.g. ``--param author=NAME [--param limit=25]``."""
        parts = [f"--param {p.name}=..." if p.default is None else f"[--param {p.name}={p.default}]"
                 for p in self.parameters]
        return " ".join(parts)


def parse_query(source: str, file: str) -> CannedQuery:
    """A query file's header and body.

    Raises:
        QueryError: the header is missing a field or has a malformed line (file and line named).
    """
    fields: dict[str, str] = {}
    params: list[Parameter] = []
    body: list[str] = []
    for number, line in enumerate(source.splitlines(), 1):
        if not line.startswith("//") or body:
            body.append(line)
            continue
        header = line[2:].strip()
        if header.startswith("param "):
            m = _PARAM.fullmatch(header)
            if not m or m.group(2) not in TYPES:
                raise QueryError(f"{file}:{number}: expected '// param NAME: TYPE [= DEFAULT] - help' with TYPE one "
                                 f"of {', '.join(TYPES)}")
            params.append(Parameter(*m.groups()))
        elif ":" in header:
            key, value = header.split(":", 1)
            fields[key.strip()] = value.strip()
    missing = [k for k in ("name", "description", "columns") if k not in fields]
    if missing:
        raise QueryError(f"{file}: header lacks {', '.join(missing)}")
    return CannedQuery(fields["name"], fields["description"], tuple(params),
                       tuple(c.strip() for c in fields["columns"].split(",")), "\n".join(body).strip() + "\n")


@cache
def canned_queries() -> dict[str, CannedQuery]:
    """Every query in ``queries/``, by name."""
    out = {}
    for entry in sorted(resources.files("kg.queries").iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".cypher"):
            query = parse_query(entry.read_text("utf-8"), f"queries/{entry.name}")
            out[query.name] = query
    return out


def get_query(name: str) -> CannedQuery:
    """The canned query called ``name``.

    Raises:
        QueryError: there is none (the message lists them).
    """
    try:
        return canned_queries()[name]
    except KeyError:
        close = get_close_matches(name, list(canned_queries()), n=1)
        hint = f"did you mean {close[0]}? " if close else ""
        raise QueryError(f"no query named {name!r}; {hint}kg queries lists them: "
                         + ", ".join(canned_queries())) from None


# -- arguments ------------------------------------------------------------------------------------

_RETURN = "RETURN n.key AS key, n.name AS name, count(p) AS papers\nORDER BY papers DESC, key\nLIMIT 20"
# Tried in order, the first that finds anything wins: indexed look-ups first, a scan of the
# alias lists only when they find nothing.
_LOOKUP = {
    "Author": [f"MATCH (n:Author {{key: $key}})\nOPTIONAL MATCH (n)-[:AUTHORED]->(p:Paper)\n{_RETURN}",
               f"MATCH (n:Author {{name_key: $name}})\nOPTIONAL MATCH (n)-[:AUTHORED]->(p:Paper)\n{_RETURN}"],
    "Method": [f"MATCH (n:Method {{key: $name}})\nOPTIONAL MATCH (p:Paper)-[:PROPOSES]->(n)\n{_RETURN}",
               f"MATCH (n:Method)\nWHERE $name IN n.names\nOPTIONAL MATCH (p:Paper)-[:PROPOSES]->(n)\n{_RETURN}"],
    "Dataset": [f"MATCH (n:Dataset {{key: $name}})\nOPTIONAL MATCH (p:Paper)-[:EVALUATED_ON]->(n)\n{_RETURN}",
                f"MATCH (n:Dataset)\nWHERE $name IN n.names\nOPTIONAL MATCH (p:Paper)-[:EVALUATED_ON]->(n)\n{_RETURN}"],
    "Organization": [f"MATCH (n:Organization {{key: $key}})\nOPTIONAL MATCH (p:Paper)-->(n)\n{_RETURN}",
                     f"MATCH (n:Organization)\nWHERE toLower(n.name) = $name\n"
                     f"OPTIONAL MATCH (p:Paper)-->(n)\n{_RETURN}"],
}


# What tells two people of one name apart: their papers, their years, who they write with most.
_PERSON_LABEL = [
    "MATCH (a:Author {key: $key})-[:AUTHORED]->(p:Paper)\n"
    "RETURN count(p) AS papers, min(p.date) AS first, max(p.date) AS last",
    "MATCH (a:Author {key: $key})-[:AUTHORED]->(p:Paper)<-[:AUTHORED]-(c:Author)\n"
    "WHERE c.key <> $key\n"
    "RETURN c.name AS name, count(DISTINCT p) AS joint\nORDER BY joint DESC, name\nLIMIT 1",
]


def lookup_statements() -> list[str]:
    """The Cypher that resolves entity arguments and labels people (for the linter)."""
    return [text for texts in _LOOKUP.values() for text in texts] + _PERSON_LABEL


def find_entities(store: Store, label: str, text: str) -> list[dict[str, Any]]:
    """Every ``label`` node a user's text names (its key, or any of its names normalised as the
    loader normalises them), most papers first: rows of key, name and papers."""
    key = text.strip() if label == "Author" else text.strip().casefold()
    name = name_key(text) if label == "Author" else key if label == "Organization" else norm_key(text)
    for statement in _LOOKUP[label]:
        found = store.run(statement, {"key": key, "name": name} if "$key" in statement else {"name": name})
        if found:
            return found
    return []


def resolve_entity(store: Store, label: str, text: str) -> str:
    """The key of the one ``label`` node a user's text names.

    Raises:
        QueryError: no node, or several, fit (the candidates are listed with their keys).
    """
    found = find_entities(store, label, text)
    if len(found) == 1:
        return str(found[0]["key"])
    if not found:
        raise QueryError(f"no {label.lower()} called {text!r} in the graph")
    listed = "; ".join(f"{row['key']} ({row['name']}, {row['papers']} papers)" for row in found)
    raise QueryError(f"{text!r} fits {len(found)} {label.lower()}s, pass one of their keys instead: {listed}")


def person_label(store: Store, key: str) -> str:
    """A short description of one author: ``6 papers, 2023-2025, with Ann Lee``."""
    (counts,) = store.run(_PERSON_LABEL[0], {"key": key})
    years = sorted({str(d)[:4] for d in (counts["first"], counts["last"]) if d})
    parts = [f"{counts['papers']} paper{'s' if counts['papers'] != 1 else ''}"]
    if years:
        parts.append("-".join(years))
    coauthor = store.run(_PERSON_LABEL[1], {"key": key})
    if coauthor:
        parts.append(f"with {coauthor[0]['name']}")
    return ", ".join(parts)


def bind(query: CannedQuery, store: Store, args: dict[str, str], resolved: dict[str, str] | None = None
         ) -> dict[str, Any]:
    """The query's parameters from ``name=value`` strings: defaults filled, types checked, names
    resolved (the node keys in ``resolved`` taken as they are).

    Raises:
        QueryError: an unknown or missing parameter, or a value of the wrong type.
    """
    declared = {p.name: p for p in query.parameters}
    unknown = sorted(set(args) - set(declared))
    if unknown:
        close = [c for u in unknown for c in get_close_matches(u, list(declared), n=1)]
        hint = f" (did you mean {', '.join(close)}?)" if close else ""
        raise QueryError(f"{query.name} takes no parameter {', '.join(unknown)}{hint}; it takes {query.usage()}")
    out: dict[str, Any] = {}
    for p in query.parameters:
        value = args.get(p.name, p.default)
        if value is None:
            raise QueryError(f"{query.name} needs --param {p.name}=... ({p.help})")
        if p.type == "integer":
            try:
                out[p.name] = int(value)
            except ValueError:
                raise QueryError(f"--param {p.name} takes a whole number, not {value!r}") from None
        elif p.type == "date":
            try:
                out[p.name] = date.fromisoformat(value).isoformat()
            except ValueError:
                raise QueryError(f"--param {p.name} takes a date YYYY-MM-DD, not {value!r}") from None
        elif resolved and p.name in resolved:
            out[p.name] = resolved[p.name]
        elif p.type in ENTITY_TYPES:
            out[p.name] = resolve_entity(store, ENTITY_TYPES[p.type], value)
        else:
            out[p.name] = value
    return out


def run_query(store: Store, name: str, args: dict[str, str] | None = None,
              notice: Callable[[str], None] | None = None) -> list[dict[str, Any]]:
    """Run a canned query by name with ``name=value`` arguments; rows as dicts, in column order.

    An author argument that names several people is answered for each of them in turn, most
    published first, each row with ``PARAM_person`` and ``PARAM_label`` before its columns;
    ``notice`` is told that the name is shared and how to pick one.

    Raises:
        QueryError: an unknown query or parameter, a value of the wrong type, a name of nothing.
    """
    query = get_query(name)
    args = dict(args or {})
    shared: list[tuple[str, list[dict[str, Any]]]] = []
    resolved: dict[str, str] = {}  # author arguments that name one person: looked up once
    for p in query.parameters:
        if p.type == "author" and p.name in args:
            people = find_entities(store, "Author", args[p.name])
            if len(people) > 1:
                shared.append((p.name, people))
            elif people:
                resolved[p.name] = str(people[0]["key"])
    if not shared:
        return store.run(query.text, bind(query, store, args, resolved))
    for param, people in shared:
        if notice is not None:
            notice(f"{args[param]!r} is the name of {len(people)} people in the graph: answering for each, most "
                   f"published first (the {param}_person column); --param {param}=KEY asks about one")
    rows: list[dict[str, Any]] = []
    for choice in itertools.product(*(people for _param, people in shared)):
        chosen = {param: str(person["key"]) for (param, _people), person in zip(shared, choice, strict=True)}
        extra: dict[str, Any] = {}
        for param, key in chosen.items():
            extra[f"{param}_person"] = key
            extra[f"{param}_label"] = person_label(store, key)
        for row in store.run(query.text, bind(query, store, args, {**resolved, **chosen})):
            rows.append({**extra, **row})
    return rows
