"""The ``kg`` command line: thin commands that parse options and call library functions.

Every ``KGError`` is caught once, in ``main``, printed as ``Error: ...`` and turned into exit
status 1; progress and summaries go to standard error so standard output stays clean for data.
"""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import IO, TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from kg.errors import InputError, KGError
from kg.pipeline import DEFAULT_BATCH_PAPERS

if TYPE_CHECKING:
    from kg.build import GraphData
    from kg.reading import Parallel
    from kg.records import ParsedListing
    from kg.store import Store
    from kg.thesaurus import Thesaurus

app = typer.Typer(
    name="kg",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode="markdown",
    context_settings={"help_option_names": ["-h", "--help"]},
    add_completion=False,
)
# Soft wrap: a "file:line: reason" message must stay on one line for grep and editors.
err = Console(stderr=True, soft_wrap=True)
SHOWN_LISTINGS = 5  # replaced listings named in kg build's summary


def _print_version(value: bool) -> None:
    # eager: runs before Typer asks for a command, which "kg --version" does not give
    if value:
        from kg import __version__

        typer.echo(f"kg {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[bool, typer.Option(
        "--version", help="Print the version and exit.", callback=_print_version, is_eager=True)] = False,
) -> None:
    """Turn plain-text copies of research-paper listings into a knowledge graph.

    Typical use: `kg build LISTINGS...` extracts and loads them into the embedded graph store
    (`./kg-data`, nothing to install), then `kg stats`; `kg extract LISTINGS... --out records.jsonl`
    writes the typed JSON records without a store. Every command has its own `--help`.
    """


@contextmanager
def _open_out(path: str) -> Iterator[IO[str]]:
    if path == "-":
        yield sys.stdout
        return
    try:
        with open(path, "w", encoding="utf-8") as fh:
            yield fh
    except OSError as e:
        raise InputError(f"{path}: cannot write: {e.strerror or e}") from e


def _progress() -> Progress:
    return Progress(TextColumn("[progress.description]{task.description}"), BarColumn(),
                    MofNCompleteColumn(), TimeElapsedColumn(), console=err, transient=True)


@app.command()
def extract(
    files: Annotated[list[str], typer.Argument(
        help="Listing files or folders (walked for *.txt); '-' reads standard input.",
        show_default=False)],
    out: Annotated[str, typer.Option("--out", "-o", help="Where the JSON lines go; '-' is standard output.")] = "-",
    rejects: Annotated[Path | None, typer.Option(
        help="Also write every rejected block (file, line, reason, text) as JSON lines here.")] = None,
    strict: Annotated[bool, typer.Option(help="Exit with status 1 if any block was rejected.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print no problems, only the summary.")] = False,
    parse_only: Annotated[bool, typer.Option(
        "--parse-only", help="Only parse: leave methods and datasets empty (no spaCy).")] = False,
    explain: Annotated[bool, typer.Option(
        help="Print, for every paper, each method and dataset found with its rule and sentence.")] = False,
    datasets: Annotated[list[Path] | None, typer.Option(
        "--datasets", help="Extra dataset gazetteer (one name per line, variants after ' | '); repeatable.")] = None,
    methods: Annotated[list[Path] | None, typer.Option(
        "--methods", help="Extra method gazetteer, same format; repeatable.")] = None,
    jobs: JobsOption = None,
    shard: Annotated[str | None, typer.Option(
        help="Only this shard of the files, I/N (by a hash of the file name), to spread extraction over "
        "machines; load the shards' records afterwards.", show_default=False)] = None,
) -> None:
    """Parse listings into JSON lines and extract each paper's methods, datasets and lineage.

    One "listing" record per profile page, one "paper" record per paper. The layout of each file
    (author profile page, compact profile page, daily-papers page) is detected from its content.
    Papers that cannot be read are reported with file, line and reason, and counted in the closing
    summary; nothing is dropped silently.

    Each paper's `methods` get a role (proposed, builds_on, compared_with, mentioned) and its
    `datasets` one of introduced, evaluated_on; `--explain` shows the rule and sentence behind each.

    Example: `kg extract listings/ --out records.jsonl --rejects rejected.jsonl`
    """
    from kg.parse import iter_listing_paths, parse_shard, shard_of
    from kg.reading import extract_files

    paths = list(iter_listing_paths(files))
    if not paths:
        raise InputError("no listing files found in " + ", ".join(files))
    if shard is not None:
        i, n = parse_shard(shard)
        paths = [p for p in paths if shard_of(p, n) == i]
    parallel = None if parse_only or explain else _parallel(jobs, paths, datasets, methods)
    annotate = None if parse_only or parallel else _annotator(datasets or [], methods or [], explain)
    reject_fh = open(rejects, "w", encoding="utf-8") if rejects else None  # noqa: SIM115
    try:
        with _open_out(out) as out_fh, _progress() as progress:
            task = progress.add_task("reading listings", total=len(paths))
            summary = extract_files(
                paths, out_fh, rejects=reject_fh, annotate=annotate, parallel=parallel,
                on_problem=None if quiet else (lambda p: progress.console.print(f"[yellow]{p}[/]")),
                on_file=lambda _file: progress.advance(task),
            )
    finally:
        if reject_fh:
            reject_fh.close()
    _print_summary(summary.to_json())
    if strict and summary.blocks_rejected:
        raise KGError(f"--strict: {summary.blocks_rejected} block(s) rejected")


def _parallel(jobs: int | None, paths: list[str | Path], datasets: list[Path] | None,
              methods: list[Path] | None) -> Parallel | None:
    import os

    from kg.reading import SPLIT_BYTES, Parallel

    # a worker pays about a second to load spaCy: only worth it for more than a few files, or for
    # files long enough that a share of their papers takes longer than that
    if jobs is None:
        many = len(paths) >= 8 or sum(os.stat(p).st_size for p in paths if os.path.isfile(p)) >= SPLIT_BYTES
        jobs = (os.cpu_count() or 1) if many else 1
    return Parallel(jobs, tuple(datasets or ()), tuple(methods or ())) if jobs > 1 else None


def _annotator(datasets: list[Path], methods: list[Path], explain: bool) -> Callable[[ParsedListing], None]:
    from kg.extract.annotate import Extractor

    extractor = Extractor(datasets, methods, evidence=explain)
    if not explain:
        return extractor.annotate_listing

    def annotate_and_explain(parsed: ParsedListing) -> None:
        for e in extractor.explain(parsed.papers):
            src = e.paper.source
            err.print(f"[bold]{src.file}:{src.line}[/] {e.paper.title}", highlight=False)
            for item in e.items:
                aliases = f" (= {', '.join(item.aliases)})" if item.aliases else ""
                err.print(f"  {item.kind} [cyan]{item.role}[/] [bold]{item.text}[/]{aliases}  "
                          f"[dim]rule {item.rule}: {item.sentence}[/]", highlight=False)

    return annotate_and_explain


def _print_summary(s: dict[str, object]) -> None:
    table = Table(title="kg extract", show_header=False, box=None, title_justify="left")
    table.add_row("files", f"{s['files']} ({s['files_unreadable']} unreadable)")
    table.add_row("papers read", str(s["papers_read"]))
    table.add_row("papers written", str(s["papers_written"]))
    table.add_row("blocks rejected", str(s["blocks_rejected"]))
    table.add_row("warnings", str(s["warnings"]))
    reasons = s["rejected_by_reason"]
    assert isinstance(reasons, dict)
    for reason, n in sorted(reasons.items(), key=lambda kv: -kv[1]):
        table.add_row(f"  rejected: {n}", reason)
    err.print(table)


@app.command()
def authors(
    records: Annotated[str, typer.Argument(help="A records file written by `kg extract` ('-' for standard input).")],
    ambiguous: Annotated[bool, typer.Option(
        help="List only the names kg could not settle (several people, or unsure), and why.")] = False,
    name: Annotated[str | None, typer.Option(
        "--name", help="Show every piece of evidence that joined the people of this name, with its weight.",
        show_default=False)] = None,
    organizations: Annotated[list[Path] | None, typer.Option(
        "--organizations", help="Extra table of affiliation slugs and names (slug, tab, name).")] = None,
    thesaurus: ThesaurusOption = None,
) -> None:
    """Show the people behind the author names, and the evidence that joined or split them.

    Papers of one name are one person where the evidence between them weighs 3 or more: the same
    paper, profile page, co-author or affiliation weigh that alone; a co-author of a co-author (2),
    the same profile listing (1.5), two title words (1) and close years (0.5) count only together.
    A common name is never joined on the name alone; a rare one is, with a lower confidence.

    Example: `kg authors records.jsonl --name "Wei Zhang"`
    """
    from kg.gc_pause import collector_paused
    from kg.reading import read_records
    from kg.records import Records
    from kg.resolve import resolve
    from kg.resolve.keys import name_key

    with collector_paused():
        said = _thesaurus(thesaurus, None)
        resolution = resolve(Records.from_json(read_records(records)).papers, organizations or [], said)
    _warn_unmatched(said)
    if name is not None:
        people = sorted((p for p in resolution.people.values() if name_key(p.name) == name_key(name)),
                        key=lambda p: (-len(p.papers), p.key))
        if not people:
            raise InputError(f"no author named {name!r} in {records}")
        for person in people:
            typer.echo(f"{person.key}  {person.name}  {len(person.papers)} paper(s)  "
                       f"confidence {person.confidence:.2f}")
            for m in person.merges:
                typer.echo(f"  joined by {m.reason} ({_weight(m.weight)}): {m.detail}")
        return
    if ambiguous:
        if not resolution.ambiguous:
            err.print("No ambiguous names.")
        for a in resolution.ambiguous:
            typer.echo(f"{a.name}: {len(a.people)} people. {a.reason}.")
            for person in a.people:
                titles = "; ".join(resolution.papers[p].title[:60] for p in person.papers[:3])
                typer.echo(f"  {person.key}  {len(person.papers)} paper(s)  confidence {person.confidence:.2f}  "
                           f"{titles}")
        return
    from kg.resolve.people import JOIN_AT

    table = Table("person", "name", "papers", "confidence", f"evidence (weight, {JOIN_AT:g} joins; times)", box=None)
    for person in sorted(resolution.people.values(), key=lambda p: (-len(p.papers), p.key)):
        reasons = Counter((m.reason, m.weight) for m in person.merges)
        evidence = "; ".join((f"{reason} {weight:g}" if weight is not None else f"{reason} (name)")
                             + (f" x{n}" if n > 1 else "")
                             for (reason, weight), n in reasons.most_common())
        table.add_row(person.key, person.name, str(len(person.papers)), f"{person.confidence:.2f}", evidence)
    Console(soft_wrap=True).print(table)


def _weight(weight: float | None) -> str:
    from kg.resolve.people import JOIN_AT

    return f"weight {weight:g}, {JOIN_AT:g} joins" if weight is not None else "the name alone, not a common one"


# -- the graph ----------------------------------------------------------------------------------

JobsOption = Annotated[int | None, typer.Option(
    "--jobs", "-j", help="Extraction processes [default: one per core for 8 files or more, or 1 MB of them; else 1].",
    show_default=False, min=1)]
StoreOption = Annotated[str, typer.Option(
    "--store", help="`embedded` (FalkorDB, run by kg in --data-dir; nothing to install) or `neo4j`.")]
DataDirOption = Annotated[Path | None, typer.Option(
    "--data-dir", help="The embedded store's directory [default: $KG_DATA_DIR or ./kg-data].", show_default=False)]
UriOption = Annotated[str | None, typer.Option(
    "--uri", help="Neo4j address [default: $NEO4J_URI]; the user and password come from $NEO4J_USERNAME and "
    "$NEO4J_PASSWORD.", show_default=False)]
DatabaseOption = Annotated[str | None, typer.Option(
    "--database", help="Neo4j database [default: $NEO4J_DATABASE, else the server's default].", show_default=False)]
InPlaceOption = Annotated[bool, typer.Option(
    "--in-place", help="Embedded store: write straight into the live graph, not into a copy swapped in at the end. "
    "Saves making the copy (minutes and over 5x the graph's memory at a million papers; done anyway when it "
    "would not fit in memory), but queries meanwhile can see the graph half done.")]


ThesaurusOption = Annotated[Path | None, typer.Option(
    help="Your merges and splits of authors, a line each: 'same: KEY | KEY' or 'different: NAME @ TITLE | "
    "NAME @ TITLE' (README, 'Who is who'). kg build also reads DATA_DIR/thesaurus.txt when there, so "
    "a thesaurus kept there holds across rebuilds.", show_default=False)]


def _thesaurus(path: Path | None, data_dir: Path | None) -> Thesaurus | None:
    """The thesaurus given, else the one kept in the data directory, else none."""
    from kg.store import data_dir_of
    from kg.thesaurus import read_thesaurus

    if path is None:
        kept = data_dir_of(data_dir) / "thesaurus.txt"
        path = kept if kept.is_file() else None
    return read_thesaurus(path) if path is not None else None


def _warn_unmatched(thesaurus: Thesaurus | None) -> None:
    for where in thesaurus.unmatched() if thesaurus is not None else []:
        err.print(f"[yellow]{where}: warning: one side names no paper of that name here "
                  "(a key or title mistyped, or the paper is not in these listings)[/]")


def _open_store(store: str, data_dir: Path | None, uri: str | None, database: str | None) -> Store:
    from kg.store import open_store

    return open_store(store, data_dir=data_dir, uri=uri, database=database)


@contextmanager
def _writing(store: str, data_dir: Path | None) -> Iterator[None]:
    """One writer at a time on an embedded store (Neo4j serialises writers itself)."""
    if store != "embedded":
        yield
        return
    from kg.store import data_dir_of
    from kg.store.server import write_lock

    directory = data_dir_of(data_dir)
    with write_lock(directory, lambda: err.print(f"another kg process is writing to {directory}; waiting for it")):
        yield


@app.command()
def build(
    files: Annotated[list[str], typer.Argument(
        help="Listing files or folders (walked for *.txt).", show_default=False)],
    store: StoreOption = "embedded",
    data_dir: DataDirOption = None,
    uri: UriOption = None,
    database: DatabaseOption = None,
    rejects: Annotated[Path | None, typer.Option(
        help="Also write every rejected block (file, line, reason, text) as JSON lines here.")] = None,
    strict: Annotated[bool, typer.Option(help="Exit with status 1 if any block was rejected.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print no problems, only the summary.")] = False,
    parse_only: Annotated[bool, typer.Option(
        "--parse-only", help="Load parsed records only: no methods, datasets or lineage (no spaCy).")] = False,
    datasets: Annotated[list[Path] | None, typer.Option(
        "--datasets", help="Extra dataset gazetteer; repeatable.")] = None,
    methods: Annotated[list[Path] | None, typer.Option("--methods", help="Extra method gazetteer; repeatable.")] = None,
    organizations: Annotated[list[Path] | None, typer.Option(
        "--organizations", help="Extra table of affiliation slugs and names (slug, tab, name).")] = None,
    thesaurus: ThesaurusOption = None,
    batch_size: Annotated[int, typer.Option(help="Rows per write statement.", min=1)] = 2000,
    batch_papers: Annotated[int, typer.Option(
        help="Papers resolved and loaded together: memory stays flat however many listings. The graph "
             "does not depend on it: people are settled over the whole graph at the end.",
        min=1)] = DEFAULT_BATCH_PAPERS,
    jobs: JobsOption = None,
    in_place: InPlaceOption = False,
) -> None:
    """Extract, resolve and load listings into the graph.

    Loading is idempotent: building the same listings again changes nothing, and a listing that
    is already in the graph is replaced (what it said before is removed first). A new listing
    joins the authors, methods and datasets already there. Every relationship records the
    listing file and line it came from.

    Example: `kg build listings/ && kg stats`
    """
    import time

    from kg.parse import iter_listing_paths
    from kg.pipeline import build_files

    started = time.perf_counter()
    paths = list(iter_listing_paths(files))
    if not paths:
        raise InputError("no listing files found in " + ", ".join(files))
    parallel = None if parse_only else _parallel(jobs, paths, datasets, methods)
    annotate = None if parse_only or parallel else _annotator(datasets or [], methods or [], False)
    said = _thesaurus(thesaurus, data_dir)
    reject_fh = open(rejects, "w", encoding="utf-8") if rejects else None  # noqa: SIM115
    try:
        with _writing(store, data_dir), _open_store(store, data_dir, uri, database) as db, _progress() as progress:
            reading = progress.add_task("reading listings", total=len(paths))
            writing = progress.add_task("writing the graph", total=None, visible=False)

            def on_batch(_name: str, rows: int) -> None:
                progress.update(writing, visible=True)
                progress.advance(writing, rows)

            with db.staged(in_place=in_place):
                result = build_files(
                    paths, db, annotate=annotate, parallel=parallel, organizations=organizations or [],
                    thesaurus=said,
                    batch_size=batch_size, batch_papers=batch_papers, rejects=reject_fh,
                    on_problem=None if quiet else (lambda p: progress.console.print(f"[yellow]{p}[/]")),
                    on_file=lambda _file: progress.advance(reading), on_batch=on_batch)
            from kg.load import graph_counts

            counts = graph_counts(db)
    finally:
        if reject_fh:
            reject_fh.close()
    summary = result.summary.to_json()
    _print_summary(summary)
    _warn_unmatched(said)
    seconds = time.perf_counter() - started
    table = Table(title="kg build", show_header=False, box=None, title_justify="left")
    if result.replaced:
        shown = ", ".join(result.replaced[:SHOWN_LISTINGS]) + (", ..." if len(result.replaced) > SHOWN_LISTINGS else "")
        table.add_row("listings replaced", f"{len(result.replaced)} (were already in the graph: {shown})")
    for path, name in sorted(result.renamed.items()):
        table.add_row("listing named", f"{path} is {name}: another listing file in the graph has its name")
    table.add_row("rows written", f"{sum(result.rows.values())} in {result.statements} statements")
    table.add_row("graph now", f"{sum(counts['nodes'].values())} nodes, {sum(counts['relationships'].values())} "
                  "relationships (kg stats for details)")
    table.add_row("time", f"{seconds:.1f} s ({summary['papers_read'] / seconds:.0f} papers/s)")
    err.print(table)
    if strict and result.summary.blocks_rejected:
        raise KGError(f"--strict: {result.summary.blocks_rejected} block(s) rejected")


@app.command()
def stats(
    store: StoreOption = "embedded",
    data_dir: DataDirOption = None,
    uri: UriOption = None,
    database: DatabaseOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")] = False,
) -> None:
    """Count the graph's nodes per label and relationships per type.

    Example: `kg stats --json`
    """
    import json

    from kg.load import graph_counts

    with _open_store(store, data_dir, uri, database) as db:
        counts = graph_counts(db)
    if as_json:
        typer.echo(json.dumps(counts, indent=2))
        return
    table = Table("", "count", box=None)
    for kind, title in (("nodes", "nodes"), ("relationships", "relationships")):
        table.add_row(f"[bold]{title}[/]", f"[bold]{sum(counts[kind].values())}[/]")
        for name, n in counts[kind].items():
            table.add_row(f"  {name}", str(n))
    Console(soft_wrap=True).print(table)


@app.command()
def listings(
    fmt: FormatOption = "table",
    store: StoreOption = "embedded",
    data_dir: DataDirOption = None,
    uri: UriOption = None,
    database: DatabaseOption = None,
) -> None:
    """List the listings in the graph: name (what `kg remove` takes), layout, owner, page date,
    papers, and the file it was read from.

    The same as `kg query listings`. Example: `kg listings --format csv`
    """
    query("listings", None, fmt, store, data_dir, uri, database)


@app.command()
def remove(
    listings: Annotated[list[str], typer.Argument(
        help="Listing files (or their file names) to take out of the graph.", show_default=False)],
    store: StoreOption = "embedded",
    data_dir: DataDirOption = None,
    uri: UriOption = None,
    database: DatabaseOption = None,
    in_place: InPlaceOption = False,
) -> None:
    """Delete what only these listings contributed to the graph.

    Papers, authors, methods and relationships that another listing also states stay (they only
    lose this listing from their sources); the rest goes.

    Example: `kg remove listings/002.txt`
    """
    from kg.load import graph_counts, held_keys, listing_paths, remove_listings
    from kg.parse import listing_names

    with _writing(store, data_dir), _open_store(store, data_dir, uri, database) as db:
        held = listing_paths(db)
        # a name as kg listings shows it, else the name a build of that file gives it
        names = [listing if listing in held else listing_names([listing], held).get(listing, listing)
                 for listing in listings]
        missing = sorted(set(names) - held_keys(db, "Listing", names))
        if missing:
            raise InputError("not in the graph: " + ", ".join(missing) + " (kg listings shows what is loaded)")
        before = graph_counts(db)
        with db.staged(in_place=in_place):
            remove_listings(db, names, thesaurus=_thesaurus(None, data_dir))
        after = graph_counts(db)
    gone = {k: before[kind][k] - after[kind][k] for kind in before for k in before[kind]
            if before[kind][k] != after[kind][k]}
    err.print(f"removed {len(names)} listing(s): " + (", ".join(f"{n} {k}" for k, n in gone.items()) or "nothing"))


@app.command()
def schema(
    cypher: Annotated[str | None, typer.Option(
        help="Print the constraint and index statements for `neo4j` or `falkordb`.")] = None,
    markdown: Annotated[bool, typer.Option(help="Print the schema document (schemas/graph.md).")] = False,
) -> None:
    """Show the graph model: labels, relationship types and their properties.

    Generated from schemas/graph.json. Example: `kg schema --cypher neo4j | cypher-shell`
    """
    from kg.schema import graph_schema, schema_markdown, schema_statements

    if cypher is not None:
        if cypher not in ("neo4j", "falkordb"):
            raise InputError(f"--cypher takes neo4j or falkordb, not {cypher!r}")
        typer.echo(";\n".join(schema_statements(cypher)) + ";")  # type: ignore[arg-type]
        return
    if markdown:
        typer.echo(schema_markdown(), nl=False)
        return
    model = graph_schema()
    table = Table("label / type", "properties", "description", box=None)
    for n in model.nodes.values():
        table.add_row(f"(:{n.label})", ", ".join(n.properties), n.description)
    for r in model.relationships.values():
        table.add_row(f"(:{r.start})-[:{r.type}]->(:{r.end})", ", ".join(r.properties) or "-", r.description)
    Console(soft_wrap=True).print(table)


# -- queries --------------------------------------------------------------------------------------

ParamOption = Annotated[list[str] | None, typer.Option(
    "--param", "-p", help="A parameter as name=value; repeatable.", show_default=False)]
FormatOption = Annotated[str, typer.Option("--format", "-f", help="table, json or csv.")]


def _params(pairs: list[str] | None) -> dict[str, str]:
    out = {}
    for pair in pairs or []:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise InputError(f"--param takes name=value, not {pair!r}")
        out[name.strip()] = value
    return out


def _plain(value: Any) -> Any:
    """A value a query returned as JSON-ready data: a FalkorDB node, relationship or path as a
    dict of its labels or type and properties."""
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if hasattr(value, "relation") and hasattr(value, "properties"):  # FalkorDB edge
        return {"type": value.relation, "properties": _plain(value.properties)}
    if hasattr(value, "labels") and hasattr(value, "properties"):  # FalkorDB node
        return {"labels": list(value.labels), "properties": _plain(value.properties)}
    if callable(getattr(value, "nodes", None)) and callable(getattr(value, "edges", None)):  # FalkorDB path
        return {"nodes": _plain(value.nodes()), "relationships": _plain(value.edges())}
    return value  # the neo4j store's rows are plain already (Record.data())


def _print_rows(rows: list[dict[str, object]], columns: list[str], fmt: str) -> None:
    import csv
    import json

    rows = [{k: _plain(v) for k, v in row.items()} for row in rows]
    if fmt == "json":
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2, default=str))
    elif fmt == "csv":
        writer = csv.writer(sys.stdout)
        writer.writerow(columns)
        for row in rows:
            writer.writerow(["; ".join(map(str, v)) if isinstance(v, list) else v for v in row.values()])
    elif fmt == "table":
        table = Table(*columns, box=None)
        for row in rows:
            table.add_row(*("; ".join(map(str, v)) if isinstance(v, list) else "" if v is None else str(v)
                            for v in row.values()))
        Console(soft_wrap=True).print(table)
        err.print(f"{len(rows)} row(s)")
    else:
        raise InputError(f"--format takes table, json or csv, not {fmt!r}")


@app.command()
def queries() -> None:
    """List the canned queries, with their parameters and what they answer.

    Each is a file in queries/ that you can also read and run in Neo4j Browser.
    Example: `kg query coauthors --param author="Li Dong"`
    """
    from kg.query.catalogue import canned_queries

    console = Console(soft_wrap=True, highlight=False)
    for q in canned_queries().values():
        console.print(f"[bold]{q.name}[/]  {q.description}\n    kg query {q.name} {q.usage()}".rstrip())


@app.command()
def query(
    name: Annotated[str, typer.Argument(help="A query from `kg queries`.", show_default=False)],
    param: ParamOption = None,
    fmt: FormatOption = "table",
    store: StoreOption = "embedded",
    data_dir: DataDirOption = None,
    uri: UriOption = None,
    database: DatabaseOption = None,
) -> None:
    """Run a canned query.

    Names are taken the way you type them: any case, acronym or long form ("retnet",
    "Foo Network"), and a key wherever a name is. An author's name that several people share is
    answered for each of them, most published first, with columns AUTHOR_person (the key, to
    ask about one) and AUTHOR_label (papers, years, main co-author); a method name that fits
    several methods lists them with their keys.

    Example: `kg query builds_on --param method=NAME --format json`
    """
    from kg.query.catalogue import get_query, run_query

    columns = list(get_query(name).columns)
    with _open_store(store, data_dir, uri, database) as db:
        rows = run_query(db, name, _params(param), notice=lambda m: err.print(f"[yellow]Note:[/] {m}"))
    # the rows' own columns: kg adds labels of people (and drops the keys of lists of people)
    _print_rows(rows, list(rows[0]) if rows else columns, fmt)


@app.command()
def cypher(
    text: Annotated[str, typer.Argument(help="The Cypher statement; values as $parameters.", show_default=False)],
    param: ParamOption = None,
    write: Annotated[bool, typer.Option(help="Allow the statement to change the graph.")] = False,
    fmt: FormatOption = "table",
    store: StoreOption = "embedded",
    data_dir: DataDirOption = None,
    uri: UriOption = None,
    database: DatabaseOption = None,
) -> None:
    """Run ad-hoc Cypher, read-only unless --write is given.

    Parameters are strings (`--param name=Li` is `$name`). Example:
    `kg cypher "MATCH (m:Method)<-[:PROPOSES]-(p) RETURN m.name AS method, count(p) AS n ORDER BY n DESC LIMIT 5"`

    The embedded store keeps abstracts deflated: the rows give their text, but a string test on
    `p.abstract` inside the statement (CONTAINS, toLower...) sees the packed form.
    """
    with (_writing(store, data_dir) if write else nullcontext()), _open_store(store, data_dir, uri, database) as db:
        if db.packs_abstracts and _tests_abstract_text(text):
            err.print("note: the embedded store keeps abstracts deflated, so inside Cypher a string test or "
                      "function on `abstract` sees the packed form, not the text; the rows kg prints give the "
                      "text. To search abstracts, read them out (`kg export --format json`, or "
                      "kg.use.read.read_graph) and test them there.")
        rows = db.run(text, _params(param), write=write)
    _print_rows(rows, list(rows[0]) if rows else [], fmt)


def _tests_abstract_text(statement: str) -> bool:
    """Whether ``statement`` tests or transforms an abstract as a string inside the store."""
    import re

    functions = r"(?:toLower|toUpper|lower|upper|substring|left|right|split|replace|trim|lTrim|rTrim|size|reverse)"
    return re.search(r"\.abstract\b\s*(?:CONTAINS|STARTS\s+WITH|ENDS\s+WITH|=~|[<>])|\b" + functions
                     + r"\s*\(\s*\w+\.abstract\b", statement, re.IGNORECASE) is not None


# -- use the graph -------------------------------------------------------------------------------

RecordsOption = Annotated[list[Path] | None, typer.Option(
    "--records", help="Work from `kg extract` records instead of a store; repeat it for the records of "
    "several shards (kg extract --shard), which give the graph of one run over all the files.",
    show_default=False)]


def _graph(records: list[Path] | None, store: str, data_dir: Path | None, uri: str | None,
           database: str | None) -> GraphData:
    if records:
        from kg.reading import read_records
        from kg.use.read import graph_of_records

        return graph_of_records(record for path in records for record in read_records(path))
    from kg.use.read import read_graph

    with _open_store(store, data_dir, uri, database) as db:
        return read_graph(db)


@app.command()
def export(
    path: Annotated[Path, typer.Argument(help="The file (a folder for csv and neo4j-import) to write.",
                                         show_default=False)],
    fmt: Annotated[str, typer.Option("--format", "-f", help="graphml, gexf, json, csv, neo4j-import, turtle or "
                                     "jsonld.")] = "graphml",
    validate: Annotated[bool, typer.Option(help="With turtle or jsonld: check the RDF against the SHACL shapes "
                                           "in schemas/shapes.ttl and report what fails.")] = False,
    records: RecordsOption = None,
    store: StoreOption = "embedded",
    data_dir: DataDirOption = None,
    uri: UriOption = None,
    database: DatabaseOption = None,
) -> None:
    """Export the graph for other tools: Gephi (graphml, gexf), scripts (json, csv), Neo4j's bulk
    importer (neo4j-import, with the command to run), RDF (turtle, jsonld).

    RDF uses schema.org, DCTERMS, FOAF and PROV, plus the small kg ontology in schemas/kg.ttl.
    Example: `kg export --format turtle graph.ttl --validate`
    """
    from kg.use.export import export as write

    graph = _graph(records, store, data_dir, uri, database)
    err.print(write(graph, fmt, path), highlight=False)
    if validate:
        if fmt not in ("turtle", "jsonld"):
            raise InputError("--validate checks RDF: use it with --format turtle or jsonld")
        from kg.use.rdf import to_rdf
        from kg.use.rdf import validate as shacl

        violations = shacl(to_rdf(graph))
        if violations:
            for v in violations[:50]:
                err.print(f"[red]SHACL[/] {v}", highlight=False)
            raise KGError(f"{len(violations)} SHACL violation(s) in {path}")
        err.print("SHACL: the RDF conforms to schemas/shapes.ttl")


@app.command()
def analyze(
    top: Annotated[int, typer.Option(help="Rows per table.", min=1)] = 15,
    plot: Annotated[Path | None, typer.Option(help="Also write PNG pictures to this folder.")] = None,
    method: Annotated[str | None, typer.Option(help="The method whose lineage tree --plot draws "
                                               "[default: the most built-upon].")] = None,
    records: RecordsOption = None,
    store: StoreOption = "embedded",
    data_dir: DataDirOption = None,
    uri: UriOption = None,
    database: DatabaseOption = None,
) -> None:
    """Analyse the graph with networkx: co-author centrality (degree, betweenness), Louvain
    communities, and the method lineage DAG (roots, longest chains, most built-upon methods).

    Example: `kg analyze --plot pictures/`
    """
    from kg.use import analysis
    from kg.use.read import to_networkx

    G = to_networkx(_graph(records, store, data_dir, uri, database))
    console = Console(soft_wrap=True, highlight=False)
    table = Table("author", "co-authors", "betweenness", title="Most central co-authors", title_justify="left",
                  box=None)
    for row in analysis.centrality(G, top):
        table.add_row(row["author"], str(row["coauthors"]), f"{row['betweenness']:.4f}")
    console.print(table)
    table = Table("community", "size", "members", title="Co-author communities (Louvain)", title_justify="left",
                  box=None)
    for row in analysis.communities(G, top):
        table.add_row(str(row["community"]), str(row["size"]), ", ".join(row["members"][:8]))
    console.print(table)
    lin = analysis.lineage(G, top)
    console.print(f"[bold]Method lineage[/]: {lin.methods} methods, {lin.steps} builds-on steps, "
                  f"{len(lin.roots)} roots, {lin.cycles} cycles")
    for chain in lin.longest_chains[:5]:
        console.print("  " + " -> ".join(chain))
    console.print("  most built upon: " + ", ".join(f"{n} ({k})" for n, k in lin.most_built_upon))
    if plot is not None:
        from kg.use.plots import write_plots

        for written in write_plots(G, plot, method=method, top=top):
            err.print(f"wrote {written}")


@app.command()
def view(
    out: Annotated[Path, typer.Option("--out", "-o", help="The HTML file to write.")] = Path("graph.html"),
    query: Annotated[str | None, typer.Option(help="Show only what this canned query's answer names.")] = None,
    param: ParamOption = None,
    limit: Annotated[int, typer.Option(help="Without --query, the best-connected nodes shown.", min=1)] = 1500,
    records: RecordsOption = None,
    store: StoreOption = "embedded",
    data_dir: DataDirOption = None,
    uri: UriOption = None,
    database: DatabaseOption = None,
) -> None:
    """Write an interactive page of the graph that works offline: nodes coloured by label, search,
    click for properties, a co-author layout and a lineage layout.

    Example: `kg view --query built_upon_by --param method=NAME --out lineage.html`
    """
    from kg.use.view import render, subgraph

    rows = None
    if query is not None:
        from kg.query.catalogue import run_query

        with _open_store(store, data_dir, uri, database) as db:
            rows = run_query(db, query, _params(param))
    graph = subgraph(_graph(records, store, data_dir, uri, database), rows, limit)
    note = f"kg query {query}" if query else ""
    out.write_text(render(graph, note), encoding="utf-8")
    err.print(f"wrote {out}: {sum(map(len, graph.nodes.values()))} nodes, "
              f"{sum(map(len, graph.rels.values()))} relationships")


@app.command()
def bench(
    papers: Annotated[int, typer.Option(help="Papers in the synthetic corpus.", min=100)] = 10000,
    work: Annotated[Path, typer.Option(help="Where the corpus, the stores and the results go.")] = Path("kg-bench"),
    corpus_script: Annotated[Path, typer.Option(help="The corpus generator.")] = Path(
        "../shared/bench/make_corpus.py"),
    dev: Annotated[Path, typer.Option(help="Listings for the cold-start baseline.")] = Path("../shared/listings/dev"),
    repeat: Annotated[int, typer.Option(help="Runs of each canned query.", min=5)] = 50,
    real: Annotated[Path, typer.Option(help="A folder of real listings to run the stages on as well.")] = Path(
        "../shared/corpus/hf-daily"),
    no_real: Annotated[bool, typer.Option("--no-real", help="Leave out the real-corpus run.")] = False,
    show: Annotated[Path | None, typer.Option(
        help="Print the table of a run saved before (WORK/bench-PAPERS.json) and run nothing.")] = None,
) -> None:
    """Benchmark every stage on a synthetic corpus and on real listings, each figure beside a
    baseline from the same run.

    Prints papers/s for parse, extract, resolve, load and end to end; the time to add a new
    40-paper listing to the graph just built while the store is running (staged and --in-place);
    p50/p95 of every canned query; peak memory of kg and of the store server; the store's size.
    Baselines: bare spaCy tokenisation, loading one statement per row, a cold `kg build` of the
    dev listings. Then the same stages on --real (9,603 real daily-papers listings by default),
    whose abstracts are longer and richer in names than the synthetic ones. The figures also go
    to WORK/bench-PAPERS.json, to compare runs over time; --show prints such a file's table again.

    The default paths of the corpus generator, the dev listings and the real corpus are relative
    to the folder kg runs in: run it from the kg checkout, with ../shared beside it, or pass them.

    Example: `kg bench --papers 100000`
    """
    import json
    from dataclasses import asdict, fields

    from kg.bench import Bench, format_bench, run_benchmark

    if show is not None:
        try:
            saved = json.loads(show.read_text(encoding="utf-8"))
            typer.echo(format_bench(Bench(**{f.name: saved[f.name] for f in fields(Bench) if f.name in saved})))
        except (OSError, ValueError, KeyError, TypeError) as e:
            raise InputError(f"{show}: not a saved kg bench run ({e})") from e
        return
    # before minutes of work, not after: the table would lack a baseline
    if not dev.is_dir():
        raise InputError(f"{dev}: no dev listings here for the cold-start baseline (pass --dev)")
    if not no_real and not real.is_dir():
        raise InputError(f"{real}: no real listings here (pass --real, or --no-real to leave them out)")
    work.mkdir(parents=True, exist_ok=True)
    result = run_benchmark(papers, work, corpus_script, repeat=repeat, dev=dev, real=None if no_real else real,
                           say=lambda m: err.print(f"[dim]{m}...[/]"))
    typer.echo(format_bench(result))
    out = work / f"bench-{papers}.json"
    out.write_text(json.dumps({"when": __import__("datetime").datetime.now().isoformat(timespec="seconds"),
                               **asdict(result)}, indent=2))
    err.print(f"written to {out}")


@app.command()
def train(
    shared: Annotated[Path, typer.Option(help="The folder with listings/, gold/ and eval/ (annotated data).")] = Path(
        "../shared"),
    out: Annotated[Path, typer.Option(help="Where the role model goes.")] = Path("kg/data/roles.json"),
    report: Annotated[Path | None, typer.Option(
        help="Cross-validate first and write the figures here as Markdown (slower: one model a fold and "
        "share of the data).")] = None,
    folds: Annotated[int, typer.Option(help="Folds of whole listings for the cross-validation.", min=2)] = 5,
    splits: Annotated[int, typer.Option(
        help="Ways of dealing the listings into folds, for the spread of the figures (with --report; each "
        "after the first costs one more cross-validation).", min=1)] = 3,
    corpus: Annotated[Path | None, typer.Option(
        help="Unannotated listings to read the corpus prior over (default: SHARED/corpus/hf-daily; papers "
        "annotated in SHARED/gold are left out).")] = None,
) -> None:
    """Train the role model that decides what each paper does with each name.

    Reads every annotated listing (SHARED/listings/{train,dev} with gold in SHARED/gold/), lets the
    rules and candidate finder read each paper, and fits logistic regression over the features of
    each name (context words, cues, position, shape, what the rules said): one classifier for the
    method roles, and one that also weighs how the unannotated corpus uses the name
    (kg/data/name_usage.tsv, rebuilt by `python -m kg.extract.usage`) for the datasets. Both also
    read a corpus prior: how method-like the contexts of each name are across the unannotated
    --corpus, by a small classifier of contexts learned from the same listings; it is shipped
    inside the model file. The same files give the same model. Needs scikit-learn
    (`pip install -e '.[train]'`); kg itself only reads the model. With --report it first
    cross-validates by listing (at a quarter, half and all of the training listings, and over
    --splits ways of dealing the listings into folds; each fold learns its own corpus prior),
    scores SciREX out of domain, and writes the tables.

    Example: `kg train --report docs/extraction-quality.md`
    """
    from kg.extract.training import report as format_report
    from kg.extract.training import train as run_training

    try:
        import sklearn  # noqa: F401
    except ImportError as e:
        raise KGError("kg train needs scikit-learn: pip install -e '.[train]'") from e
    run = run_training(shared, out, corpus=corpus, folds=folds, measure=report is not None, splits=splits,
                       say=lambda message: err.print(f"[dim]{message}[/]"),
                       progress=lambda share, fold, split: err.print(
                           f"[dim]  split {split + 1}: fold of {len(fold)} listings at {share:.0%} of the training "
                           "listings done[/]"))
    err.print(f"wrote {out} (trained on {run.listings} listings, {run.papers} papers)")
    if report is not None:
        text = format_report(run, f"kg train --shared {shared} --report {report}"
                                  + (f" --splits {splits}" if splits != 3 else ""))
        report.parent.mkdir(parents=True, exist_ok=True)
        report.write_text(text, encoding="utf-8")
        err.print(f"wrote {report}")
        typer.echo(text)


def main() -> None:
    """Entry point of the ``kg`` console script."""
    try:
        app()
    except KGError as e:
        err.print(f"[bold red]Error:[/] {e}", highlight=False)
        sys.exit(1)
