"""The rules that find what a paper proposes: ``we propose X``, ``X, a novel ...``, ``named X``, a
proposal in the passive, the paper's own thing named in a title ``X: ...``. The second layer of
``kg.extract.paper.PaperAnalysis``."""

from __future__ import annotations

from kg.extract.cues import (
    PROPOSAL_CUE,
)
from kg.extract.doc import (
    Words,
)
from kg.extract.paper_names import (
    CLAUSE_BREAK,
    OBJECT_HEADS,
    PASSIVE_PROPOSE,
    PROPOSED_DATA_HEADS,
    REGION_BREAK,
    Candidate,
    PaperNames,
)
from kg.extract.shapes import initials, is_capitalised, is_name_shaped, norm_key


class PaperProposals(PaperNames):
    """The names of a paper doc and the rules that find its proposals."""

    def _proposals(self, sent: Words) -> None:
        words = self.words
        ours = None
        after = sent.start
        for k in self._cues(sent, PROPOSAL_CUE):
            if k < after:
                continue  # inside the cue just read
            if ours is None:
                ours = self._is_ours(sent)
            n = self.cues.propose_verbs.at(words, k)
            weak = 0 if n else self.cues.weak_propose_verbs.at(words, k)
            if (n or weak) and ours and words[k + (n or weak): k + (n or weak) + 1] != ["to"]:
                self._proposal_after(sent, k, k + (n or weak), strict=bool(weak))
            naming = self.cues.naming.at(words, k)
            if naming and ours and words[k: k + 2] != ["known", "as"]:
                self._named(sent, k, k + naming)
            after = k + max(n, weak, naming, 1)
        self._appositive_subject(sent)
        self._our_thing(sent)
        self._passive(sent)

    def _region_end(self, start: int, end: int) -> int:
        j = start
        while j < end and j < start + 14 and self.words[j] not in REGION_BREAK and self.words[j] != ",":
            j += 1
        return j

    def _proposal_after(self, sent: Words, verb: int, start: int, strict: bool) -> None:
        """``we propose [a novel framework] NAME``, ``... Long Form (ACR)``, ``..., NAME, ...``."""
        end = self._region_end(start, sent.end)
        if strict and not (start < sent.end and is_name_shaped(self.texts[start])):
            return
        region = self._in(start, end)
        spelled = [c for i, c in self.long_forms.items() if start <= i < end and not (
            c.known and self._modifies_next(c.span.end + 1))]
        found = spelled[:1] or [c for c in region if self._name_ends_np(c, end) and not (
            c.known and c.text.islower())]
        paren = self.candidates.get(end + 1) if end < sent.end and self.texts[end] == "(" else None
        if paren is not None and paren.known and self._modifies_next(paren.span.end + 1):
            paren = None  # "we propose Sequential Foo Sampling (SFS) resampling algorithms": known, a modifier
        if paren is not None and paren.long is None and end > start:
            long = self._long_from_region(start, end, paren)
            if long is not None:
                paren.long = long
                self._union(paren.span.text, long.text)
        if paren is not None:
            found = [paren]
        elif not found and end < sent.end and self.texts[end] == ",":
            found = self._appositive(end + 1, sent.end)
        if not found:
            found = self._later_appositive(end, min(sent.end, end + 12))
        if not found:
            found = self._later_abbreviation(end, sent.end)
        if not found:
            run = self._title_case_run(start, end)
            if run is None and end == start + 1 and self.capitalised[start]:
                run = self.at(start, end)  # "we propose Zorb, a ...": a coined word right after the verb
            if run is not None:
                found = [Candidate(run, "method")]
                self._find(run.text)
        for c in found:
            self._propose(c, sent, start, "propose-verb")

    def _modifies_next(self, i: int) -> bool:
        """Whether token ``i`` is a lower-case word, so that the name before it is a modifier."""
        return i < self.n and self.texts[i].isalpha() and self.texts[i].islower() and self.words[i] not in (
            CLAUSE_BREAK | {"to", "and", "or", "for", "by", "with", "in", "on"})

    def _name_ends_np(self, c: Candidate, end: int) -> bool:
        """A name that is the object itself ("the Foo-Top loss"), not a modifier ("a FoE routing paradigm")."""
        if c.span.end >= end or self.texts[c.span.end] in ("(", ","):
            return True
        return ((self.words[c.span.end] in OBJECT_HEADS and c.span.end + 1 >= end)
                or self.words[c.span.end: c.span.end + 2] in (["loss", "function"], ["test", "suite"]))

    def _appositive(self, start: int, end: int) -> list[Candidate]:
        """``..., NAME, ...`` or ``..., NAME and NAME to ...`` right after a proposal's object."""
        found: list[Candidate] = []
        i = start
        while i < end:
            c = self.candidates.get(i)
            if c is None:
                if self.capitalised[i] and not self.sent_start[i] and len(found) == 0:
                    run = self._title_case_run(i, min(end, i + 6)) or self.at(i, i + 1)
                    c = Candidate(run, "method")
                    self._find(run.text)
                else:
                    break
            found.append(c)
            i = c.span.end
            if i < end and self.words[i] in ("and", ","):
                i += 1
                continue
            break
        if found and (found[-1].span.end >= end or self.words[found[-1].span.end] in
                      REGION_BREAK | {",", "(", ")", "."}):
            return found
        return []

    def _later_abbreviation(self, start: int, end: int) -> list[Candidate]:
        """``we propose a novel ... based framework (ZORBA)``: a coined short form closing the clause."""
        for i in range(start, min(end, start + 12)):
            if self.words[i] in CLAUSE_BREAK:
                return []
            c = self.candidates.get(i + 1)
            if self.words[i] == "(" and c is not None and c.long is None and not c.known and is_name_shaped(
                    c.text):
                return [c]
        return []

    def _later_appositive(self, start: int, end: int) -> list[Candidate]:
        """``we propose a model based on X, NAME, to ...``: a coined name set off by commas."""
        for i in range(start, end):
            c = self.candidates.get(i)
            if (c is not None and self.words[i - 1] == "," and is_name_shaped(c.text) and not c.known
                    and c.span.end < self.n and self.words[c.span.end] in (",", "to", ".", "which")):
                return [c]
        return []

    def _named(self, sent: Words, cue: int, start: int) -> None:
        """``named NAME``, ``called NAME``, ``which we call NAME``, ``termed f-foo``."""
        i = start
        if i < sent.end and self.words[i] in ("the", "a", "an", "as"):
            i += 1
        if i >= sent.end:
            return
        c = self._at(i)
        if c is None:
            run = self._title_case_run(i, min(sent.end, i + 8))
            text = self.texts[i]
            if run is not None:
                c = Candidate(run, "method")
            elif (text.isalpha() and text.islower()) or not any(ch.isalpha() for ch in text):
                if "-" not in text:
                    return
                c = Candidate(self.at(i, i + 1), "method")
            else:
                c = Candidate(self.at(i, i + 1), "method")
            self._find(c.text)
        context_start = max(sent.start, cue - 12)
        self._propose(c, sent, context_start, "naming-cue")

    def _our_thing(self, sent: Words) -> None:
        """``Our approach, Warm-foo RL (WFRL), ...``: our own thing, then its name."""
        words = self.words
        if "our" not in words[sent.start: sent.end]:
            return
        for i in range(sent.start, sent.end - 3):
            if words[i] == "our" and (words[i + 1] in OBJECT_HEADS or words[i + 2] in OBJECT_HEADS):
                comma = i + 2 if words[i + 1] in OBJECT_HEADS else i + 3
                if comma < sent.end and words[comma] == ",":
                    for c in self._appositive(comma + 1, sent.end):
                        self._propose(c, sent, i, "our-thing-named")

    def _passive(self, sent: Words) -> None:
        """``Foo-Adaptive Bar Shaping (FABS) is introduced``: present tense, so ours."""
        words = self.words
        for c in self._in(sent.start, sent.end):
            j = c.span.end + (3 if words[c.span.end: c.span.end + 1] == ["("] else 0) + (
                words[c.span.end: c.span.end + 1] == [")"])
            if words[j: j + 1] in (["is"], ["are"]):
                k = j + 1 + (words[j + 1] in ("further", "also", "then", "first"))
                if words[k: k + 1] and words[k] in PASSIVE_PROPOSE and not c.known:
                    self._propose(c, sent, sent.start, "passive-proposal")
            tail = words[c.span.end: c.span.end + 4]
            if tail[:1] == [")"]:
                tail = words[c.span.end + 1: c.span.end + 5]
            if tail[1:3] in (["we", "proposed"], ["we", "propose"]) and tail[0] in OBJECT_HEADS:
                self._propose(c, sent, sent.start, "name-we-proposed")

    def _appositive_subject(self, sent: Words) -> None:
        """``NAME, a novel ...`` / ``NAME is a new ...`` opening a sentence."""
        c = self.candidates.get(sent.start)
        if c is None or c.span.end + 3 > sent.end:
            return
        w = self.words[c.span.end: c.span.end + 3]
        if (w[:2] in (["is", "a"], ["is", "an"], [",", "a"], [",", "an"]) and w[2] in ("novel", "new")) or w[:3] == [
                ",", "our", "new"]:
            self._propose(c, sent, sent.start, "name-is-a-new")

    def _propose(self, c: Candidate, sent: Words, context_start: int, rule: str) -> None:
        if c.text in self.cues.not_names or norm_key(c.text) == "":
            return
        key = self._find(c.text)
        if self.defined_at.get(key, sent.start) < sent.start:
            return  # spelled out before this sentence: somebody else's
        context = set(self.words[context_start: min(sent.end, c.span.end + 8)])
        if c.kind.startswith("dataset") or context & PROPOSED_DATA_HEADS or key in self._dataset_keys:
            self._dataset_keys.add(key)
            self._emit("dataset", c, "introduced", rule + "+dataset-head", sent)
        else:
            self._emit("method", c, "proposed", rule, sent)
        self.proposal_keys.add(key)
        if c.long is not None:
            self._union(c.text, c.long.text)

    def _title_proposal(self) -> None:
        """``NAME: ...`` titles; a multi-word prefix counts when the abstract spells it out."""
        texts, title_end = self.texts, self.title_end
        if not title_end or self.survey:
            return
        colon = self.title_colon
        if colon is None and title_end > 2 and is_name_shaped(texts[0]) and self.words[1] in (
                "for", "with", "as", "in"):
            colon = 1  # "FooVLAD for set-based face recognition"
        if colon is None or colon == 0 or colon > 6:
            return
        prefix = self.at(0, colon)
        sent = self.sentences[0]
        if len(prefix) == 1:
            word = prefix.text
            if is_name_shaped(word) or word in texts[title_end:]:
                c = self.candidates.get(0) or Candidate(prefix, "method")
                self._propose(c, sent, 0, "title-name")
            return
        letters = initials(texts[:colon])
        for c in self._in(title_end, self.n):
            if len(letters) >= 2 and c.text.replace("-", "") == letters:
                self._union(c.text, prefix.text)
                if self._find(c.text) not in self.proposal_keys:
                    self._propose(c, sent, 0, "title-initials")
                return
        if self._find(prefix.text) in self.proposal_keys:
            return
        keys = {self._find(c.text) for c in self._in(title_end, self.n)}
        if self._find(prefix.text) in keys and all(is_capitalised(t) for t in texts[:colon]):
            self._propose(Candidate(prefix, "method"), sent, 0, "title-long-form")
