"""Abstracts kept deflated in the embedded store, and given back as text by every read.

The embedded store holds the whole graph in memory, and abstracts are most of a paper's bytes (a
million papers: about 1 GB of the graph's 3.4 GB). Deflated with a preset dictionary of the
field's commonest phrases and written in base64, an abstract takes less than half its length.
``pack`` is applied by the loader to what it writes to a store that asks for it (the embedded one);
``unpack`` is applied by both stores to every string they read, so queries, exports, the Python
API and a later build's folding of two listings see the text. A string that does not start with
``PREFIX`` is given back as it is, which is how graphs written before (and anything a user wrote
with ``kg cypher --write``) are read. Cypher run inside the store sees the packed form:
``p.abstract CONTAINS 'x'`` finds nothing there (``kg cypher`` says so when a statement tries).

The dictionary, ``kg/data/abstract_phrases.txt``, is part of the stored form: a graph written
with it can only be read with it, so it never changes. A new dictionary would ship under a new
prefix beside it. ``python -m kg.store.packing`` shows how it was made, from the words of
``kg/data/common_words.txt`` only, so no name is in it.
"""

from __future__ import annotations

import base64
import sys
import zlib
from collections import Counter
from collections.abc import Iterable, Sequence
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from kg.errors import StoreError

# A control character no listing text starts with, then the dictionary's version. A text that
# does start with it is packed whatever its length, so that reading it back is never ambiguous.
PREFIX = "\x1fz1"
DICTIONARY = "abstract_phrases.txt"
DICTIONARY_BYTES = 32_768  # deflate's window: a dictionary reaches no further back than this
# Level 5 and a memory level of 6: nearly the smallest size, at about half the time of the smallest
# (the compressor is copied for each abstract, and a smaller state copies faster); the levels tried
# are in docs/performance.md, "Abstracts deflated in the store".
LEVEL, MEMORY_LEVEL, WINDOW_BITS = 5, 6, -15  # negative bits: raw deflate, no header or checksum
MIN_PHRASE_COUNT = 20
MAX_PHRASE_WORDS = 6


@lru_cache(maxsize=1)
def _dictionary() -> bytes:
    text = resources.files("kg.data").joinpath(DICTIONARY).read_text("utf-8")
    return dictionary_bytes(line for line in text.splitlines() if line and not line.startswith("#"))


def dictionary_bytes(phrases: Iterable[str]) -> bytes:
    """The preset dictionary of ``phrases`` (rarest first): deflate finds the commonest nearest."""
    return (" ".join(phrases) + " ").encode("utf-8")[-DICTIONARY_BYTES:]


@lru_cache(maxsize=1)
def _primed() -> Any:
    """A compressor with the dictionary read: copying it is cheaper than reading it again."""
    return zlib.compressobj(LEVEL, zlib.DEFLATED, WINDOW_BITS, MEMORY_LEVEL, zlib.Z_DEFAULT_STRATEGY, _dictionary())


def pack(text: str) -> str:
    """``text`` as the embedded store keeps it: deflated when that is shorter."""
    compressor = _primed().copy()
    packed = PREFIX + base64.b64encode(compressor.compress(text.encode("utf-8")) + compressor.flush()).decode("ascii")
    return packed if len(packed) < len(text) or text.startswith(PREFIX) else text


def unpack(value: str) -> str:
    """The text of a stored string, packed or not."""
    if not value.startswith(PREFIX):
        return value
    inflater = zlib.decompressobj(WINDOW_BITS, _dictionary())
    try:
        raw = inflater.decompress(base64.b64decode(value[len(PREFIX):], validate=True)) + inflater.flush()
        if not inflater.eof:
            raise zlib.error("the deflated stream is cut short")
        return raw.decode("utf-8")
    except (ValueError, zlib.error) as e:  # binascii.Error and UnicodeDecodeError are ValueErrors
        # Only a string damaged in the store (or one written by hand with the prefix) gets here:
        # say what it is rather than give back bytes that would pass for an abstract.
        raise StoreError(f"a stored string starts with kg's packed-text prefix but is not packed text "
                         f"({e}): {value[:60]!r}") from e


def unpack_values(value: Any) -> Any:
    """``value`` with every packed string in it unpacked, through lists and dicts (a row, a map,
    the properties of a node the client read)."""
    if isinstance(value, str):
        return unpack(value) if value.startswith(PREFIX) else value
    if isinstance(value, list):
        return [unpack_values(v) for v in value]
    if isinstance(value, dict):
        return {k: unpack_values(v) for k, v in value.items()}
    properties = getattr(value, "properties", None)  # a node or a relationship of the FalkorDB client
    if isinstance(properties, dict):
        value.properties = unpack_values(properties)
    nodes = getattr(value, "_nodes", None)  # a path
    if isinstance(nodes, list):
        for item in [*nodes, *getattr(value, "_edges", [])]:
            unpack_values(item)
    return value


# --- how kg/data/abstract_phrases.txt was made ----------------------------------------------------

def _plain_word(word: str, common: frozenset[str]) -> bool:
    core = word.strip(".,;:()\"'")
    if not core or core.isdigit():
        return True
    return core.lower() in common and (core.islower() or (core[0].isupper() and core[1:].islower()))


def common_phrases(abstracts: Iterable[str], common: frozenset[str]) -> list[str]:
    """The phrases of one to ``MAX_PHRASE_WORDS`` words, each a common word of the field (or a
    number, with its punctuation), written ``MIN_PHRASE_COUNT`` times or more in ``abstracts``:
    the most bytes that deflate can take from the dictionary first, until it is full, then
    ordered rarest first."""
    counts: Counter[str] = Counter()
    for text in abstracts:
        words = text.split(" ")
        plain = [_plain_word(w, common) for w in words]
        for n in range(1, MAX_PHRASE_WORDS + 1):
            for i in range(len(words) - n + 1):
                if all(plain[i:i + n]):
                    counts[" ".join(words[i:i + n])] += 1
    ranked = sorted((p for p, c in counts.items() if c >= MIN_PHRASE_COUNT and len(p) >= 4),
                    key=lambda p: (-counts[p] * len(p), p))
    chosen, size = [], 0
    for phrase in ranked:
        if size + len(phrase.encode("utf-8")) + 1 > DICTIONARY_BYTES:
            break
        chosen.append(phrase)
        size += len(phrase.encode("utf-8")) + 1
    return sorted(chosen, key=lambda p: (counts[p], p))


def main(argv: Sequence[str] | None = None) -> int:
    import argparse

    from kg.extract.lexicon import common_words
    from kg.parse import read_listing

    parser = argparse.ArgumentParser(
        prog="python -m kg.store.packing",
        description="Make a preset dictionary for the abstracts the embedded store keeps deflated. The shipped "
                    f"one (kg/data/{DICTIONARY}) is part of the stored form and never changes: this shows how it "
                    "was made, and makes one for a new prefix.")
    parser.add_argument("--corpus", type=Path, default=Path("../shared/corpus/hf-daily"),
                        help="a folder of listings (default: ../shared/corpus/hf-daily)")
    parser.add_argument("--out", type=Path, required=True, help="the file to write")
    args = parser.parse_args(argv)
    listings = sorted(args.corpus.glob("*.txt"))
    if not listings:
        print(f"{args.corpus}: no listings (*.txt) there", file=sys.stderr)
        return 2
    abstracts = [p.abstract for path in listings for p in read_listing(path).papers if p.abstract]
    phrases = common_phrases(abstracts, common_words())
    header = [
        "# The preset dictionary of the abstracts the embedded store keeps deflated (kg.store.packing): the phrases",
        f"# of common words (kg/data/common_words.txt) written {MIN_PHRASE_COUNT} times or more in the "
        f"{len(abstracts):,} abstracts of {args.corpus.name},",
        "# rarest first, one a line. Made by `python -m kg.store.packing`. Part of the stored form: never edit it.",
    ]
    args.out.write_text("\n".join([*header, *phrases]) + "\n", encoding="utf-8")
    print(f"{args.out}: {len(phrases):,} phrases, {len(dictionary_bytes(phrases)):,} bytes", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
