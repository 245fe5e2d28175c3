"""Settling methods over the whole graph: the counted check passes only what reading every use would."""

from __future__ import annotations

from collections import Counter
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from kg.entities import _TYPE_ROLE, _as_settled, _Component, _Use
from kg.resolve.entities import Mention, entities_of

# made-up names: an acronym with its long form, spelling variants, a plural, a generic head
FORMS = [["Zorbic"], ["ZPO"], ["ZPO", "zorbic policy optimization"], ["zorbic policy optimization"],
         ["Quorbic-2"], ["quorbic2"], ["Quorbic Network"], ["Quorbic"], ["Quorbics"],
         ["ZPO", "Zorbic Pooling Operator"]]
ROLES = ["proposed", "mentioned", "builds_on", "compared_with"]

mentions = st.lists(st.tuples(st.integers(0, 12), st.sampled_from(ROLES), st.sampled_from(FORMS)), max_size=25)


def _settled(given: list[Mention]) -> tuple[dict[str, tuple[str, list[str], list[str]]], list[_Use]]:
    """The nodes and uses a settle writes for ``given``."""
    component = _Component({}, [])
    component.entities = entities_of(given)
    return component.wanted_nodes(), [
        _Use(key, paper, rel_type, props.get("role", _TYPE_ROLE.get(rel_type, "")), props["forms"], [])
        for (paper, rel_type, key), props in component.wanted_uses().items()]


def _counted(uses: list[_Use]) -> list[dict[str, Any]]:
    counts = Counter((u.key, u.type, u.role if u.type == "MENTIONS" else None, tuple(u.forms)) for u in uses)
    return [{"key": key, "type": rel_type, "role": role, "forms": list(forms), "uses": n}
            for (key, rel_type, role, forms), n in counts.items()]


def _same(nodes: dict[str, tuple[str, list[str], list[str]]], uses: list[_Use]) -> bool:
    component = _Component(nodes, uses)
    component.resolve()
    return component.same()


@settings(max_examples=300, deadline=None)
@given(mentions, mentions)
def test_a_group_the_counted_check_passes_is_settled_by_reading_every_use(old: list[Any], new: list[Any]) -> None:
    # the store settled on the old papers; then a batch writes the new papers' uses onto the nodes
    # of the names it resolved them to, as a batch joins a name the store has, or onto new nodes
    held = [(f"p{paper}", role, forms) for paper, role, forms in old]
    nodes, uses = _settled(held)
    batch_nodes, batch_uses = _settled([(f"n{paper}", role, forms) for paper, role, forms in new])
    nodes = {**batch_nodes, **nodes}
    uses += batch_uses
    group = {u.key for u in uses}
    nodes = {k: v for k, v in nodes.items() if k in group}
    # the check may send a settled group to be read use by use (a name first on two nodes), never
    # pass one that is not
    if _as_settled(nodes, _counted(uses)):
        assert _same(nodes, uses)


def test_a_settled_group_passes_and_a_new_spelling_or_an_unsorted_use_does_not() -> None:
    nodes, uses = _settled([("p1", "proposed", ["ZPO", "zorbic policy optimization"]),
                            ("p2", "builds_on", ["ZPO"]), ("p3", "mentioned", ["zorbic policy optimization"])])
    assert _as_settled(nodes, _counted(uses))
    # the long form written with capitals by two more papers becomes its commonest spelling
    capitals = [_Use(uses[0].key, f"p{i}", "PROPOSES", "proposed", ["Zorbic Policy Optimization"], []) for i in (4, 5)]
    assert not _as_settled(nodes, _counted(uses + capitals))
    assert not _same(nodes, uses + capitals)
    # by one paper, it is not: the nodes stay as they are
    assert _as_settled(nodes, _counted(uses + capitals[:1]))
    assert _same(nodes, uses + capitals[:1])
    unsorted = [_Use(uses[0].key, "p6", "MENTIONS", "mentioned", ["ZPO", "Zorbic"], [])]
    assert not _as_settled(nodes, _counted(uses + unsorted))
