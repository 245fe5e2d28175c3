"""``kg build``: listing files read, resolved and written to a store in batches, listings replaced.

Reading (``kg.reading``) runs in worker processes; each batch is resolved against what the store holds
and written while the next is read, so extraction and writing overlap.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import Future
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from kg.gc_pause import collector_paused
from kg.load import DEFAULT_BATCH_SIZE, KnownNames, LoadStats
from kg.parse import listing_names
from kg.reading import FileRecords, Parallel, Summary, extract_files
from kg.records import ParsedListing, Problem, Records

if TYPE_CHECKING:
    from kg.build import GraphData
    from kg.store import Store
    from kg.thesaurus import Thesaurus


DEFAULT_BATCH_PAPERS = 20_000  # papers resolved and loaded together by kg build


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
    cycles (docs/performance.md, "The figures behind the code"), so it runs again only when the
    build is over.

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
    from kg.entities import Touched, reconcile_entities
    from kg.load import held_keys, listing_paths, remove_listings, update_author_summaries
    from kg.people import complete_co_authors, names_of, reach_of, reconcile_people
    from kg.statements.write import ANY_PAPER_STATEMENT

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
    people = remove_listings(store, result.replaced, batch_size=batch_size, settle=False,
                             entities=entities.held)
    # a graph that holds other papers already: the people there that this build's papers join or
    # split through a co-author of a co-author are settled too (in a first build every name is)
    earlier = bool(store.run(ANY_PAPER_STATEMENT))

    def resolve(batch: list[dict[str, Any]], before_removal: Callable[[], object]) -> tuple[list[str], GraphData]:
        typed = Records.from_json(batch)
        people.update(names_of(typed))
        return prepare_records(typed, store, organizations=organizations, thesaurus=thesaurus, batch_size=batch_size,
                               known=known, people=people, entities=entities.held, before_removal=before_removal)

    def write(graph: GraphData) -> LoadStats:
        return entities.load(store, graph, batch_size=batch_size, on_batch=on_batch)

    with _Batches(resolve, write, result, batch_papers, on_file) as batches:
        result.summary = extract_files(paths, None, on_record=batches.records.append, rejects=rejects,
                                       annotate=annotate, parallel=parallel, on_problem=on_problem,
                                       on_file=batches.file_done, names=names)
        batches.finish()
    reconcile_entities(store, entities, batch_size=batch_size)
    settled = reach_of(store, people, batch_size=batch_size) if earlier else people
    reconcile_people(store, settled, thesaurus, batch_size=batch_size)
    complete_co_authors(store, batches.shared, batch_size=batch_size)
    update_author_summaries(store, names=settled, batch_size=batch_size)
    result.replaced.sort()
    return result


class _Batches:
    """The batches of one build, in order: gathered here from the files read, resolved in one
    thread and written in another while the next is read (resolving is work in this process,
    writing mostly waits on the store, and the extraction workers wait for neither).

    At most three batches are held: the one being gathered, one being resolved, one being written.
    A batch's resolution waits for the batch before it to be written before it removes listings,
    and a batch is written only once the one before it is; a failed write stops the build at the
    next file, not a batch later. Leaving the block waits for the batches in flight, even on an
    error, so the store is never closed under them.
    """

    def __init__(self, resolve: Callable[[list[dict[str, Any]], Callable[[], object]], tuple[list[str], GraphData]],
                 write: Callable[[GraphData], LoadStats], result: BuildResult, batch_papers: int,
                 on_file: Callable[[FileRecords], None] | None) -> None:
        from concurrent.futures import ThreadPoolExecutor

        self._resolve, self._write = resolve, write
        self._result, self._batch_papers, self._on_file = result, batch_papers, on_file
        self.records: list[dict[str, Any]] = []  # of the batch being gathered
        self._papers = 0  # in it
        self.shared: set[str] = set()  # papers loaded in more than one batch (or build)
        self._in_flight: deque[Future[tuple[list[str], LoadStats]]] = deque()  # in order; at most two
        self._resolver = ThreadPoolExecutor(1, thread_name_prefix="kg-resolve")
        self._writer = ThreadPoolExecutor(1, thread_name_prefix="kg-write")

    def __enter__(self) -> _Batches:
        return self

    def __exit__(self, *_exc: object) -> None:
        self._resolver.shutdown(wait=True)
        self._writer.shutdown(wait=True)

    def file_done(self, read: FileRecords) -> None:
        """After each file read: count it, collect what is written, send the batch on when full."""
        self._papers += read.papers
        if self._on_file is not None:
            self._on_file(read)
        while self._in_flight and self._in_flight[0].done():
            self._count_oldest()
        if self._papers >= self._batch_papers:
            self._send()

    def finish(self) -> None:
        """Send the last batch (an empty input still makes one, so its listings are removed) and wait
        for every batch to be written."""
        if self.records or (not self._in_flight and not self._result.statements):
            self._send()
        while self._in_flight:
            self._count_oldest()

    def _send(self) -> None:
        batch = self.records.copy()  # the list itself stays: the reader appends to it
        self.records.clear()
        self._papers = 0
        while len(self._in_flight) >= 2:  # memory: this batch, one being resolved, one being written
            self._count_oldest()
        earlier = self._in_flight[-1] if self._in_flight else None
        resolved = self._resolver.submit(self._resolve, batch,
                                         lambda: earlier.result() if earlier is not None else None)
        self._in_flight.append(self._writer.submit(self._write_after, resolved, earlier))

    def _write_after(self, resolved: Future[tuple[list[str], GraphData]],
                     earlier: Future[tuple[list[str], LoadStats]] | None) -> tuple[list[str], LoadStats]:
        if earlier is not None:
            earlier.result()  # an earlier batch failed: write nothing more
        replaced, graph = resolved.result()
        return replaced, self._write(graph)

    def _count_oldest(self) -> None:
        """Count what the oldest batch in flight wrote, once it is written (its error is raised here)."""
        replaced, stats = self._in_flight.popleft().result()
        self._result.replaced.extend(replaced)
        for name, rows in stats.rows.items():
            self._result.rows[name] = self._result.rows.get(name, 0) + rows
        self._result.statements += stats.statements
        self.shared.update(stats.papers_held)


def prepare_records(records: Records, store: Store, *, organizations: Sequence[Path] = (),
                    thesaurus: Thesaurus | None = None, batch_size: int = DEFAULT_BATCH_SIZE,
                    known: KnownNames | None = None, people: set[str] | None = None,
                    entities: dict[str, set[str]] | None = None,
                    before_removal: Callable[[], object] = lambda: None) -> tuple[list[str], GraphData]:
    """Resolve the records of a batch of listings into the graph to load, joined to what the store holds; first
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
    store.ensure_schema()
    replaced = sorted(held_keys(store, "Listing", [listing.file for listing in records.listings]))
    if replaced:
        before_removal()
        # the people and summaries are settled after the load
        touched = remove_listings(store, replaced, batch_size=batch_size, settle=False, entities=entities)
        if people is not None:
            people |= touched
        known.forget()
    graph = build_graph(resolve(records.papers, organizations, thesaurus), records.listings,
                        known_methods=known.of(store, "Method"),
                        known_datasets=known.of(store, "Dataset"))
    known.add(graph)  # loaded before any later batch is
    return replaced, graph


def load_records(records: Iterable[Mapping[str, Any]], store: Store, *, organizations: Sequence[Path] = (),
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
    from kg.load import update_author_summaries
    from kg.people import complete_co_authors, names_of, reach_of, reconcile_people

    typed = Records.from_json(records)
    people = names_of(typed)
    entities = Touched()
    replaced, graph = prepare_records(typed, store, organizations=organizations, thesaurus=thesaurus,
                                      batch_size=batch_size, people=people, entities=entities.held)
    stats = entities.load(store, graph, batch_size=batch_size, on_batch=on_batch)
    if summaries:
        reconcile_entities(store, entities, batch_size=batch_size)
        settled = reach_of(store, people, batch_size=batch_size)
        reconcile_people(store, settled, thesaurus, batch_size=batch_size)
        complete_co_authors(store, stats.papers_held, batch_size=batch_size)
        update_author_summaries(store, names=settled, batch_size=batch_size)
    return replaced, stats
