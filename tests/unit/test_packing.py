"""Abstracts as the embedded store keeps them (``kg.store.packing``): every text comes back as it
went in, the stored form is shorter for an abstract, and the dictionary holds no name."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from importlib import resources

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kg.errors import StoreError
from kg.extract.lexicon import common_words
from kg.store.packing import (
    DICTIONARY,
    DICTIONARY_BYTES,
    PREFIX,
    _dictionary,
    _plain_word,
    common_phrases,
    pack,
    unpack,
    unpack_values,
)

ABSTRACT = ("Large language models have shown strong results on many tasks, but their training remains costly. "
            "In this paper, we propose Zorbit, a simple and efficient method for learning from limited data. "
            "Extensive experiments on several benchmarks demonstrate that our approach outperforms existing "
            "methods while reducing the computational cost, and we release the code to the community.")


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=3000))
def test_any_text_comes_back_as_it_went_in(text: str) -> None:
    assert unpack(pack(text)) == text


def test_an_abstract_is_kept_in_half_its_length_or_less_and_a_short_text_as_it_is() -> None:
    assert len(pack(ABSTRACT)) <= len(ABSTRACT) / 2
    assert pack("About lanterns.") == "About lanterns."
    assert unpack("About lanterns.") == "About lanterns."  # a graph written before, or by hand


def test_a_text_that_looks_packed_is_packed_so_that_reading_it_back_is_not_ambiguous() -> None:
    text = PREFIX + "abc"
    assert pack(text) != text and unpack(pack(text)) == text


@pytest.mark.parametrize("damage", [lambda p: p[:-12], lambda p: p[:10] + "!" + p[11:],
                                    lambda p: PREFIX + "not packed at all"])
def test_a_damaged_packed_string_is_an_error_that_says_so_not_garbled_text(damage: Callable[[str], str]) -> None:
    with pytest.raises(StoreError, match="packed-text prefix"):
        unpack(damage(pack(ABSTRACT)))


def test_packed_strings_are_unpacked_wherever_they_sit_in_a_row() -> None:
    packed = pack(ABSTRACT)
    row = {"a": packed, "list": [packed, 1, None, ["x", packed]], "map": {"abstract": packed, "n": 2}}
    assert unpack_values(row) == {"a": ABSTRACT, "list": [ABSTRACT, 1, None, ["x", ABSTRACT]],
                                  "map": {"abstract": ABSTRACT, "n": 2}}


def test_the_dictionary_is_the_one_graphs_were_written_with() -> None:
    """A graph's abstracts can only be read with the dictionary they were packed with: a change to
    the file needs a new prefix, and the old dictionary kept beside it (kg.store.packing)."""
    text = resources.files("kg.data").joinpath(DICTIONARY).read_bytes()
    assert hashlib.sha256(text).hexdigest() == "6b849811b3862002622868e4ef387c9f641c7b5d0d3f963c9814bd1fab17e820"
    assert len(_dictionary()) == DICTIONARY_BYTES


def test_the_dictionary_holds_common_words_of_the_field_and_no_name() -> None:
    common = common_words()
    text = resources.files("kg.data").joinpath(DICTIONARY).read_text("utf-8")
    phrases = [line for line in text.splitlines() if line and not line.startswith("#")]
    assert phrases and all(_plain_word(word, common) for phrase in phrases for word in phrase.split(" "))


def test_phrases_are_the_common_ones_made_of_common_words_rarest_first() -> None:
    common = frozenset({"we", "propose", "a", "method", "for", "sorting", "lists"})
    abstracts = ["We propose a method for sorting lists with Zorbit."] * 30 + ["We propose Quanta."] * 10
    phrases = common_phrases(abstracts, common)
    assert "We propose a method for sorting" in phrases
    assert not any("Zorbit" in p or "Quanta" in p for p in phrases)
    # written 40 times, the commonest, so last: nearest the text deflate packs
    assert set(phrases[-2:]) == {"We propose", "propose"}
