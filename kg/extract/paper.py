"""The rules that decide what a paper does with each name it gives.

``PaperAnalysis`` reads one paper doc, after the other components, in three layers, each a class
of its own module: ``PaperNames`` (``kg.extract.paper_names``) finds every method and dataset name
(gazetteer entries, abbreviations, name-shaped words, capitalised runs such as ``Hierarchical Foo
Memory``); ``PaperProposals`` (``kg.extract.paper_proposals``) and this module read each sentence
for the cue phrases of ``kg/data/cues.json`` around them:

* proposals: ``we propose X``, ``X, a novel ...``, ``named X``, a title ``X: ...``;
* datasets: gazetteer names, ``the X dataset``, ``experiments on X, Y and Z``; a proposal whose
  head is a dataset word is a dataset the paper introduces;
* lineage, only in sentences about the paper's own work: ``built on X``, ``compared with X``,
  ``X-based``;
* every other method name is a mention.

Every item keeps the rule and the sentence that produced it, and the other names of its thing
(``FooNet`` / ``Foo Network``), which the abbreviations and titles join.
"""

from __future__ import annotations

from bisect import bisect_left

from kg.extract.cues import (
    DATASET_LIST_CUE,
    EVAL_WORD,
    LINEAGE_CUE,
    SURVEY_CUE,
)
from kg.extract.doc import (
    Item,
    Words,
)
from kg.extract.lexicon import DATASET_HEADS
from kg.extract.paper_names import (
    GENERIC_PLURALS,
    LIST_JOIN,
    LIST_LEAD,
    WINDOW_BREAK,
    Candidate,
    is_other_head,
    like_num,
)
from kg.extract.paper_proposals import PaperProposals
from kg.extract.shapes import LINEAGE_SUFFIXES, is_name_shaped, is_score, norm_key, split_modifier


class PaperAnalysis(PaperProposals):
    """The analysis of one paper doc; ``items()`` is the result."""

    def items(self) -> list[Item]:
        self._dataset_keys = set()
        sentences = self.sentences
        self.survey = self._survey()
        for sent in sentences:
            if not self._is_title(sent) and not self.survey:
                self._proposals(sent)
        self._title_proposal()
        for sent in sentences:
            self._datasets(sent)
        for sent in sentences:
            self._lineage(sent)
        self._mentions()
        roots = [self._find(item.text) for item in self.items_]
        forms: dict[str, list[tuple[str, str]]] = {}  # the surface forms of each group
        for key, form in self.surface.items():
            forms.setdefault(self.groups.find(key), []).append((key, form))
        for item, root in zip(self.items_, roots, strict=True):
            own = norm_key(item.text)
            item.aliases = sorted((form for key, form in forms[root] if key != own), key=str.casefold)
        return self.items_

    def _survey(self) -> bool:
        words, survey_words = self.words, self.cues.survey_words
        classes = self.classes
        return any(survey_words.at(words, k) for k in range(min(len(words), 400))
                   if classes[k] & SURVEY_CUE
                   and (k < self.title_end or words[k - 1] in ("this", "a", "comprehensive")))

    def _is_method_like(self, c: Candidate) -> bool:
        return c.kind in ("method", "other") and self._find(c.text) not in self._dataset_keys

    def _datasets(self, sent: Words) -> None:
        words = self.words
        evaluating = bool(self.sentence_classes[sent.start] & EVAL_WORD)
        for c in self._in(sent.start, sent.end):
            if c.kind == "dataset" and self._find(c.text) not in self.proposal_keys:
                self._dataset(c.span, sent, "gazetteer" if c.known else "abbreviation+dataset-head")
            elif (c.span.end < self.n and words[c.span.end] in DATASET_HEADS and c.kind != "method") or (
                    c.kind == "dataset?" and self._near_dataset_head(c)):
                self._dataset(c.span, sent, "name+dataset-head")
        if self._is_title(sent):
            return  # every title word is capitalised: no lists, no "X dataset" runs
        after = sent.start
        for k in self._cues(sent, DATASET_LIST_CUE):
            if k >= after:
                n = self.cues.dataset_list.at(words, k)
                if n:
                    self._dataset_list(sent, k, k + n, evaluating)
                after = k + max(n, 1)
        # "the Visual Foo dataset", "two publicly available datasets, FOO-QA and BarQA"
        heads = self.dataset_heads
        for i in heads[bisect_left(heads, sent.start): bisect_left(heads, sent.end)]:
            if words[i + 1: i + 2] in ([","], [":"]):
                self._dataset_list(sent, i + 1, i + 2, evaluating)
            if i > sent.start:
                run = self._run_before(i, sent.start)
                if run is not None:
                    self._dataset(run, sent, "name+dataset-head")

    def _near_dataset_head(self, c: Candidate) -> bool:
        window = self.words[max(0, c.span.start - 3): c.span.end + 2]
        return bool(set(window) & DATASET_HEADS)

    def _run_before(self, head: int, floor: int) -> Words | None:
        texts = self.texts
        j = head
        while j - 1 >= floor and (self.capitalised[j - 1] or (like_num(texts[j - 1]) and j < head)) and not (
                self.sent_start[j - 1] and not is_name_shaped(texts[j - 1])):
            j -= 1
        while j < head and like_num(texts[j]):
            j += 1
        if j == head or head - j > 4:
            return None
        # "Smith Question Answering Dataset (SmQuAD)": a capitalised head is part of the name
        span = self.at(j, head + 1) if texts[head][:1].isupper() else self.at(j, head)
        c = self.candidates.get(j)
        if c is not None and c.kind == "method" and c.known:
            return None
        return span

    def _dataset_list(self, sent: Words, cue: int, start: int, evaluating: bool) -> None:
        """``experiments on FooQA, BarQSP, and Baz Pro``; ``datasets (FooRED, BCR, and QDA)``."""
        words, texts = self.words, self.texts
        head_before = bool(set(words[max(sent.start, cue - 3): cue]) & DATASET_HEADS)
        i = start
        while i < sent.end and words[i] in LIST_LEAD:
            head_before = head_before or words[i] in DATASET_HEADS
            i += 1
        items: list[Words] = []
        while i < sent.end:
            j = i
            while j < sent.end and j - i < 4 and (self.capitalised[j] or is_name_shaped(texts[j]) or (
                    j > i and ((like_num(texts[j]) and not is_score(texts[j])) or texts[j] == "-"))):
                j += 1
            if j == i:
                break
            items.append(self.at(i, j))
            i = j
            if i < sent.end and words[i] in LIST_JOIN:
                i += 1
                if i < sent.end and words[i] in ("and", "or"):
                    i += 1
                continue
            break
        head_after = i < sent.end and words[i] in DATASET_HEADS
        if not items or not (head_before or head_after or (evaluating and len(items) >= 2)):
            return
        if i < sent.end and texts[i - 1] not in LIST_JOIN and is_other_head(words[i]):
            return  # "such as forward-KL and Jensen-Shannon divergences": names of something else
        for span in items:
            c = self.candidates.get(span.start)
            if c is not None and c.span.end == span.end and c.kind == "method" and (c.known or c.long is not None):
                continue
            if self._find(span.text) in self.proposal_keys or span.text in self.cues.not_names:
                continue
            if len(span) == 1 and not is_name_shaped(span.text) and span.start == sent.start:
                continue
            self._dataset(span, sent, "dataset-list", after_head=head_before)

    def _dataset(self, span: Words, sent: Words, rule: str, after_head: bool = False) -> None:
        """Record a dataset the paper uses. ``after_head``: the text named it after "datasets"."""
        key = self._find(span.text)
        if key in self._dataset_keys or key in self.proposal_keys or span.text in self.cues.not_names:
            return
        if self.defined_as.get(key, "dataset") != "dataset" and not after_head:
            return  # "Foo Question Answering (FQA)", "FQA datasets": the task, not a dataset
        self._dataset_keys.add(key)
        self._emit("dataset", span, "evaluated_on", rule, sent)

    def _lineage(self, sent: Words) -> None:
        if not self._is_ours(sent):
            return
        words = self.words
        after = sent.start
        for k in self._cues(sent, LINEAGE_CUE):
            if k < after:
                continue
            n = self.cues.builds_on.at(words, k)
            if n and not (words[k] == "based" and k > 0 and words[k - 1] in self.cues.eval_words):
                self._targets(sent, k + n, "builds_on", "builds-on-cue")
            m = 0 if n else self.cues.compared_with.at(words, k)
            if m and (words[k] != "against" or self._comparison_context(k)):
                self._targets(sent, k + m, "compared_with", "compared-with-cue")
            b = 0 if n or m else self.cues.builds_on_before.at(words, k)
            if b:
                for c in self._in(max(sent.start, k - 12), k):
                    self._lineage_target(c, sent, "builds_on", "special-case-cue")
            after = k + max(n, m, b, 1)
        for i in self.starts[bisect_left(self.starts, sent.start): bisect_left(self.starts, sent.end)]:
            stem, suffix = split_modifier(self.texts[i])
            styled = self.candidates[i]
            if suffix in LINEAGE_SUFFIXES and is_name_shaped(stem):
                self._lineage_target(styled, sent, "builds_on", f"{suffix}-suffix")

    def _comparison_context(self, k: int) -> bool:
        return bool(set(self.words[max(0, k - 6): k]) & {"superiority", "compare", "compared", "evaluate",
                                                          "benchmark", "outperforms", "advantage"})

    def _targets(self, sent: Words, start: int, role: str, rule: str) -> None:
        words = self.words
        end = start
        while end < sent.end and end < start + 25 and (words[end] not in WINDOW_BREAK or (words[end] == "on" and
                                                         words[end - 1: end + 2] == ["top", "on", "of"])):
            if words[end] == "," and self._clause_after_comma(end + 1):
                break
            end += 1
        window = [c for c in self._in(start, end) if self._is_method_like(c)]
        first = start + (words[start: start + 1] == ["the"])
        texts = self.texts
        if (first + 1 < end and first not in self.candidates and self.capitalised[first]
                and not is_name_shaped(texts[first])
                and (not texts[first + 1].isalpha() or words[first + 1] in ("and", "or"))):
            window.insert(0, Candidate(self.at(first, first + 1), "method"))  # "compared to Foofusion"
        named = [c for c in window if not (c.known and c.text.islower())]
        for c in named or window:
            if c.span.end < self.n and words[c.span.end] in GENERIC_PLURALS and c.text == c.span.text:
                continue  # "various KD baselines": a kind of method, not one
            self._lineage_target(c, sent, role, rule)

    def _clause_after_comma(self, i: int) -> bool:
        """After "Built on the FOO framework," a new clause starts; after "X, Y and Z" a list goes on."""
        c = self.candidates.get(i)
        if c is None:
            return self.words[i: i + 1] not in (["and"], ["or"], ["the"], ["as"])
        return self._find(c.text) in self.proposal_keys

    def _lineage_target(self, c: Candidate, sent: Words, role: str, rule: str) -> None:
        key = self._find(c.text)
        if key in self.proposal_keys or key in self._dataset_keys or c.kind == "other":
            return
        self._emit("method", c, role, rule, sent)

    def _mentions(self) -> None:
        roled = {self._find(i.text) for i in self.items_}
        for c in self._in(0, self.n):
            key = self._find(c.text)
            if key in roled or c.kind != "method" or self.defined_as.get(key, "method") != "method":
                continue
            roled.add(key)
            rule = "name" if not c.known else "gazetteer"
            self._emit("method", c, "mentioned", rule, self._sentence_of(c.span.start))
