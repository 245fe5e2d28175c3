"""The Cypher that writes a batch of the graph model (``kg.load.writer``), and the look-ups the
loader makes before it: which keys the store holds, their internal ids, the names it knows."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import cache
from operator import itemgetter

from kg.build import RelId
from kg.resolve.papers import PAPER_FIELDS
from kg.schema import SOURCE_SEPARATOR, Dialect, RelType, graph_schema

# The keys of the parameter rows (row.start, row.props...), besides the model's property keys.
ROW_KEYS = ("start", "end", "props", "name", "a", "b", "old", "new")
LIST_PROPERTIES = ("sources", "names", "aliases", "joins")
# kg.schema.SOURCE_SEPARATOR as a Cypher literal, the one literal in what kg generates (a part of the
# format, not a value)
SEPARATOR = repr(SOURCE_SEPARATOR)
HELD_LOOKUPS = ("Paper", "Listing", "Method", "Dataset")  # labels whose keys held_keys is asked about


def _union_sets(var: str, props: Iterable[str], *, interned: bool = False) -> str:
    """Add each list of the row to the list the store holds; ``sources``, one string in the store
    (``kg.schema.SOURCE_SEPARATOR``), gets the row's sources it does not hold yet."""
    lists = "".join(f"\nSET {var}.{p} = coalesce({var}.{p}, []) + [x IN row.{p} WHERE NOT x IN coalesce({var}.{p}, [])]"
                    for p in props if p != "sources")
    if "sources" not in props:
        return lists
    held = f"{var}.sources"
    joined = (f"CASE WHEN {held} IS NULL OR {held} = row.sources THEN row.sources ELSE reduce(s = {held}, "
              f"x IN split(row.sources, {SEPARATOR}) | CASE WHEN x IN split(s, {SEPARATOR}) THEN s "
              f"ELSE s + {SEPARATOR} + x END) END")
    return f"\nSET {var}.sources = {_interned(joined, interned)}" + lists


def _interned(value: str, interned: bool) -> str:
    """FalkorDB keeps one copy of an interned string however many properties hold it: the sources of
    a paper's twenty-odd relationships are one string, and so is the ``paper`` of its co-authorships.
    ``intern`` is FalkorDB's alone, so only the statements only FalkorDB gets (those that return or
    take node ids) use it."""
    return f"intern({value})" if interned else value


@cache
def node_statement(label: str, *, ids: bool = False) -> str:
    """The batched MERGE of ``label`` nodes; rows are ``{key, props, <list properties>}``. With
    ``ids``, it returns each node's key and internal id (for ``_ends``).

    A node with ``names`` (Method, Dataset) keeps the display name it was created with; a later
    listing's spelling only adds to ``names`` and ``aliases``. A node with ``named_on``
    (Organization) takes a row's ``name`` and ``named_on`` only when that name is the later one by
    ``kg.resolve.is_later_name``, the rule a batch chose its own by, so that no order of batches
    changes the name.
    """
    node = graph_schema().nodes[graph_schema().label(label)]
    lists = [p for p in LIST_PROPERTIES if p in node.properties]
    name = "\nON CREATE SET n.name = row.name" if "names" in lists else ""
    if "named_on" in node.properties:
        name = ("\nWITH n, row, n.named_on IS NULL OR row.named_on > n.named_on"
                " OR (row.named_on = n.named_on AND row.name < n.name) AS later"
                "\nSET n.name = CASE WHEN later THEN row.name ELSE n.name END,"
                " n.named_on = CASE WHEN later THEN row.named_on ELSE n.named_on END")
    return (f"UNWIND $rows AS row\nMERGE (n:{label} {{key: row.key}}){name}\nSET n += row.props"
            + _union_sets("n", lists, interned=ids) + ("\nRETURN row.key AS key, id(n) AS id" if ids else ""))


@cache
def node_create_statement(label: str, *, ids: bool = False) -> str:
    """The batched CREATE of ``label`` nodes the store cannot hold yet (see ``load``); rows as for
    ``node_statement``. The properties are written in the CREATE itself, as ``create_statement``
    writes a relationship's: a MERGE looks the key up in the index first, and its ``SET`` joins each
    list to one that is not there, which costs the store half as much again (docs/performance.md,
    "The figures behind the code")."""
    node = graph_schema().nodes[graph_schema().label(label)]
    values = {"key": "row.key", **{p: _interned(f"row.{p}", ids and p == "sources")
                                   for p in LIST_PROPERTIES if p in node.properties},
              **({"name": "row.name"} if "names" in node.properties else {})}
    values.update((p, f"row.props.{p}") for p in node.properties if p not in values)
    fields = ", ".join(f"{p}: {value}" for p, value in values.items())
    return (f"UNWIND $rows AS row\nCREATE (n:{label} {{{fields}}})"
            + ("\nRETURN row.key AS key, id(n) AS id" if ids else ""))


def _ends(rel: RelType, by_id: bool) -> str:
    """How a relationship statement finds its two nodes: by key (rows ``{start, end}``), or by the
    internal ids that writing them returned (rows ``{a, b}``).

    FalkorDB finds a node by id with a seek, and by key through its index, at several times the
    cost and the more the bigger the graph (docs/performance.md, "Finding the nodes of a
    relationship"). Finding both ends is most of what writing a relationship costs it. The id
    has to be a plain variable for FalkorDB to seek it (``id(a) = row.a`` scans every
    node). Neo4j gets keys: ``id()`` is deprecated there, and its ids may be reused once a node is
    deleted.
    """
    if by_id:
        return (f"WITH row, row.a AS a_id, row.b AS b_id\nMATCH (a:{rel.start}) WHERE id(a) = a_id\n"
                f"MATCH (b:{rel.end}) WHERE id(b) = b_id\n")
    return f"MATCH (a:{rel.start} {{key: row.start}})\nMATCH (b:{rel.end} {{key: row.end}})\n"


@cache
def rel_statement(rel_type: str, *, by_id: bool = False) -> str:
    """The batched MERGE of ``rel_type`` relationships; rows are ``{start, end, key, props, sources}``
    (``a`` and ``b``, node ids, in place of ``start`` and ``end`` when ``by_id``)."""
    rel = graph_schema().relationships[graph_schema().rel_type(rel_type)]
    # A relationship stores no key of its own (it would be an empty string on most and a copy of
    # ``paper`` on the rest, a sizeable share of a big graph); it is merged on its paper or its ends.
    identity = f" {{paper: {_interned('row.key', by_id)}}}" if rel.by_paper else ""
    return (f"UNWIND $rows AS row\n{_ends(rel, by_id)}"
            f"MERGE (a)-[r:{rel_type}{identity}]->(b)\nSET r += row.props"
            + _union_sets("r", ["sources"], interned=by_id))


@cache
def create_statement(rel_type: str, *, by_id: bool = False) -> str:
    """The batched CREATE of ``rel_type`` relationships that cannot exist yet (see ``load``); rows
    as for ``rel_statement``.

    The model's properties are written in the CREATE itself (one a row does not have is null, and
    so not set): a ``SET r += row.props`` after it cost the store a tenth more per relationship.
    """
    rel = graph_schema().relationships[graph_schema().rel_type(rel_type)]
    identity = {"paper": _interned("row.key", by_id)} if rel.by_paper else {}  # as ``rel_statement`` merges on it
    values = {**identity, "sources": _interned("row.sources", by_id),
              **{name: f"row.props.{name}" for name in rel.properties if name not in identity}}
    if by_id and "forms" in values:  # a name is written the same way in many papers
        values["forms"] = "[x IN row.props.forms | intern(x)]"
    fields = ", ".join(f"{p}: {value}" for p, value in values.items())
    return f"UNWIND $rows AS row\n{_ends(rel, by_id)}CREATE (a)-[r:{rel_type} {{{fields}}}]->(b)"


def paper_of(rel_type: str) -> Callable[[RelId], str] | None:
    """Where the paper is in the identity ``(start, end, key)`` of a ``rel_type`` relationship: a
    relationship to or from a paper, or one keyed by the paper that states it (CO_AUTHOR,
    BUILDS_ON); None for one that names no paper (PROFILE_OF)."""
    rel = graph_schema().relationships[rel_type]
    if rel.start == "Paper":
        return itemgetter(0)
    if rel.end == "Paper":
        return itemgetter(1)
    return itemgetter(2) if rel.by_paper else None


@cache
def count_statement(name: str) -> str:
    """Count the nodes of a label or the relationships of a type."""
    schema = graph_schema()
    if name in schema.nodes:
        return f"MATCH (n:{name}) RETURN count(n) AS count"
    return f"MATCH ()-[r:{schema.rel_type(name)}]->() RETURN count(r) AS count"


LISTING_PATHS_STATEMENT = "MATCH (l:Listing)\nRETURN l.key AS key, l.path AS path"
ANY_PAPER_STATEMENT = "MATCH (p:Paper)\nRETURN p.key AS key\nLIMIT 1"

KNOWN_NAMES_STATEMENT = {label: f"MATCH (n:{label}) RETURN n.key AS key, n.names AS names"
                         for label in ("Method", "Dataset")}


@cache
def held_statement(label: str) -> str:
    """Which of the keys in ``$keys`` the store has ``label`` nodes for."""
    return f"UNWIND $keys AS k\nMATCH (n:{graph_schema().label(label)} {{key: k}})\nRETURN n.key AS key"


@cache
def id_statement(label: str) -> str:
    """The internal ids of the ``label`` nodes with the keys in ``$keys`` (for ``_ends``)."""
    return held_statement(label) + ", id(n) AS id"


@cache
def held_papers_statement() -> str:
    """The fields of the papers with the keys in ``$keys`` that two listings' values are folded in."""
    fields = [f for f in PAPER_FIELDS if f in graph_schema().nodes["Paper"].properties]
    return "UNWIND $keys AS k\nMATCH (p:Paper {key: k})\nRETURN " + ", ".join(
        ["p.key AS key", *(f"p.{f} AS {f}" for f in fields)])


# A graph written by a kg that kept ``sources`` as a list: the relationships, then the Listing and
# Paper nodes rewritten, a batch at a time, each statement taking only what is still a list (so a
# rewrite cut short is finished by the next), the papers last (so the check below sees a list until
# everything is done). FalkorDB and Neo4j name a value's type with different functions.
SOURCES_WRITTEN_AS_LISTS = "MATCH (p:Paper)\nRETURN p.sources AS sources\nLIMIT 1"
_IS_A_LIST = {"falkordb": "typeOf({var}.sources) = $kind", "neo4j": "valueType({var}.sources) STARTS WITH $kind"}
LIST_TYPE_NAME = {"falkordb": "List", "neo4j": "LIST"}


@cache
def sources_upgrade_statements(dialect: Dialect) -> tuple[str, ...]:
    """The statements that rewrite, ``$batch`` at a time, the sources a kg before kept as lists; each
    returns how many it rewrote."""
    def joined(var: str) -> str:
        return f"reduce(s = null, x IN {var}.sources | CASE WHEN s IS NULL THEN x ELSE s + {SEPARATOR} + x END)"

    def rewrite(match: str, var: str) -> str:
        return (f"{match}\nWHERE {_IS_A_LIST[dialect].format(var=var)}\nWITH {var} LIMIT $batch\n"
                f"SET {var}.sources = {_interned(joined(var), dialect == 'falkordb')}\n"
                f"RETURN count({var}) AS rewritten")

    return (rewrite("MATCH ()-[r]->()", "r"), rewrite("MATCH (n:Listing)", "n"), rewrite("MATCH (n:Paper)", "n"))
