"""kg writes FalkorDB's query parameters itself (``kg.store.params``, compiled, for speed): the text
must stay what the installed FalkorDB client would write, so a client upgrade that changes the
format fails here, not in a build."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from kg.store.params import literal, params_header

_names = st.text(min_size=1, max_size=8).filter(lambda s: "`" not in s)
_scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20)
_values = st.recursive(_scalars, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(_names, inner, max_size=3),
                       max_leaves=12)


@settings(max_examples=300, deadline=None)
@given(_values)
def test_a_value_is_written_as_the_client_writes_it(value: Any) -> None:
    from falkordb.helpers import stringify_param_value

    assert literal(value) == stringify_param_value(value)


@settings(max_examples=100, deadline=None)
@given(st.dictionaries(_names, _values, max_size=4))
def test_the_parameter_header_is_the_clients(params: dict[str, Any]) -> None:
    from falkordb.graph import Graph

    assert params_header(params) == Graph._build_params_header(None, params)
