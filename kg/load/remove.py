"""Take listings out of the graph: what only they stated goes, what others also state stays."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from kg.load.summaries import update_author_summaries
from kg.load.writer import DEFAULT_BATCH_SIZE, batches, upgrade_sources
from kg.statements.remove import HELD_LABELS, REMOVE_STATEMENTS, SWEEP_STATEMENTS, orphan_statement
from kg.statements.settle import SUMMARY_STATEMENTS
from kg.store import Store

if TYPE_CHECKING:
    from kg.thesaurus import Thesaurus


def remove_listings(store: Store, listings: Iterable[str], *, batch_size: int = DEFAULT_BATCH_SIZE,
                    settle: bool = True, thesaurus: Thesaurus | None = None,
                    entities: dict[str, set[str]] | None = None) -> set[str]:
    """Delete what only these listings contributed; what other listings also state stays.

    Every relationship loses a listing's sources and goes if none are left; so do the listing's
    papers; then the nodes they held that nothing holds any more (an author of only those papers,
    a method only they named) are deleted, and the listing itself last.

    Args:
        settle: then settle the people of the names the listings had (a paper that joined two
            of them may be gone: ``kg.people``) and the methods and datasets they named (a spelling
            only they used goes: ``kg.entities``), and recompute the authors' summaries. A caller
            about to load, which does all of it anyway, passes False.
        entities: where to add the keys of the Method and Dataset nodes the listings named (label
            -> keys), for a caller that settles them itself.
        thesaurus: the user's word on who is who, for settling the people.

    Returns:
        The name keys of the listings' authors.
    """
    listings = list(listings)
    names: set[str] = set()
    entities = {} if entities is None else entities
    if listings:
        upgrade_sources(store)
    for listing in listings:
        for label, key in _strip_listing(store, listing, batch_size):
            if label == "Author":
                names.add(key.partition("~")[0])  # an Author key is its name key, ~ a tag
            elif label in ("Method", "Dataset"):
                entities.setdefault(label, set()).add(key)
    if settle and listings:
        from kg.entities import Touched, reconcile_entities
        from kg.people import reach_of, reconcile_people

        reconcile_entities(store, Touched(held=entities), batch_size=batch_size)
        settled = reach_of(store, names, batch_size=batch_size)
        reconcile_people(store, settled, thesaurus, batch_size=batch_size)
        update_author_summaries(store, names=settled, batch_size=batch_size)
    return names


def remove_listing(store: Store, listing: str, *, batch_size: int = DEFAULT_BATCH_SIZE) -> None:
    """``remove_listings`` of one listing."""
    remove_listings(store, [listing], batch_size=batch_size)


def _strip_listing(store: Store, listing: str, batch_size: int) -> set[tuple[str, str]]:
    """Take ``listing`` out; returns what it held (label, key), as ``_sweep_of``."""
    prefix = listing + ":"
    papers = [row["paper"] for row in store.run(REMOVE_STATEMENTS["papers"], {"listing": listing})]
    sweep = _sweep_of(store, listing, papers, batch_size)
    # the papers' authors lose co-authors and papers: their summaries are due (kg.load.communities)
    for batch in batches(papers, batch_size):
        for name in ("flag_papers", "flag_co_authors"):
            store.run(SUMMARY_STATEMENTS[name], {"papers": batch}, write=True)
    for name in ("co_authors", "lineage", "paper_rels", "paper_nodes"):
        for batch in batches(papers, batch_size):
            params = {"papers": batch, "prefix": prefix}
            store.run(REMOVE_STATEMENTS[f"{name}.strip"], params, write=True)
            store.run(REMOVE_STATEMENTS[f"{name}.drop"], params, write=True)
    params = {"listing": listing, "prefix": prefix}
    store.run(REMOVE_STATEMENTS["listing_rels.strip"], params, write=True)
    store.run(REMOVE_STATEMENTS["listing_rels.drop"], params, write=True)
    for label in HELD_LABELS:
        for batch in batches(sorted(key for held, key in sweep if held == label), batch_size):
            store.run(orphan_statement(label), {"keys": batch}, write=True)
    store.run(REMOVE_STATEMENTS["listing_node.strip"], params, write=True)
    store.run(REMOVE_STATEMENTS["listing_node.drop"], params, write=True)
    return sweep


def _sweep_of(store: Store, listing: str, papers: list[str], batch_size: int) -> set[tuple[str, str]]:
    """The (label, key) of the nodes that removing ``listing`` can leave with no relationship (see
    ``SWEEP_STATEMENTS``), also kept on its node, with those an earlier removal cut short kept there."""
    kept = store.run(SWEEP_STATEMENTS["kept"], {"listing": listing})
    sweep = {(label, key) for label, key in (held.split(":", 1) for held in (kept[0]["sweep"] or [] if kept else []))}
    rows = [row for batch in batches(papers, batch_size) for name in ("neighbours", "lineage")
            for row in store.run(SWEEP_STATEMENTS[name], {"papers": batch})]
    rows += store.run(SWEEP_STATEMENTS["listing"], {"listing": listing})
    sweep.update((row["label"], row["key"]) for row in rows if row["label"] in HELD_LABELS)
    store.run(SWEEP_STATEMENTS["keep"], {"listing": listing, "sweep": sorted(f"{label}:{key}" for label, key in sweep)},
              write=True)
    return sweep
