"""The cue phrases of ``kg/data/cues.json``, indexed for the rules that read them.

A sentence is read word by word only for the kinds of cue its words can start: each word has a
set of classes (``PROPOSAL_CUE``, ``LINEAGE_CUE``...) as bits, read once per token.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from functools import cache
from importlib import resources
from typing import Any

from kg.extract.lexicon import DATASET_HEADS
from kg.extract.not_names import NotNames

# What a word can start or be, as bits (``Cues.word_classes``).
PROPOSAL_CUE, LINEAGE_CUE, DATASET_LIST_CUE, OURS_CUE, SURVEY_CUE, DATASET_HEAD, EVAL_WORD = (1 << k for k in range(7))


@cache
def cues() -> dict[str, list[str]]:
    """The cue phrases of ``kg/data/cues.json``."""
    data: dict[str, Any] = json.loads(resources.files("kg.data").joinpath("cues.json").read_text("utf-8"))
    return {k: v for k, v in data.items() if not k.startswith("_")}


class Phrases:
    """Cue phrases as token tuples, indexed by their first word; longest first so "built on top of"
    wins over "built on"."""

    def __init__(self, texts: Iterable[str]) -> None:
        self.by_first: dict[str, list[tuple[str, ...]]] = {}
        for phrase in sorted({tuple(t.split()) for t in texts}, key=len, reverse=True):
            self.by_first.setdefault(phrase[0], []).append(phrase)

    def at(self, words: list[str], i: int) -> int:
        """The length of the first phrase that starts at ``words[i]``, or 0."""
        for phrase in self.by_first.get(words[i], ()) if i < len(words) else ():
            if len(phrase) == 1 or tuple(words[i: i + len(phrase)]) == phrase:
                return len(phrase)
        return 0


class Cues:
    """The cue phrases as ``Phrases``, the words of each class of cue, and the forms that name no
    method or dataset (``kg.extract.not_names``)."""

    def __init__(self) -> None:
        self.not_names = NotNames()
        c = cues()
        self.propose_verbs = Phrases(c["propose_verbs"])
        self.weak_propose_verbs = Phrases(c["weak_propose_verbs"])
        self.ours = Phrases(c["ours"])
        self.naming = Phrases(c["naming"])
        self.builds_on = Phrases(c["builds_on"])
        self.builds_on_before = Phrases(c["builds_on_before"])
        self.compared_with = Phrases(c["compared_with"])
        self.use_verbs = Phrases(c["use_verbs"])
        self.comparison_words = Phrases(c["comparison_words"])
        self.dataset_list = Phrases(c["dataset_list"])
        self.eval_words = frozenset(c["eval_words"])
        self.survey_words = Phrases(c["survey_words"])
        proposal_firsts = frozenset().union(self.propose_verbs.by_first, self.weak_propose_verbs.by_first,
                                            self.naming.by_first)
        lineage_firsts = frozenset().union(self.builds_on.by_first, self.compared_with.by_first,
                                           self.builds_on_before.by_first, self.use_verbs.by_first,
                                           self.comparison_words.by_first)
        self.word_classes: dict[str, int] = {}
        for flag, words in ((PROPOSAL_CUE, proposal_firsts), (LINEAGE_CUE, lineage_firsts),
                            (DATASET_LIST_CUE, frozenset(self.dataset_list.by_first)),
                            (OURS_CUE, frozenset(self.ours.by_first)),
                            (SURVEY_CUE, frozenset(self.survey_words.by_first)),
                            (DATASET_HEAD, DATASET_HEADS), (EVAL_WORD, self.eval_words)):
            for word in words:
                self.word_classes[word] = self.word_classes.get(word, 0) | flag
