"""Listing files -> JSON-lines records, with the accounting that proves nothing was lost.

``extract_files`` streams: one file is parsed and extracted, its records written, and then it is
forgotten, so memory does not grow with the corpus.
"""

from __future__ import annotations

import json
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from kg.collector import collector_paused
from kg.errors import InputError
from kg.load import DEFAULT_BATCH_SIZE, KnownNames, LoadStats
from kg.parse import listing_names, parse_listing, read_listing
from kg.records import Layout, ParsedListing, Problem

if TYPE_CHECKING:
    from kg.build import GraphData
    from kg.store import Store
    from kg.thesaurus import Thesaurus


@dataclass(slots=True)
class Summary:
    """What a run read, wrote and rejected. ``papers_read == papers_written + blocks_rejected``."""

    files: int = 0
    files_unreadable: int = 0
    papers_written: int = 0
    blocks_rejected: int = 0
    warnings: int = 0
    reasons: Counter[str] = field(default_factory=Counter)
    layouts: Counter[str] = field(default_factory=Counter)

    @property
    def papers_read(self) -> int:
        return self.papers_written + self.blocks_rejected

    def add(self, read: FileRecords) -> None:
        self.files += 1
        self.layouts[read.layout or "unreadable"] += 1
        if read.layout is None:
            self.files_unreadable += 1
        self.papers_written += read.papers
        for problem in read.problems:
            if problem.severity == "rejected":
                self.blocks_rejected += 1
                self.reasons[problem.reason] += 1
            else:
                self.warnings += 1

    def to_json(self) -> dict[str, Any]:
        return {"files": self.files, "files_unreadable": self.files_unreadable,
                "papers_read": self.papers_read, "papers_written": self.papers_written,
                "blocks_rejected": self.blocks_rejected, "warnings": self.warnings,
                "rejected_by_reason": dict(self.reasons), "layouts": dict(self.layouts)}


def dumps(record: dict[str, Any]) -> str:
    """One record as one JSON line (UTF-8 kept as is, no trailing newline)."""
    return json.dumps(record, ensure_ascii=False, separators=(",", ":"))


def records_of(parsed: ParsedListing) -> Iterable[dict[str, Any]]:
    """The JSON records of one parsed file: its listing record first, then its papers."""
    if parsed.listing is not None:
        yield parsed.listing.to_json()
    for paper in parsed.papers:
        yield paper.to_json()


@dataclass(slots=True)
class FileRecords:
    """One listing file, read (and extracted) into its JSON records, with what a run's summary counts.

    Extraction workers send these back, not the ``ParsedListing``: plain dicts and lists cost the
    receiving process a fifth of what the dataclasses cost to unpickle, and are what it needs.
    """

    file: str
    layout: Layout | None
    papers: int
    problems: list[Problem]
    records: list[dict[str, Any]]


def file_records(parsed: ParsedListing) -> FileRecords:
    """``parsed`` as records (see ``records_of``)."""
    return FileRecords(parsed.file, parsed.layout, len(parsed.papers), parsed.problems, list(records_of(parsed)))


FILES_AHEAD = 4  # files a worker may have finished before they are taken
DEFAULT_BATCH_PAPERS = 20_000  # papers resolved and loaded together by kg build


@dataclass(frozen=True, slots=True)
class Parallel:
    """Extract in a pool of ``jobs`` worker processes, each with its own extractor built from these
    gazetteers. Workers send back only the parsed, annotated records, never spaCy Docs."""

    jobs: int
    datasets: tuple[Path, ...] = ()
    methods: tuple[Path, ...] = ()


_worker_extractor: Any = None


def _start_worker(datasets: tuple[Path, ...], methods: tuple[Path, ...], parent: int) -> None:
    global _worker_extractor
    import gc
    import os

    from kg.extract.annotate import Extractor
    from kg.store.keeper import die_with_parent

    # A worker waits for work as long as its pool lives; a kg killed with SIGKILL never closes the
    # pool, so the worker ends with it instead (and with the workers, the resource tracker ends).
    die_with_parent(parent)

    # The workers fill whatever the writing leaves of the cores: with a lower priority than the kg
    # process and the store, batches are written as they come instead of piling up behind
    # extraction and being written after it, on one core.
    if hasattr(os, "nice"):  # not on Windows
        os.nice(10)

    _worker_extractor = Extractor(datasets, methods)
    gc.freeze()  # spaCy's vocabulary and the gazetteers live as long as the worker: never walk them again


@collector_paused()
def _read_and_extract(path: str | Path, name: str | None) -> FileRecords:
    """One file in a worker: a file's work makes no reference cycles, and with the collector on,
    its walks over the worker's growing tables took a tenth of the worker's time."""
    parsed = read_listing(path, name)
    if parsed.papers:
        _worker_extractor.annotate_listing(parsed)
    return file_records(parsed)


def read_files(paths: Iterable[str | Path], annotate: Callable[[ParsedListing], None] | None = None,
               parallel: Parallel | None = None, names: Mapping[str, str] | None = None) -> Iterator[FileRecords]:
    """Each listing file parsed (and, with ``annotate`` or ``parallel``, extracted), in order;
    ``names``: path -> the listing's name (``kg.parse.listing_names``)."""
    names = names or {}
    if parallel is None or parallel.jobs <= 1:
        for path in paths:
            parsed = read_listing(path, names.get(str(path)))
            if annotate is not None and parsed.papers:
                annotate(parsed)
            yield file_records(parsed)
        return
    import multiprocessing
    import os
    from concurrent.futures import Future, ProcessPoolExecutor

    # fork would copy a parent that may hold threads (rich's progress bar); spawn starts clean
    with ProcessPoolExecutor(parallel.jobs, mp_context=multiprocessing.get_context("spawn"),
                             initializer=_start_worker,
                             initargs=(parallel.datasets, parallel.methods, os.getpid())) as pool:
        # a bounded window of files in flight: when the consumer (a load) is slower than the
        # workers, finished files wait here a few at a time, not the whole corpus
        window: deque[Future[FileRecords]] = deque()
        todo = iter(paths)
        for path in islice(todo, parallel.jobs * FILES_AHEAD):
            window.append(pool.submit(_read_and_extract, path, names.get(str(path))))
        while window:
            read = window.popleft().result()
            for path in islice(todo, 1):
                window.append(pool.submit(_read_and_extract, path, names.get(str(path))))
            yield read


def extract_files(
    paths: Iterable[str | Path],
    out: IO[str] | None,
    *,
    parallel: Parallel | None = None,
    on_record: Callable[[dict[str, Any]], None] | None = None,
    rejects: IO[str] | None = None,
    annotate: Callable[[ParsedListing], None] | None = None,
    on_problem: Callable[[Problem], None] | None = None,
    on_file: Callable[[FileRecords], None] | None = None,
    names: Mapping[str, str] | None = None,
) -> Summary:
    """Parse (and, with ``annotate``, extract) listing files into JSON lines on ``out``.

    Args:
        paths: listing files, already expanded (see ``kg.parse.iter_listing_paths``).
        out: where the records go, one JSON object per line (None: nowhere).
        on_record: called with every record, as a dict.
        rejects: where rejected blocks go, one JSON object per line (file, line, reason, text).
        annotate: fills each paper's methods and datasets in place (the extract stage).
        parallel: extract in worker processes instead (``annotate`` is then not used).
        on_problem: called for every problem, e.g. to print it.
        on_file: called after each file, e.g. to advance a progress bar.
        names: path -> the listing's name; by default ``kg.parse.listing_names`` of ``paths``.

    Returns:
        The run's summary.
    """
    summary = Summary()
    paths = list(paths)
    if names is None:
        names = listing_names(paths)
    for read in read_files(paths, annotate, parallel, names):
        summary.add(read)
        for record in read.records:
            if out is not None:
                out.write(dumps(record) + "\n")
            if on_record is not None:
                on_record(record)
        for problem in read.problems:
            if on_problem is not None:
                on_problem(problem)
            if rejects is not None and problem.severity == "rejected":
                rejects.write(dumps(problem.to_json()) + "\n")
        if on_file is not None:
            on_file(read)
    return summary


@dataclass(slots=True)
class BuildResult:
    """What ``build_files`` did: the extraction summary, listings replaced, rows written."""

    summary: Summary
    replaced: list[str]
    rows: dict[str, int]
    statements: int
    renamed: dict[str, str] = field(default_factory=dict)  # path -> name, for files not named by their base name


@collector_paused()
def build_files(
    paths: Sequence[str | Path],
    store: Store,
    *,
    annotate: Callable[[ParsedListing], None] | None = None,
    parallel: Parallel | None = None,
    organizations: Sequence[Path] = (),
    thesaurus: Thesaurus | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
    batch_papers: int = DEFAULT_BATCH_PAPERS,
    rejects: IO[str] | None = None,
    on_problem: Callable[[Problem], None] | None = None,
    on_file: Callable[[FileRecords], None] | None = None,
    on_batch: Callable[[str, int], None] | None = None,
) -> BuildResult:
    """Extract, resolve and load listing files into ``store``.

    A listing already in the store is replaced: what it contributed before is removed first, so
    building the same files twice gives the same graph, and a build cut short (a crash, ``kill
    -9``) is completed by running it again.

    Records flow to the store in batches of whole files, about ``batch_papers`` papers each, so
    memory does not grow with the corpus: at most three batches are held, one being read and
    extracted, one being resolved, one being written, all at the same time. Each batch
    is resolved on its own and joined to what the store already holds as a later build would be:
    papers by title, methods and datasets by any of their names. People are settled last, over
    the whole graph: every name the build touched is split into people by all its papers in the
    store (``kg.people``), so the split does not depend on how the input was cut into batches.

    The cyclic garbage collector is paused for the whole build: it would otherwise walk the
    records piling up for the next batch over and over. A build makes next to no reference
    cycles (a collection after each batch of a 100,000-paper build found 18 objects in all, and
    took 2 s of this process's time), so it runs again only when the build is over.

    Args:
        paths: listing files.
        store: an open store.
        annotate: the extract stage (``Extractor.annotate_listing``); None loads parsed records only.
        parallel: run the extract stage in worker processes instead.
        organizations: extra slug -> name tables.
        thesaurus: the user's merges and splits of authors.
        batch_size: rows per write statement.
        batch_papers: papers resolved and loaded together (at file boundaries).
        rejects, on_problem, on_file: as for ``extract_files``.
        on_batch: called after each write statement with (label or type, rows).
    """
    from concurrent.futures import Future, ThreadPoolExecutor

    from kg.entities import Touched, reconcile_entities
    from kg.load import ANY_PAPER_STATEMENT, held_keys, listing_paths, load, remove_listings, update_communities
    from kg.people import complete_co_authors, names_of, reach_of, reconcile_people

    records: list[dict[str, Any]] = []
    known = KnownNames()
    result = BuildResult(Summary(), [], {}, 0)
    store.ensure_schema()
    names = listing_names(paths, listing_paths(store))
    result.renamed = {path: name for path, name in names.items() if name != Path(path).name}
    # Every listing of the input that the graph holds goes before any batch is resolved: each batch
    # then meets the graph a first build of these files would, so building them again, or again
    # after a kill, ends in the graph that first build made, however many batches there are.
    result.replaced = sorted(held_keys(store, "Listing", names.values()))
    entities = Touched()  # the Method and Dataset nodes written, to settle at the end
    people = remove_listings(store, result.replaced, batch_size=batch_size, communities=False,
                             entities=entities.held)
    # a graph that holds other papers already: the people there that this build's papers join or
    # split through a co-author of a co-author are settled too (in a first build every name is)
    earlier = bool(store.run(ANY_PAPER_STATEMENT))
    shared: set[str] = set()  # papers loaded in more than one batch (or build)
    papers = 0
    writes: deque[Future[tuple[list[str], LoadStats]]] = deque()  # in order; at most two

    def write(prepared: Future[tuple[list[str], GraphData]],
              earlier: Future[tuple[list[str], LoadStats]] | None) -> tuple[list[str], LoadStats]:
        if earlier is not None:
            earlier.result()  # an earlier batch failed: write nothing more
        replaced, graph = prepared.result()
        entities.before_load(store, graph, batch_size)
        return replaced, load(store, graph, batch_size=batch_size, on_batch=on_batch)

    def written() -> None:
        """Count what the oldest batch in flight wrote, once it is written (its error is raised here)."""
        replaced, stats = writes.popleft().result()
        result.replaced.extend(replaced)
        for name, rows in stats.rows.items():
            result.rows[name] = result.rows.get(name, 0) + rows
        result.statements += stats.statements
        shared.update(stats.papers_held)

    def flush() -> None:
        nonlocal papers
        batch = records.copy()
        records.clear()
        papers = 0
        people.update(names_of(batch))
        while len(writes) >= 2:  # memory: this batch, one being resolved, one being written
            written()
        earlier = writes[-1] if writes else None
        prepared = resolver.submit(prepare_records, batch, store, organizations=organizations,
                                   thesaurus=thesaurus, batch_size=batch_size, known=known, people=people,
                                   entities=entities.held,
                                   before_removal=lambda: earlier.result() if earlier is not None else None)
        writes.append(writer.submit(write, prepared, earlier))

    def file_done(read: FileRecords) -> None:
        nonlocal papers
        papers += read.papers
        if on_file is not None:
            on_file(read)
        while writes and writes[0].done():
            written()  # a failed write stops the build now, not a batch later
        if papers >= batch_papers:
            flush()

    # Three stages overlap: this thread reads and extracts (in the workers) the next batch while
    # one thread resolves a batch and another writes the batch before it. Resolving is work in
    # this process, writing mostly waits on the store, and the workers never wait for either.
    # Leaving the blocks waits for the batches in flight, even on an error, before the store closes.
    with ThreadPoolExecutor(1, thread_name_prefix="kg-write") as writer, \
            ThreadPoolExecutor(1, thread_name_prefix="kg-resolve") as resolver:
        result.summary = extract_files(paths, None, on_record=records.append, rejects=rejects, annotate=annotate,
                                       parallel=parallel, on_problem=on_problem, on_file=file_done, names=names)
        if records or (not writes and not result.statements):
            flush()
        while writes:
            written()
    reconcile_entities(store, entities, batch_size=batch_size)
    reconcile_people(store, reach_of(store, people, batch_size=batch_size) if earlier else people, thesaurus,
                     batch_size=batch_size)
    complete_co_authors(store, shared, batch_size=batch_size)
    update_communities(store, batch_size=batch_size)
    result.replaced.sort()
    return result


def prepare_records(records: Sequence[dict[str, Any]], store: Store, *, organizations: Sequence[Path] = (),
                    thesaurus: Thesaurus | None = None, batch_size: int = DEFAULT_BATCH_SIZE,
                    known: KnownNames | None = None, people: set[str] | None = None,
                    entities: dict[str, set[str]] | None = None,
                    before_removal: Callable[[], object] = lambda: None) -> tuple[list[str], GraphData]:
    """Resolve ``kg extract`` records into the graph to load, joined to what the store holds; first
    remove the listings among them that the store already has.

    Args:
        known: the method and dataset names in the store, kept from an earlier batch of the same
            build (None: read them from the store). The graph's own are added to them.
        people: the name keys whose people are to be settled once everything is loaded
            (``kg.people``); those of the listings this removes are added to it.
        entities: the same for methods and datasets (label -> keys, ``kg.entities``).
        before_removal: called before listings are removed (a build waits there for the batches
            it is still writing).

    Returns:
        The listings replaced, and the graph.
    """
    from kg.build import build_graph
    from kg.load import held_keys, remove_listings
    from kg.resolve import resolve

    known = KnownNames() if known is None else known
    listings = [r for r in records if r["type"] == "listing"]
    store.ensure_schema()
    replaced = sorted(held_keys(store, "Listing", [r["file"] for r in listings]))
    if replaced:
        before_removal()
        # the people and summaries are settled after the load
        touched = remove_listings(store, replaced, batch_size=batch_size, communities=False, entities=entities)
        if people is not None:
            people |= touched
        known.forget()
    graph = build_graph(resolve(records, organizations, thesaurus), listings, known_methods=known.of(store, "Method"),
                        known_datasets=known.of(store, "Dataset"))
    known.add(graph)  # loaded before any later batch is
    return replaced, graph


def load_records(records: Sequence[dict[str, Any]], store: Store, *, organizations: Sequence[Path] = (),
                 thesaurus: Thesaurus | None = None, batch_size: int = DEFAULT_BATCH_SIZE,
                 on_batch: Callable[[str, int], None] | None = None,
                 summaries: bool = True) -> tuple[list[str], LoadStats]:
    """Resolve ``kg extract`` records and load them, replacing listings the store already has
    (``summaries``: then settle the people of the names they touch over the whole graph and bring
    the authors' summaries up to date).

    Returns:
        The listings replaced, and what was written.
    """
    from kg.entities import Touched, reconcile_entities
    from kg.load import load, update_communities
    from kg.people import complete_co_authors, names_of, reach_of, reconcile_people

    people = names_of(records)
    entities = Touched()
    replaced, graph = prepare_records(records, store, organizations=organizations, thesaurus=thesaurus,
                                      batch_size=batch_size, people=people, entities=entities.held)
    entities.before_load(store, graph, batch_size)
    stats = load(store, graph, batch_size=batch_size, on_batch=on_batch)
    if summaries:
        reconcile_entities(store, entities, batch_size=batch_size)
        reconcile_people(store, reach_of(store, people, batch_size=batch_size), thesaurus, batch_size=batch_size)
        complete_co_authors(store, stats.papers_held, batch_size=batch_size)
        update_communities(store, batch_size=batch_size)
    return replaced, stats


def read_records(path: str | Path) -> list[dict[str, Any]]:
    """The records of a ``kg extract`` output file (``-`` for standard input).

    Raises:
        InputError: the file cannot be read, or a line is not a JSON object (file and line named).
    """
    import sys

    try:
        fh = sys.stdin if str(path) == "-" else open(path, encoding="utf-8")  # noqa: SIM115
    except OSError as e:
        raise InputError(f"{path}: cannot read records: {e.strerror or e}") from e
    records = []
    with fh:
        for number, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as e:
                raise InputError(f"{path}:{number}: not a JSON record: {e.msg}") from e
            if not isinstance(record, dict) or "type" not in record:
                raise InputError(f"{path}:{number}: not a kg record (no \"type\")")
            records.append(record)
    return records


__all__ = ["BuildResult", "FileRecords", "Parallel", "Summary", "build_files", "dumps", "extract_files",
           "file_records", "load_records", "parse_listing", "prepare_records", "read_files", "read_records",
           "records_of"]
