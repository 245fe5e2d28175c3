"""Settling methods over the whole graph: what the counted check vouches for is what reading every use gives."""

from __future__ import annotations

import os
from collections import Counter
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from kg.entities import _TYPE_ROLE, _Component, _folded, _named_by_counts, _one_per_first_form, _Use
from kg.resolve.entities import Mention, entities_of

# made-up names: an acronym with its long form, spelling variants, a plural, a generic head
FORMS = [["Zorbic"], ["ZPO"], ["ZPO", "zorbic policy optimization"], ["zorbic policy optimization"],
         ["Quorbic-2"], ["quorbic2"], ["Quorbic Network"], ["Quorbic"], ["Quorbics"],
         ["ZPO", "Zorbic Pooling Operator"]]
ROLES = ["proposed", "mentioned", "builds_on", "compared_with"]

mentions = st.lists(st.tuples(st.integers(0, 12), st.sampled_from(ROLES), st.sampled_from(FORMS)), max_size=25)


def _settled(given: list[Mention], *, folded: bool = True
             ) -> tuple[dict[str, tuple[str, list[str], list[str]]], list[_Use]]:
    """The nodes and uses a settle writes for ``given`` (a batch's: ``folded=False``, a paper's
    mentions of one role with the same first form not yet folded into one, as a settle does)."""
    if folded:
        given = _one_per_first_form(given)
    component = _Component({}, [])
    component.entities = entities_of(given)
    return component.wanted_nodes(), [
        _Use(key, paper, rel_type, props.get("role", _TYPE_ROLE.get(rel_type, "")), props["forms"], [])
        for (paper, rel_type, key), props in component.wanted_uses().items()]


def _counted(uses: list[_Use]) -> list[dict[str, Any]]:
    counts = Counter((u.key, u.type, u.role if u.type == "MENTIONS" else None, tuple(u.forms)) for u in uses)
    return [{"key": key, "type": rel_type, "role": role, "forms": list(forms), "uses": n}
            for (key, rel_type, role, forms), n in counts.items()]


def _folds(uses: list[_Use]) -> set[tuple[str, str]]:
    """``_folded`` of uses, given as the store gives them."""
    return _folded({"paper": u.paper, "key": u.key, "type": u.type, "forms": u.forms,
                    "role": u.role if u.type == "MENTIONS" else None} for u in uses)


def _same(nodes: dict[str, tuple[str, list[str], list[str]]], uses: list[_Use]) -> bool:
    component = _Component(nodes, uses)
    component.resolve()
    return component.same()


@settings(max_examples=int(os.environ.get("KG_FUZZ_EXAMPLES", "300")), deadline=None)
@given(mentions, mentions)
def test_the_nodes_the_counted_check_names_are_those_reading_every_use_gives(old: list[Any], new: list[Any]) -> None:
    # the store settled on the old papers; then a batch writes the new papers' uses onto the nodes
    # of the names it resolved them to, as a batch joins a name the store has, or onto new nodes
    held = [(f"p{paper}", role, forms) for paper, role, forms in old]
    nodes, uses = _settled(held)
    batch_nodes, batch_uses = _settled([(f"n{paper}", role, forms) for paper, role, forms in new], folded=False)
    nodes = {**batch_nodes, **nodes}
    uses += batch_uses
    group = {u.key for u in uses}
    nodes = {k: v for k, v in nodes.items() if k in group}
    # the check may send a group to be read use by use; the nodes it names, it names as reading
    # every use does, and then the relationships stay; only the batch's papers are asked whether
    # their mentions fold across nodes
    named = _named_by_counts(nodes, _counted(uses), _folds(batch_uses))
    if named is not None:
        assert _same(named, uses)
        assert (named == nodes) == _same(nodes, uses)


def test_an_acronym_spelt_out_two_ways_passes_unless_one_paper_folds_its_two_nodes() -> None:
    nodes, uses = _settled([("p1", "proposed", ["ZPO", "zorbic policy optimization"]),
                            ("p2", "proposed", ["ZPO", "Zorbic Pooling Operator"]), ("p3", "mentioned", ["ZPO"])])
    assert sorted(len(u.forms) for u in uses if u.type == "PROPOSES") == [1, 1] and len(nodes) == 3
    assert _named_by_counts(nodes, _counted(uses), _folds(uses)) == nodes and _same(nodes, uses)
    # a paper that a batch gave both nodes in one role: re-resolving folds its two mentions into one
    both = [_Use(u.key, "p4", "PROPOSES", "proposed", u.forms, []) for u in uses if u.type == "PROPOSES"]
    assert _folds(both) == {("proposed", "zpo")}
    assert not _same(nodes, uses + both)
    assert _named_by_counts(nodes, _counted(uses + both), _folds(both)) is None


def test_a_new_commonest_spelling_renames_the_node_and_an_unsorted_use_is_read_whole() -> None:
    nodes, uses = _settled([("p1", "proposed", ["ZPO", "zorbic policy optimization"]),
                            ("p2", "builds_on", ["ZPO"]), ("p3", "mentioned", ["zorbic policy optimization"])])
    assert _named_by_counts(nodes, _counted(uses)) == nodes
    # the long form written with capitals by two more papers becomes its commonest spelling: the
    # node's aliases change, its relationships do not
    capitals = [_Use(uses[0].key, f"p{i}", "PROPOSES", "proposed", ["Zorbic Policy Optimization"], []) for i in (4, 5)]
    named = _named_by_counts(nodes, _counted(uses + capitals))
    assert named is not None and named[uses[0].key][1] == ["Zorbic Policy Optimization"]
    assert not _same(nodes, uses + capitals) and _same(named, uses + capitals)
    # by one paper, it is not: the nodes stay as they are
    assert _named_by_counts(nodes, _counted(uses + capitals[:1])) == nodes
    assert _same(nodes, uses + capitals[:1])
    unsorted = [_Use(uses[0].key, "p6", "MENTIONS", "mentioned", ["ZPO", "Zorbic"], [])]
    assert _named_by_counts(nodes, _counted(uses + unsorted)) is None
