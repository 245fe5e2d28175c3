"""``kg build``: listing files read, resolved and written to a store in batches, listings replaced.

Reading (``kg.reading``) runs in worker processes; each batch is resolved against what the store holds
and written while the next is read, so extraction and writing overlap.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from kg.gc_pause import collector_paused
from kg.load import DEFAULT_BATCH_SIZE, KnownNames, LoadStats
from kg.parse import listing_names
from kg.reading import FileRecords, Parallel, Summary, extract_files
from kg.records import ParsedListing, Problem

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
    from concurrent.futures import Future, ThreadPoolExecutor

    from kg.entities import Touched, reconcile_entities
    from kg.load import held_keys, listing_paths, load, remove_listings, update_author_summaries
    from kg.load.statements import ANY_PAPER_STATEMENT
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
    people = remove_listings(store, result.replaced, batch_size=batch_size, settle=False,
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
    update_author_summaries(store, batch_size=batch_size)
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
        touched = remove_listings(store, replaced, batch_size=batch_size, settle=False, entities=entities)
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
    from kg.load import load, update_author_summaries
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
        update_author_summaries(store, batch_size=batch_size)
    return replaced, stats
