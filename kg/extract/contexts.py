"""How the sentences of an unannotated corpus read each name: a learned prior on whether it is a method.

One abstract may name a model bare, with nothing around it that says it is one; across a corpus
the same name sits again and again where methods sit ("outperforms X", "fine-tunes X") or where
they do not ("on X and Y", "X scores"). ``kg train`` fits a small classifier that reads only the
context of a name (the features of ``kg.extract.features`` that are not about the name itself:
not its shape, pieces, registries, corpus usage or what the rules made of it) and says how likely
that context is to hold a method, learned from the annotated listings. It then reads every name of
an unannotated corpus (``shared/corpus/hf-daily``, every annotated paper left out) and keeps, for
each name named in two papers or more, the mean of its papers' probabilities. Those means are
features of the role model (``contexts-method=4``): a name the corpus keeps reading as a method
is likelier one where this abstract says little.

The means are shipped with the role model's weights in ``roles.json``, so that the two always
agree; in cross-validation each fold builds its own from its training listings alone.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from kg.extract.shapes import norm_key

PREFIX = "contexts-"
MIN_PAPERS = 2  # one paper's contexts are what the paper's own features already read
# features about the name itself, not the words around it: the context classifier must not learn
# which names are methods, only where methods are named
_ABOUT_THE_NAME = ("shape=", "tokens=", "head=", "suffix", "hyphen", "after-hyphen=", "digit", "piece",
                   "registry=", "usage", "source=", "rules-kind=", "gazetteer", "has-long-form", "long-head=",
                   "field-word", "rule-role=", "rule=", "title-says-data", "title=", PREFIX)


def is_context(feature: str) -> bool:
    """Whether ``feature`` reads the words around a name rather than the name."""
    return not feature.startswith(_ABOUT_THE_NAME)


def _bucket(p: float) -> str:
    return str(min(int(p * 5), 4))  # fifths: 0 is under 0.2, 4 is 0.8 or more


class ContextPrior:
    """Per name key: in how many papers of the corpus it is named, and the mean probability that
    its contexts there hold a method."""

    def __init__(self, table: dict[str, tuple[int, float]]) -> None:
        self.table = table

    def features(self, forms: Iterable[str]) -> list[str]:
        """The prior of a name written as ``forms``, from its most named form."""
        table = self.table
        hits = [hit for hit in (table.get(norm_key(form)) for form in forms) if hit is not None]
        if not hits:
            return [PREFIX + "unseen"]
        papers, mean = max(hits)
        level = PREFIX + "method=" + _bucket(mean)
        return [level, level + "/papers=" + ("2-4" if papers < 5 else "5-19" if papers < 20 else "20+")]

    def to_json(self) -> dict[str, list[float]]:
        return {key: [papers, round(mean, 3)] for key, (papers, mean) in sorted(self.table.items())}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ContextPrior:
        return cls({str(key): (int(papers), float(mean)) for key, (papers, mean) in data.items()})
