"""The authors' summaries: co-author communities, their sizes and ranks, paper counts.

A community here is a connected group of the co-author graph (``kg.use.analysis`` offers Louvain
clusters as well, computed on demand and never stored).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from kg.gc_pause import collector_paused
from kg.load.writer import DEFAULT_BATCH_SIZE, batches
from kg.statements.settle import SUMMARY_FIELDS, SUMMARY_STATEMENTS
from kg.store import Store

RANKED = 1_000  # authors given a collaboration_rank, communities given a community_rank
SHOWN_MEMBERS = 50  # members of a ranked community that carry its rank
SUMMARY_PAGE = 20_000  # authors whose rows, co-author pairs and paper counts are read at once
FULL_BELOW = 20_000  # a graph with fewer authors is summarised whole: it takes under a second
LOCAL_SHARE = 0.05  # ... as is one where the build touched more than this share of the authors
LOCAL_BUDGET = 200_000  # authors a local update may walk before it gives up


@collector_paused()
def update_author_summaries(store: Store, *, names: Iterable[str] | None = None, batch_size: int = DEFAULT_BATCH_SIZE,
                            page: int = SUMMARY_PAGE, full_below: int | None = None,
                            budget: int | None = None) -> int:
    """Keep every author's summaries up to date (see the Author node in ``schemas/graph.json``).

    Given ``names``, the name keys whose people the build settled, only what they and the authors
    flagged ``summaries_due`` can have changed is worked out again (``kg.load.communities``), in a
    graph of ``full_below`` authors or more; otherwise, or when that update cannot vouch for its
    answer, every summary is (``update_all_summaries``). Either way the flags are cleared after.

    Returns:
        The number of authors whose summaries were written.
    """
    from kg.load.communities import GiveUp, LocalSummaries

    due = [row["key"] for row in store.run(SUMMARY_STATEMENTS["due"])]
    changed = None
    if names is not None:
        authors = store.run(SUMMARY_STATEMENTS["count"])[0]["n"]
        if authors >= (FULL_BELOW if full_below is None else full_below):
            touched = set(due)
            for batch in batches(sorted(set(names)), page):
                touched.update(row["key"] for row in store.run(SUMMARY_STATEMENTS["named"], {"names": batch}))
            if len(touched) <= LOCAL_SHARE * authors:
                try:
                    changed = LocalSummaries(store, touched, ranked=RANKED, shown=SHOWN_MEMBERS,
                                             budget=LOCAL_BUDGET if budget is None else budget,
                                             page=page).run()
                except GiveUp:
                    changed = None
    if changed is None:
        changed = update_all_summaries(store, batch_size=batch_size, page=page)
    for batch in batches(due, batch_size):
        store.run(SUMMARY_STATEMENTS["unflag"], {"keys": batch}, write=True)
    return changed


def update_all_summaries(store: Store, *, batch_size: int = DEFAULT_BATCH_SIZE, page: int = SUMMARY_PAGE) -> int:
    """Work out every author's summaries from the whole graph, and write those that changed.

    Communities are the connected groups of the co-author graph, each named by its smallest author
    key, so the names are the same however the graph was built. Ranks are decided by counts, then
    names and keys, so they are as reproducible. The size of a community is kept on the members
    that carry its rank only: on every member, each author joining the largest community would
    rewrite all of it.

    The authors are read ``page`` keys at a time and kept in columns indexed by their place in key
    order, so memory holds a few numbers and one union-find entry an author, not the whole co-author
    graph as rows, which more than doubled the kg process's memory at a million papers
    (docs/performance.md, "The figures behind the code").

    Returns:
        The number of authors whose summaries changed.
    """
    import heapq
    from collections import Counter
    from concurrent.futures import ThreadPoolExecutor

    from kg.unionfind import UnionFind

    keys = sorted(row["key"] for row in store.run(SUMMARY_STATEMENTS["keys"]))
    index = {key: i for i, key in enumerate(keys)}
    names = [""] * len(keys)
    current: list[tuple[Any, ...]] = [()] * len(keys)
    coauthors = [0] * len(keys)
    papers = [0] * len(keys)
    uf = UnionFind()  # of the keys in ``keys`` (not the replies' copies): a set's root is its smallest key

    # a page's three reads at once: the store answers one while this process reads the reply of another
    with ThreadPoolExecutor(3, thread_name_prefix="kg-summaries") as pool:
        for page_keys in batches(keys, page):
            params = {"keys": page_keys}
            reads = [pool.submit(store.run, SUMMARY_STATEMENTS[name], params)
                     for name in ("authors", "edges", "papers")]
            authors, edges, counts = (read.result() for read in reads)
            for row in authors:
                i = index[row["key"]]
                names[i] = row["name"] or ""
                current[i] = tuple(row[f] for f in SUMMARY_FIELDS)
            for row in edges:
                a, b = index[row["a"]], index[row["b"]]
                coauthors[a] += 1
                coauthors[b] += 1
                uf.union(keys[a], keys[b])
            for row in counts:
                papers[index[row["key"]]] = row["papers"]
            del authors, edges, counts

    community = [index[uf.find(key)] for key in keys]  # the place of each author's community
    size = Counter(community)
    collaborative = heapq.nsmallest(RANKED, (i for i in range(len(keys)) if coauthors[i]),
                                    key=lambda i: (-coauthors[i], -papers[i], names[i], keys[i]))
    collaboration_rank = {i: rank for rank, i in enumerate(collaborative, 1)}
    largest = {c: rank for rank, c in enumerate(heapq.nsmallest(RANKED, size, key=lambda c: (-size[c], c)), 1)}
    members: dict[int, list[int]] = {c: [] for c in largest}
    for i, c in enumerate(community):
        if c in members:
            members[c].append(i)
    community_rank: dict[int, int] = {}
    for c, rank in largest.items():
        for i in heapq.nsmallest(SHOWN_MEMBERS, members[c], key=lambda i: (-papers[i], names[i], keys[i])):
            community_rank[i] = rank
    del members

    def changed_rows() -> Iterator[dict[str, Any]]:
        for i, c in enumerate(community):
            rank = community_rank.get(i)
            values = (keys[c], None if rank is None else size[c], rank, coauthors[i], papers[i],
                      collaboration_rank.get(i))
            if values != current[i]:
                yield {"key": keys[i], **dict(zip(SUMMARY_FIELDS, values, strict=True))}

    changed = 0

    def writes() -> Iterator[tuple[str, dict[str, Any]]]:
        nonlocal changed
        for rows in batches(changed_rows(), batch_size):
            changed += len(rows)
            yield SUMMARY_STATEMENTS["write"], {"rows": rows}

    store.write_all(writes())
    return changed
