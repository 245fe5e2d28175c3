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

A ``// people: NAMES by KEYS`` line names a column of people's names and the column of their
keys: ``run_query`` adds each person's label beside them (``label_people``), so that lists of
authors tell namesakes apart too.
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
from kg.resolve.keys import name_key
from kg.statements.read import LOOKUP_STATEMENTS, PERSON_LABEL_STATEMENTS
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
    # (names column, keys column) pairs: kg labels the people and drops a list's keys (run_query)
    people: tuple[tuple[str, str], ...] = ()

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
    columns = tuple(c.strip() for c in fields["columns"].split(","))
    people = []
    for pair in filter(None, (p.strip() for p in fields.get("people", "").split(","))):
        names, _, keys = pair.partition(" by ")
        if not keys or names not in columns or keys not in columns:
            raise QueryError(f"{file}: expected '// people: NAMES by KEYS', two of its columns, not {pair!r}")
        people.append((names, keys))
    return CannedQuery(fields["name"], fields["description"], tuple(params), columns,
                       "\n".join(body).strip() + "\n", tuple(people))


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

def find_entities(store: Store, label: str, text: str) -> list[dict[str, Any]]:
    """Every ``label`` node a user's text names (its key, or any of its names normalised as the
    loader normalises them), most papers first: rows of key, name and papers."""
    key = text.strip() if label == "Author" else text.strip().casefold()
    name = name_key(text) if label == "Author" else key if label == "Organization" else norm_key(text)
    for statement in LOOKUP_STATEMENTS[label]:
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
    if len(found) > 1 and label in ("Method", "Dataset"):
        # an acronym is an alias of every thing it was spelled out as, and the name of the one it
        # commonly means (``kg.resolve.entities.resolve_forms``)
        shown = [row for row in found if norm_key(str(row["name"])) == norm_key(text)]
        found = shown if len(shown) == 1 else found
    if len(found) == 1:
        return str(found[0]["key"])
    if not found:
        raise QueryError(f"no {label.lower()} called {text!r} in the graph")
    listed = "; ".join(f"{row['key']} ({row['name']}, {row['papers']} papers)" for row in found)
    raise QueryError(f"{text!r} fits {len(found)} {label.lower()}s, pass one of their keys instead: {listed}")


def _counted(n: int, thing: str) -> str:
    return f"{n} {thing}{'s' if n != 1 else ''}"


def person_label(store: Store, key: str) -> str:
    """A short description of one author: ``6 papers, 2023-2025, with Ann Lee`` (the co-author
    of most joint papers, the first by name of those tied)."""
    (counts,) = store.run(PERSON_LABEL_STATEMENTS["papers"], {"key": key})
    years = sorted({str(d)[:4] for d in (counts["first"], counts["last"]) if d})
    parts = [_counted(counts["papers"], "paper")]
    if years:
        parts.append("-".join(years))
    coauthor = store.run(PERSON_LABEL_STATEMENTS["coauthor"], {"key": key})
    if coauthor:
        parts.append(f"with {coauthor[0]['name']}")
    return ", ".join(parts)


def summary_labels(store: Store, keys: list[str], group: bool = True) -> dict[str, str]:
    """A short description of each author from the summaries kg build keeps on them, for lists
    of authors, where working out years and main co-authors for every row would cost more than
    the list (``5 papers, 12 co-authors, group of ann lee``: the co-author community, named by
    its first key)."""
    labels = {}
    for row in store.run(PERSON_LABEL_STATEMENTS["summaries"], {"keys": keys}):
        parts = [_counted(row["papers"] or 0, "paper"), _counted(row["coauthors"] or 0, "co-author")]
        if group and row["community"]:
            parts.append(f"group of {row['community']}")
        labels[row["key"]] = ", ".join(parts)
    return labels


def label_people(store: Store, query: CannedQuery, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The rows with the people of each ``people:`` column pair told apart (``summary_labels``):
    where a column holds one person, a ``NAMES_label`` column follows the key; where it holds a
    list of names (the members of one group), a name that several people in the graph share gets
    its label in brackets, and the keys, which were there for that, go."""
    for names, keys in query.people:
        listed = sorted({n for row in rows if isinstance(row[names], list) for n in row[names]})
        shared = {row["name"] for row in store.run(PERSON_LABEL_STATEMENTS["shared"],
                                                   {"names": [name_key(n) for n in listed]})
                  if row["people"] > 1} if listed else set()
        every = sorted({k for row in rows for k in (row[keys] if isinstance(row[keys], list) else [row[keys]])})
        labels = summary_labels(store, every, group=not listed) if every else {}
        out = []
        for row in rows:
            if isinstance(row[names], list):
                members = [f"{n} ({labels[k]})" if name_key(n) in shared else n
                           for n, k in zip(row[names], row[keys], strict=True)]
                out.append({c: members if c == names else v for c, v in row.items() if c != keys})
            else:
                labelled: dict[str, Any] = {}
                for c, v in row.items():
                    labelled[c] = v
                    if c == keys:
                        labelled[f"{names}_label"] = labels[v]
                out.append(labelled)
        rows = out
    return rows


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
        return label_people(store, query, store.run(query.text, bind(query, store, args, resolved)))
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
        for row in label_people(store, query, store.run(query.text, bind(query, store, args, {**resolved, **chosen}))):
            rows.append({**extra, **row})
    return rows
