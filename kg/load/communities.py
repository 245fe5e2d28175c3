"""The authors' summaries brought up to date from what a build touched, not from the whole graph.

Recomputing every summary reads every co-author pair: at a million papers that took 90 s of a
build that added one 40-paper listing (docs/performance.md, "A million papers"). What a build can
change is narrower. The co-author relationships that came or went all have both ends among the
touched authors: the authors of the build's names, those flagged ``summaries_due`` (the authors of
a removed paper, and the co-authors of a person rewritten, flagged before the change, so a build
cut short leaves them flagged for the next) and their co-authors now. So:

* a touched author's co-authors and papers are counted again; no one else's changed;
* a community (connected co-author group) with no touched member is as it was;
* a community with touched members stays in one piece if those members are still connected to
  one another: a piece cut off would hold one end of a relationship that went, a touched author.
  Whether they are is found by walking out from them, a level at a time, until they meet or a piece
  runs out (then that piece is known whole);
* communities joined by a new relationship become one, named by the smallest key of all.

Sizes are counted through the ``community`` index. When the walk would have to read more than
``budget`` authors, or a community splits into several pieces too large to enumerate, the update
gives up, and the caller computes everything again (``kg.load.summaries``). The ranks follow the
same rule: the first 1,000 are decided from the ranked and the changed, unless something ranked got
smaller or went, in which case the candidates are read again from the whole graph.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from kg.load.writer import batches
from kg.statements.settle import SUMMARY_STATEMENTS, summary_write
from kg.store import Store
from kg.unionfind import UnionFind


class GiveUp(Exception):
    """The local update cannot vouch for its answer; everything is computed again."""


class LocalSummaries:
    """One local update of the summaries (``run``). Every read comes before the first write."""

    def __init__(self, store: Store, touched: Iterable[str], *, ranked: int, shown: int, budget: int,
                 page: int) -> None:
        self.store, self.ranked, self.shown, self.budget, self.page = store, ranked, shown, budget, page
        self.stored: dict[str, dict[str, Any]] = {}
        self._read_authors(sorted(set(touched)))
        self.touched = sorted(self.stored)  # a flagged author that is gone drops out
        if any(self.stored[t]["community_size"] is not None and self.stored[t]["community_rank"] is None
               for t in self.touched):
            # a graph summarised by a kg that kept the size on every member: summarised whole once
            raise GiveUp("summaries of an earlier kind")
        self.uf = UnionFind()
        self.adjacent: dict[str, set[str]] = defaultdict(set)
        self.expanded: set[str] = set()
        self.frontier: set[str] = set()
        self.papers = {row["key"]: row["papers"] for keys in batches(self.touched, page)
                       for row in self._read("papers", keys=keys)}

    def _read(self, name: str, **params: Any) -> list[dict[str, Any]]:
        return self.store.run(SUMMARY_STATEMENTS[name], params)

    def _read_authors(self, keys: list[str]) -> None:
        for batch in batches([k for k in keys if k not in self.stored], self.page):
            self.stored.update((row["key"], row) for row in self._read("authors", keys=batch))

    def _expand(self, keys: list[str]) -> None:
        """Read the co-authors of ``keys`` and join them."""
        for batch in batches(keys, self.page):
            for row in self._read("neighbours", keys=batch):
                a, b = row["a"], row["b"]
                self.adjacent[a].add(b)
                self.uf.union(a, b)
                if b not in self.expanded:
                    self.frontier.add(b)
        self.expanded.update(keys)
        self.frontier.difference_update(keys)
        if len(self.expanded) + len(self.frontier) > self.budget:
            raise GiveUp(f"more than {self.budget} authors to walk")

    def run(self) -> int:
        """Write the summaries that changed; returns the number of authors written (those renamed
        with their community counted once more if their ranks changed too)."""
        touched = self.touched
        for t in touched:
            self.uf.find(t)
        self._expand(touched)
        by_old: dict[str, set[str]] = defaultdict(set)  # old community -> its touched members
        for t in touched:
            if self.stored[t]["community"] is not None:
                by_old[self.stored[t]["community"]].add(t)
        self._walk(by_old)

        uf = self.uf
        open_roots = {uf.find(x) for x in self.frontier}
        members: dict[str, list[str]] = defaultdict(list)
        for x in self.expanded | self.frontier:
            members[uf.find(x)].append(x)
        closed = [r for r in members if r not in open_roots]  # pieces known whole
        # where each touched community's untouched rest now is: its one open piece, or nowhere
        home: dict[str, str | None] = {}
        for c, ts in by_old.items():
            pieces = {uf.find(t) for t in ts if uf.find(t) in open_roots}
            if len(pieces) > 1:
                raise GiveUp(f"community {c} split into {len(pieces)} large pieces")
            home[c] = pieces.pop() if pieces else None
        self._read_authors([x for r in closed for x in members[r]])
        stale = {x: self.stored[x]["community"] for r in closed for x in members[r]}
        stale.update((t, self.stored[t]["community"]) for t in touched)

        homed = sorted(c for c, r in home.items() if r is not None)
        counts = {row["community"]: row["size"] for batch in batches(homed, self.page)
                  for row in self._read("sizes", communities=batch)}
        size: dict[str, int] = {}
        name: dict[str, str] = {}
        for r in closed:
            size[r], name[r] = len(members[r]), min(members[r])
        rest_of: dict[str, list[str]] = defaultdict(list)  # open root -> the communities it holds the rest of
        for c, piece in home.items():
            if piece is not None:
                rest_of[piece].append(c)
        left: dict[str, list[str]] = defaultdict(list)  # community -> its members that went to a closed piece
        for r in closed:
            for x in members[r]:
                if stale[x] is not None and home.get(stale[x]) is not None:
                    left[stale[x]].append(x)
        smallest = self._smallest_left(homed, left, closed_members={x for r in closed for x in members[r]})
        for r in open_roots:
            new = [t for t in members[r] if t in stale and stale[t] is None]
            size[r] = sum(counts.get(c, 0) - len(left[c]) for c in rest_of[r]) + len(new)
            name[r] = min([*new, *(key for c in rest_of[r] if (key := smallest[c]) is not None)])

        renames = [{"old": c, "new": name[r]} for r, held in rest_of.items() for c in held if c != name[r]]
        community_of = {x: name[uf.find(x)] for r in closed for x in members[r]}
        community_of.update((t, name[uf.find(t)]) for t in touched)
        counted = {t: (len(self.adjacent[t]), self.papers.get(t, 0)) for t in touched}

        ranks = self._community_ranks(set(by_old), {name[r]: size[r] for r in members})
        shown = self._shown_members(ranks, home, rest_of, members, closed, counted, name)
        collaboration = self._collaboration_ranks(counted)

        # the writes: renames first (they move whole communities, closed pieces' members with them),
        # then each author the update decided
        written: set[str] = set()
        renamed = 0
        for batch in batches(renames, self.page):
            replies = self.store.run(SUMMARY_STATEMENTS["rename"], {"rows": batch}, write=True)
            renamed += sum(row["n"] for row in replies)
        after_rename = {row["old"]: row["new"] for row in renames}
        rows: dict[tuple[str, ...], list[dict[str, Any]]] = defaultdict(list)
        for x, community in community_of.items():
            row: dict[str, Any] = {"key": x}
            if community != after_rename.get(stale[x] or "", stale[x]):
                row["community"] = community
            if x in counted and counted[x] != (self.stored[x]["coauthors"], self.stored[x]["papers"]):
                row["coauthors"], row["papers"] = counted[x]
            if len(row) > 1:
                rows[tuple(k for k in row if k != "key")].append(row)
        old_shown, new_shown = shown
        for x in old_shown.keys() | new_shown.keys():
            if old_shown.get(x) != new_shown.get(x):
                rank, community_size = new_shown.get(x, (None, None))
                rows[("community_rank", "community_size")].append(
                    {"key": x, "community_rank": rank, "community_size": community_size})
        old_collab, new_collab = collaboration
        for x in old_collab.keys() | new_collab.keys():
            if old_collab.get(x) != new_collab.get(x):
                rows[("collaboration_rank",)].append({"key": x, "collaboration_rank": new_collab.get(x)})
        for fields, field_rows in rows.items():
            for batch in batches(field_rows, self.page):
                self.store.run(summary_write(fields), {"rows": batch}, write=True)
                written.update(row["key"] for row in batch)
        return renamed + len(written)

    def _walk(self, by_old: dict[str, set[str]]) -> None:
        """Walk out from the touched members of each community, a level at a time, until they are
        joined or all their pieces but one are known whole: that one is then the community's rest,
        however large, and is never read."""
        uf = self.uf
        while True:
            open_roots = {uf.find(x) for x in self.frontier}
            roots: set[str] = set()
            for ts in by_old.values():
                pieces = {uf.find(t) for t in ts} & open_roots
                if len(pieces) > 1:
                    roots |= pieces
            wave = sorted(x for x in self.frontier if uf.find(x) in roots)
            if not wave:
                return
            self._expand(wave)

    def _smallest_left(self, homed: list[str], left: dict[str, list[str]], closed_members: set[str]
                       ) -> dict[str, str | None]:
        """The smallest key among the members each community keeps: its old name, when that author is
        still there and with it, or else what the index says."""
        self._read_authors([c for c in homed])
        out: dict[str, str | None] = {}
        ask = []
        for c in homed:
            author = self.stored.get(c)
            if author is not None and author["community"] == c and c not in closed_members:
                out[c] = c
            else:
                ask.append(c)
        for c in ask:
            rows = self._read("smallest", communities=[c], left=sorted(left[c]))
            out[c] = rows[0]["key"] if rows else None
        return out

    def _community_ranks(self, affected: set[str], new: dict[str, int]) -> dict[str, int]:
        """The first ``ranked`` communities, each to its rank, with every community's size there."""
        old = self._read("shown", ranked=self.ranked)
        self.old_shown_rows = old
        sizes = {row["community"]: row["size"] for row in old}
        ranks = {row["community"]: row["rank"] for row in old}
        candidates = {c: n for c, n in sizes.items() if c not in affected} | new
        # a community that was not ranked, and is untouched, sorts after the last one ranked before
        edge = [_key(sizes[c], c) for c, rank in ranks.items() if rank == self.ranked]
        if not edge or sum(_key(n, c) < edge[0] for c, n in candidates.items()) < self.ranked:
            whole = {row["community"]: row["size"] for row in self._read("all_sizes") if row["community"]}
            candidates = {c: n for c, n in whole.items() if c not in affected} | new
        self.community_sizes = candidates
        first = sorted(candidates, key=lambda c: _key(candidates[c], c))[:self.ranked]
        return {c: rank for rank, c in enumerate(first, 1)}

    def _shown_members(self, ranks: dict[str, int], home: dict[str, str | None], rest_of: dict[str, list[str]],
                       members: dict[str, list[str]], closed: list[str], counted: dict[str, tuple[int, int]],
                       name: dict[str, str]) -> tuple[dict[str, tuple[int, int]], dict[str, tuple[int, int]]]:
        """The members that carry their community's rank, before and after: key -> (rank, size).

        Each ranked community gets a pool of members sure to hold its ``shown`` most published: an
        untouched one its shown members of before (or all its members, new to the ranking); a piece
        known whole all its members; an open piece its touched members, and for each community
        whose rest it holds, that community's shown members of before, if all are still there and
        none has fewer papers, or else all its members."""
        old_rows = self.old_shown_rows
        before = {row["key"]: (row["rank"], row["size"]) for row in old_rows}
        shown_of: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for row in old_rows:
            shown_of[row["community"]].append(row)
        root_of = {name[r]: r for r in members}
        closed_members = {x for r in closed for x in members[r]}
        pools: dict[str, dict[str, tuple[int, str, str]]] = defaultdict(dict)

        def add(pool: str, key: str, author_name: str | None, papers: int | None) -> None:
            if key in counted:
                papers = counted[key][1]
            pools[pool][key] = (-(papers or 0), author_name or "", key)

        read_whole: dict[str, str] = {}  # community read member by member (its old name) -> the pool
        for c in ranks:
            r = root_of.get(c)
            if r is None:
                if c in shown_of:
                    for row in shown_of[c]:
                        add(c, row["key"], row["name"], row["papers"])
                else:
                    read_whole[c] = c
                continue
            for x in members[r]:
                if x in counted or r in closed:
                    add(c, x, self.stored[x]["name"], self.stored[x]["papers"])
            for old in rest_of.get(r, []):
                rows = shown_of.get(old, [])
                vouched = (rows and len(rows) == min(self.shown, rows[0]["size"] or 0)
                           and all(row["key"] not in closed_members
                                   and (row["key"] not in counted or counted[row["key"]][1] >= (row["papers"] or 0))
                                   for row in rows))
                if vouched:
                    for row in rows:
                        add(c, row["key"], row["name"], row["papers"])
                else:
                    read_whole[old] = c
        for batch in batches(sorted(read_whole), self.page):
            for row in self._read("members", communities=batch):
                if row["key"] not in closed_members:
                    add(read_whole[row["community"]], row["key"], row["name"], row["papers"])
        after: dict[str, tuple[int, int]] = {}
        for c, rank in ranks.items():
            for _, _, x in sorted(pools[c].values())[:self.shown]:
                after[x] = (rank, self.community_sizes[c])
        return before, after

    def _collaboration_ranks(self, counted: dict[str, tuple[int, int]]
                             ) -> tuple[dict[str, int], dict[str, int]]:
        """The first ``ranked`` authors by co-authors, before and after: key -> rank."""
        old = self._read("collaborators", ranked=self.ranked)
        before = {row["key"]: row["rank"] for row in old}
        values = {row["key"]: (row["coauthors"] or 0, row["papers"] or 0, row["name"] or "") for row in old}
        edge = [_author_key(x, values[x]) for x, rank in before.items() if rank == self.ranked]
        for x, (coauthors, papers) in counted.items():
            values[x] = (coauthors, papers, self.stored[x]["name"] or "")

        def eligible() -> list[str]:
            return sorted((x for x, v in values.items() if v[0]), key=lambda x: _author_key(x, values[x]))

        # an author that was not ranked, and is untouched, sorts after the last one ranked before
        if not edge or sum(_author_key(x, v) < edge[0] for x, v in values.items() if v[0]) < self.ranked:
            first = eligible()
            least = values[first[self.ranked - 1]][0] if len(first) >= self.ranked else 1
            for row in self._read("collaborative", least=least):
                if row["key"] not in counted:
                    values[row["key"]] = (row["coauthors"] or 0, row["papers"] or 0, row["name"] or "")
        return before, {x: rank for rank, x in enumerate(eligible()[:self.ranked], 1)}


def _key(size: int, community: str) -> tuple[int, str]:
    """A community's place in the ranking: the largest first, then by name."""
    return (-size, community)


def _author_key(key: str, values: tuple[int, int, str]) -> tuple[int, int, str, str]:
    """An author's place in the collaboration ranking: most co-authors, then papers, name, key."""
    coauthors, papers, author_name = values
    return (-coauthors, -papers, author_name, key)
