"""The words extraction knows: gazetteers and word lists shipped in ``kg/data``, plus user files.

Pure Python, no spaCy: the components in ``kg.extract.components`` turn these into matchers.
A gazetteer file holds one entry per line, the usual name first and variant spellings after
``" | "``; ``#`` starts a comment. In the dataset gazetteer a leading ``"? "`` marks a name that
is also a common word and needs context; in the method gazetteer a trailing ``*`` marks a model
family whose versions and sizes also match (``Zeta*``: ``Zeta-3-8B``).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

from kg.errors import InputError

# Heads of a phrase that names a way of doing something (a method), as opposed to a task, a
# metric or a thing. Used for long forms ("knowledge distillation (KD)") and capitalised runs.
METHOD_HEADS = frozenset("""
model network net learning learner machine transformer former attention distillation optimization
optimisation optimizer algorithm sampling sampler estimation estimator filter process test index
memory encoder decoder autoencoder architecture framework method approach mechanism policy
gradient regression classifier tree forest embedding routing pruning quantization tuning training
decoding search guidance alignment perceptron smoother prompting augmentation regularization
normalization propagation control descent distance divergence kernel layer unit module operator
correction corrector selection matching fusion pooling synthesis adaptation transfer replay
criterion criteria prox rule rules set sets binarization evolution inference computing
recommendation policy chain field analysis strategy system agent condensing representation
""".split())

# Heads of a long form that names a task, a measure, a domain or a thing: "question answering
# (QA)", "expected calibration error (ECE)", "cardiovascular diseases (CVDs)".
NON_METHOD_HEADS = frozenset("""
answering extraction linking classification recognition detection prediction generation
retrieval segmentation summarization parsing tagging diagnosis disease diseases processing
understanding reasoning modeling modelling completion task tasks question questions data phrase
phrases base bases graph graphs intelligence platform platforms error score rate accuracy ratio
metric metrics cache head value key entity entities environment environments diameter
benchmark benchmarks dataset datasets corpus corpora language languages domain domains
""".split())

DATASET_HEADS = frozenset("""
dataset datasets benchmark benchmarks corpus corpora suite suites testbed testbeds collection
leaderboard
""".split())

_SPACE_HYPHEN = re.compile(r"[\s\-_]+")


@dataclass(slots=True)
class Entry:
    """One gazetteer line: the name to report, every form that matches, and how it matches."""

    name: str
    forms: list[str]
    needs_context: bool = False
    family: bool = False


@dataclass(slots=True)
class Lexicon:
    """Everything the extractor looks up."""

    datasets: list[Entry] = field(default_factory=list)
    methods: list[Entry] = field(default_factory=list)


def spelling_variants(form: str) -> set[str]:
    """``Foo-10`` -> {``Foo-10``, ``Foo 10``, ``Foo10``}: the ways people write one name."""
    parts = [p for p in _SPACE_HYPHEN.split(form) if p]
    if len(parts) < 2:
        return {form}
    return {form, "-".join(parts), " ".join(parts), "".join(parts)}


def _read_lines(text: str, origin: str, required: bool = True) -> list[tuple[int, str]]:
    rows = []
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.split("#", 1)[0].strip() if raw.lstrip().startswith("#") else raw.strip()
        if line:
            rows.append((number, line))
    if not rows and required:
        raise InputError(f"{origin}: no entries")
    return rows


def parse_gazetteer(text: str, origin: str, required: bool = True) -> list[Entry]:
    """Parse gazetteer text (see the module docstring for the format); a user's file must name
    something (``required``), the shipped ones may be empty.

    Raises:
        InputError: an entry is malformed; the message names ``origin`` and the line.
    """
    entries = []
    for number, line in _read_lines(text, origin, required):
        needs_context = line.startswith("? ")
        if needs_context:
            line = line[2:]
        forms = [f.strip() for f in line.split("|")]
        if any(not f for f in forms):
            raise InputError(f"{origin}:{number}: empty name in {line!r}")
        family = any(f.endswith("*") for f in forms)
        forms = [f.rstrip("*").strip() for f in forms]
        entries.append(Entry(forms[0], forms, needs_context, family))
    return entries


def _package_text(name: str) -> str:
    return resources.files("kg.data").joinpath(name).read_text(encoding="utf-8")


def _user_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise InputError(f"{path}: cannot read gazetteer: {e}") from e


def load_lexicon(datasets: Sequence[Path] = (), methods: Sequence[Path] = ()) -> Lexicon:
    """The shipped gazetteers, extended by the user's files.

    Args:
        datasets: extra dataset gazetteer files.
        methods: extra method gazetteer files.

    Raises:
        InputError: a file cannot be read or has a malformed line.
    """
    lexicon = Lexicon(
        datasets=parse_gazetteer(_package_text("datasets.txt"), "kg/data/datasets.txt", required=False),
        methods=parse_gazetteer(_package_text("methods.txt"), "kg/data/methods.txt", required=False),
    )
    for path in datasets:
        lexicon.datasets += parse_gazetteer(_user_text(path), str(path))
    for path in methods:
        lexicon.methods += parse_gazetteer(_user_text(path), str(path))
    return lexicon


# A word written in lower case on its own, not inside a hyphenated name, a path or a version
_LOWER_WORD = re.compile(r"(?<![\w\-/.])[a-z]{2,}(?![\w\-/.])")
COMMON_WORD_MIN = 10


def count_common_words(texts: Iterable[str], min_count: int = COMMON_WORD_MIN) -> list[str]:
    """The words written in lower case at least ``min_count`` times in ``texts``: how
    ``kg/data/common_words.txt`` was made from the titles and abstracts of a corpus of real listings.
    Names are seldom written so ("fooformer"), the words of the field are ("benchmark", "network")."""
    counts = Counter(w for text in texts for w in _LOWER_WORD.findall(text))
    return sorted(w for w, n in counts.items() if n >= min_count)


@lru_cache(maxsize=1)
def common_words() -> frozenset[str]:
    """The field's common words, shipped in ``kg/data/common_words.txt``."""
    return frozenset(line for _, line in _read_lines(_package_text("common_words.txt"), "kg/data/common_words.txt"))


# The host of a web address: "https://zorb.zorbhub.io/x" -> "zorb.zorbhub.io"
_URL_HOST = re.compile(r"https?://([A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+)")
WEBSITE_MIN_PAPERS = 5


def count_websites(papers: Iterable[str], min_papers: int = WEBSITE_MIN_PAPERS) -> list[str]:
    """The websites that at least ``min_papers`` of ``papers`` (each a title and abstract) link to,
    by the name before the last dot of a link's host (``zorbhub.com`` and ``zorb.zorbhub.io``:
    ``zorbhub``), names of two letters left out (``ac.uk``): how ``kg/data/websites.txt`` was made.
    A project's own page (``zorb.zorbhub.io``) counts for the site that hosts it."""
    counts: Counter[str] = Counter()
    for text in papers:
        counts.update({name for host in _URL_HOST.findall(text) if len(name := host.lower().split(".")[-2]) > 2})
    return sorted(name for name, n in counts.items() if n >= min_papers)


@lru_cache(maxsize=1)
def websites() -> frozenset[str]:
    """The websites of ``kg/data/websites.txt``, as ``norm_key``s of their names."""
    return frozenset(line for _, line in _read_lines(_package_text("websites.txt"), "kg/data/websites.txt"))
