"""How a corpus of unannotated listings uses each name: evidence of what kind of thing it is.

One abstract may name a benchmark with no word around it that says so; across many papers the
same name is written "X benchmark" and evaluated "on X" again and again, and a method is written
"X model". ``kg/data/name_usage.tsv`` counts, for every name kg's candidate finder reads in the
titles and abstracts of a corpus of listings, in how many papers it is named and in how many of
them a mention is followed by a dataset head word ("benchmark", "corpus"), followed by a method
head word ("model", "framework"), or comes after "on"/"across". The role model reads the shares
as features of a name (``usage-data=high``); they decide nothing alone.

The shipped table is read from ``shared/corpus/hf-daily`` (real daily-papers listings) with every
annotated paper left out, so that cross-validation measures what the table adds to text it has
not seen. ``python -m kg.extract.usage`` rebuilds it; no annotation is read but the titles to
leave out.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable, Iterator, Sequence
from functools import lru_cache
from importlib import resources
from pathlib import Path

from kg.extract.lexicon import DATASET_HEADS, METHOD_HEADS
from kg.extract.shapes import norm_key

MIN_PAPERS = 2  # a name named in fewer papers says nothing of how the field uses it
_BEFORE = frozenset({"on", "across"})
_COLUMNS = ("papers", "data", "method", "on")


@lru_cache(maxsize=1)
def _table() -> dict[str, tuple[int, int, int, int]]:
    text = resources.files("kg.data").joinpath("name_usage.tsv").read_text("utf-8")
    table = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            key, *counts = line.split("\t")
            papers, data, method, on = (int(c) for c in counts)
            table[key] = (papers, data, method, on)
    return table


def papers_naming(key: str) -> int:
    """In how many papers of the corpus the name ``key`` (a ``norm_key``) is named; 0 under ``MIN_PAPERS``."""
    counts = _table().get(key)
    return 0 if counts is None else counts[0]


def _share(count: int, papers: int) -> str:
    if count == 0:
        return "0"
    share = count / papers
    return "low" if share < 0.2 else "mid" if share < 0.5 else "high"


def usage_features(forms: Iterable[str]) -> list[str]:
    """The corpus's evidence on a name written as ``forms``: read from its most used form."""
    table = _table()
    counts = max((table.get(norm_key(form), (0, 0, 0, 0)) for form in forms), key=lambda c: c[0], default=None)
    if counts is None or counts[0] < MIN_PAPERS:
        return ["usage-unseen"]
    papers, data, method, on = counts
    return ["usage-papers=" + ("2-4" if papers < 5 else "5-19" if papers < 20 else "20+"),
            "usage-data=" + _share(data, papers), "usage-method=" + _share(method, papers),
            "usage-on=" + _share(on, papers)]


# --- making kg/data/name_usage.tsv --------------------------------------------------------------

def annotated_titles(gold_dirs: Iterable[Path]) -> set[str]:
    """The title keys of every paper annotated in ``gold_dirs`` (``*.annot.json``, any depth)."""
    titles = set()
    for folder in gold_dirs:
        for path in sorted(folder.rglob("*.annot.json")):
            titles |= {norm_key(paper["title"]) for paper in json.loads(path.read_text("utf-8"))}
    return titles


def count_usage(listings: Iterable[Path], leave_out: set[str]) -> tuple[dict[str, list[int]], int]:
    """Per name key, [papers, followed by a dataset head, by a method head, after "on"], over the
    papers of ``listings`` whose title key is not in ``leave_out``; and how many papers were read."""
    from kg.extract.annotate import Extractor, text_of
    from kg.extract.candidates import find_candidates
    from kg.extract.doc import ANALYSIS, extension_values
    from kg.parse import read_listing

    nlp = Extractor(rules_only=True).nlp
    counts: dict[str, list[int]] = {}
    read = 0
    for path in listings:
        for paper in read_listing(path).papers:
            if norm_key(paper.title) in leave_out or not paper.abstract:
                continue
            read += 1
            analysis = extension_values(nlp(text_of(paper)))[ANALYSIS]
            words = analysis.words
            for group in find_candidates(analysis):
                after = {words[end].lower() for _start, end in group.mentions if end < len(words)}
                before = {words[start - 1].lower() for start, _end in group.mentions if start > 0}
                seen = (1, bool(after & DATASET_HEADS), bool(after & METHOD_HEADS), bool(before & _BEFORE))
                for key in {norm_key(form) for form in group.forms} - {""}:
                    row = counts.setdefault(key, [0, 0, 0, 0])
                    for i, x in enumerate(seen):
                        row[i] += x
    return counts, read


def _rows(counts: dict[str, list[int]]) -> Iterator[str]:
    for key in sorted(counts):
        if counts[key][0] >= MIN_PAPERS:
            yield "\t".join([key, *(str(c) for c in counts[key])])


def main(argv: Sequence[str] | None = None) -> int:
    shipped = Path(str(resources.files("kg.data").joinpath("name_usage.tsv")))
    parser = argparse.ArgumentParser(
        prog="python -m kg.extract.usage",
        description="Rebuild kg/data/name_usage.tsv: how a corpus of listings uses each name (about 15 s for "
                    "the 9,603 papers of shared/corpus/hf-daily).")
    parser.add_argument("--corpus", type=Path, default=Path("../shared/corpus/hf-daily"),
                        help="a folder of listings (default: ../shared/corpus/hf-daily)")
    parser.add_argument("--leave-out", type=Path, action="append", default=None,
                        help="a folder of gold annotations (*.annot.json, any depth) whose papers are not read, so "
                             "that cross-validation stays honest; may be repeated (default: ../shared/gold)")
    parser.add_argument("--out", type=Path, default=shipped, help=f"the table to write (default: {shipped})")
    args = parser.parse_args(argv)
    listings = sorted(args.corpus.glob("*.txt"))
    if not listings:
        print(f"{args.corpus}: no listings (*.txt) there", file=sys.stderr)
        return 2
    gold_dirs = args.leave_out or [Path("../shared/gold")]
    missing = [d for d in gold_dirs if not d.is_dir()]
    if missing:  # reading them anyway would count the annotated papers and flatter cross-validation
        print(f"{missing[0]}: no such folder of gold annotations to leave out (--leave-out)", file=sys.stderr)
        return 2
    leave_out = annotated_titles(gold_dirs)
    counts, read = count_usage(listings, leave_out)
    header = [
        f"# How the listings of {args.corpus.name} use each name (kg.extract.usage): the papers naming it, and of",
        "# those, how many follow it with a dataset head word, with a method head word, or put it after on/across.",
        f"# Made by `python -m kg.extract.usage` from {len(listings):,} listings, {read:,} papers read; left out: the",
        f"# papers annotated in {', '.join(map(str, gold_dirs))}, and names in fewer than {MIN_PAPERS} papers.",
        "# key<TAB>" + "<TAB>".join(_COLUMNS),
    ]
    rows = list(_rows(counts))
    args.out.write_text("\n".join([*header, *rows]) + "\n", encoding="utf-8")
    print(f"{args.out}: {len(rows):,} names from {read:,} papers ({len(leave_out):,} annotated titles left out)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
