"""Features: what the text says around each name group, as strings a linear model weighs.

Every feature is a string (``L1=than``, ``shape=ACRONYM``); a group's features are the union over
the places it is named. Names never become features themselves, only their shape, the pieces
they are made of that are common words of the field (or clippings of one), and what public
registries call them (``kg.extract.registries``) and how a corpus of unannotated listings uses
them (``kg.extract.usage``): a model that learned names would know the
training listings, not the language. Words shaped like names in the context read as ``<NAME>``,
numbers as ``<NUM>``.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from functools import lru_cache

from spacy.lang.en.stop_words import STOP_WORDS

from kg.extract.candidates import NameGroup
from kg.extract.cues import DATASET_LIST_CUE, LINEAGE_CUE, PROPOSAL_CUE
from kg.extract.lexicon import DATASET_HEADS, common_words
from kg.extract.model import SENTENCE_CUES
from kg.extract.paper import PaperAnalysis
from kg.extract.registries import registered_kinds
from kg.extract.shapes import is_lower_case_name, is_name_shaped, kept, norm_key
from kg.extract.usage import usage_features

_WINDOW = 3  # the words right before and after a name, by distance
_CLAUSE = 10  # the words of its clause, as a bag, either side
_CLAUSE_BREAK = frozenset({".", ";", "!", "?", ":"})
_LIST_JOIN = frozenset({",", "and", "or", "/", "&"})
# A release number inside a list of names ("A 2.0, B 3.1 and C"), which the list goes on through
_RELEASE = re.compile(r"^[vV]?\d+(?:\.\d+)+$|^[vV]\d+$")
_OURS = frozenset({"we", "our", "ours", "us"})
_STEM = re.compile(r"[a-z]+")  # the letters a name key starts with: "zorbnet" of "zorbnet2"
# what says a name names a method, read together with its kinship to the paper's own names
_METHOD_SIGNS = ("shape=", "registry=", "usage-method=")


_CLASSES: dict[str, str] = {}  # the class of every word met, started again when full


def _class_of(text: str, lower: str) -> str:
    cls = _CLASSES.get(text)
    return kept(_CLASSES, text, _word_class(text, lower)) if cls is None else cls


class _Tags:
    """The features one prefix makes of word classes (``LB=`` + ``than``), each made once: the
    same few thousand classes recur in every paper, and a string kept is hashed once."""

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix
        self.made: dict[str, str] = {}


def _tagged(tags: _Tags, word: str) -> str:
    made = tags.made.get(word)
    return kept(tags.made, word, tags.prefix + word) if made is None else made


_LEFT = [_Tags(f"L{d}=") for d in range(1, _WINDOW + 1)]
_RIGHT = [_Tags(f"R{d}=") for d in range(1, _WINDOW + 1)]
_CLAUSE_LEFT = _Tags("LB=")
_CLAUSE_RIGHT = _Tags("RB=")


def _word_class(text: str, lower: str) -> str:
    if is_name_shaped(text):
        return "<NAME>"
    if any(ch.isdigit() for ch in text):
        return "<NUM>"
    if text[:1].isupper() and lower not in STOP_WORDS:
        return "<CAP>"  # a capitalised word that is not a common one may be a name: never a feature
    if lower[:1].isalpha() and lower not in STOP_WORDS and not _common(lower):
        return "<RARE>"  # a coined word in lower case ("foonet-lite") is a name too
    return lower


def _common(word: str) -> bool:
    """Whether a lower-case word is a common word of the field, or made of them with hyphens
    ("plug-and-play"): only such words become features, so no name of the training text does."""
    common = common_words()
    return word in common or all(part in common or part in STOP_WORDS for part in word.split("-") if part)


# "Pass@1", "nDCG@10", "mAP@0.5", "Recall@k": what a metric scores, at what rank or threshold
_AT_CUTOFF = re.compile(r"[^\s@]+@(?:\d+(?:\.\d+)?|[kKnN])")


def _shape(form: str) -> str:
    tokens = form.split()
    if len(tokens) > 1:
        if all(t[:1].isupper() or not t[:1].isalpha() or is_lower_case_name(t) for t in tokens):
            return "TITLE-RUN"
        if form.islower():
            return "LOWER-PHRASE"
        return "MIXED-PHRASE"
    if _AT_CUTOFF.fullmatch(form):  # a score at a cut-off: a metric, though shaped like a name
        return "AT-CUTOFF"
    letters = [ch for ch in form if ch.isalpha()]
    if letters and all(ch.isupper() for ch in letters):
        return "ACRONYM" if not any(ch.isdigit() for ch in form) else "ACRONYM-DIGIT"
    if is_name_shaped(form) or is_lower_case_name(form):
        return "CODED-DIGIT" if any(ch.isdigit() for ch in form) else "CAMEL"
    if form[:1].isupper():
        return "CAPITALISED"
    return "LOWER"


# The pieces of a name: "FooBench-2K" -> Foo, Bench, 2K; "ZZEval" -> ZZ, Eval; "Zeta3-8B" -> Zeta, 3, 8B
_PIECE = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|\d+(?:\.\d+)?[A-Za-z]?")
_SIZE = re.compile(r"\d+(?:\.\d+)?[bBmM]")  # 7B, 1.5B, 350M: a model's size
_THOUSANDS = re.compile(r"\d+[kK]")  # 1K, 22K: a dataset's size, or a context length


def _piece_class(piece: str, common: frozenset[str]) -> str:
    """A piece of a name as a feature: a common word of the field as itself, the start of one as
    the shortest word it starts (``Bench`` as ``~benchmark``, ``Eval`` as ``~evaluate``: names
    are coined from clipped words), anything else by shape."""
    if piece[0].isdigit():
        return "<SIZE>" if _SIZE.fullmatch(piece) else "<K>" if _THOUSANDS.fullmatch(piece) else "<NUM>"
    low = piece.lower()
    if low in common:
        return low
    if len(low) >= 4 and not piece.isupper():  # an acronym clips no word
        words = _sorted_common_words()
        at = end = bisect_left(words, low)  # the words it starts follow it in sorted order
        while end < len(words) and words[end].startswith(low):
            end += 1
        if end > at:
            return "~" + min(words[at:end], key=lambda w: (len(w), w))
    return "<ACR>" if piece.isupper() else "<W>"


@lru_cache(maxsize=1)
def _common_endings() -> frozenset[str]:
    """The last three and four letters of the field's common words of five letters or more: how a
    coined name ends that says what it is ("-former", "-tion"), and never the acronym or clipped
    name a longer name ends in."""
    return frozenset(w[-n:] for w in common_words() if len(w) >= 5 and w.isalpha() for n in (3, 4))


@lru_cache(maxsize=1)
def _sorted_common_words() -> list[str]:
    return sorted(common_words())


def _pieces(name: str) -> list[str]:
    """What a name is made of, piece by piece, for the features: the word a coined name ends in
    tells what it names (a FooBench is a benchmark, a FooNet a network), a size what kind of model
    it is, and none of the pieces that are not common words of the field becomes a feature."""
    common = common_words()
    classes = [_piece_class(p, common) for p in _PIECE.findall(name)]
    if not classes:
        return []
    return [*("piece=" + c for c in classes), "piece-first=" + classes[0], "piece-last=" + classes[-1]]


def _bucket(n: int, *bounds: int) -> str:
    for b in bounds:
        if n <= b:
            return str(b)
    return f">{bounds[-1]}"


_NAMED: dict[tuple[str, tuple[str, ...]], tuple[str, ...]] = {}  # by name and forms, started again when full
_MAX_NAMED = 1 << 14


def _name_features(name: str, forms: tuple[str, ...]) -> tuple[str, ...]:
    """The features of a name's own make: its shape, length, head word, pieces, and what the
    registries and the corpus call its forms. A corpus names the same things again and again, and
    these are the dearest features to work out (the registries try every form without its version),
    so each name's are kept."""
    key = (name, forms)
    found = _NAMED.get(key)
    return kept(_NAMED, key, tuple(_make_of(name, forms)), _MAX_NAMED) if found is None else found


def _make_of(name: str, forms: tuple[str, ...]) -> list[str]:
    f = ["shape=" + _shape(name)]  # first: ``of`` reads the shape back
    tokens = name.split()
    f.append("tokens=" + _bucket(len(tokens), 1, 2, 3))
    head = tokens[-1].lower()
    if tokens[-1].isalpha() and tokens[-1].islower() and _common(head):
        f.append("head=" + head)
    if len(head) >= 7 and head.isalpha():  # the end of a longer word, never a whole short name
        endings = _common_endings()
        if head[-4:] in endings:
            f.append("suffix=" + head[-4:])
        if head[-3:] in endings:
            f.append("suffix3=" + head[-3:])
    if "-" in name:
        f.append("hyphen")
        part = name.rsplit("-", 1)[1].lower()
        if part.isalpha() and _common(part):
            f.append("after-hyphen=" + part)
    if any(ch.isdigit() for ch in name):
        f.append("digit")
    f += _pieces(name)
    f += ["registry=" + kind for kind in sorted(registered_kinds(forms))]
    f += usage_features(forms)
    return f


def _is_own(g: NameGroup) -> bool:
    """Whether the rules found ``g`` to be one of the paper's own names."""
    return any(role == "proposed" for _k, role, _r in g.rule_roles)


def _stem(key: str) -> str:
    found = _STEM.match(key)
    return found.group(0) if found else ""


class PaperFeatures:
    """The features of every group of one paper; reads the paper's sentences once."""

    def __init__(self, analysis: PaperAnalysis) -> None:
        a = self.a = analysis
        self.classes = [_class_of(t, w) for t, w in zip(a.texts, a.words, strict=True)]
        self.n_sentences = len(a.sentences)
        self.ours_sentence: dict[int, bool] = {}
        for s in a.sentences:
            self.ours_sentence[s.start] = any(w in _OURS for w in a.words[s.start: s.end]) or (
                s.start < a.title_end)
        self.own: list[int] = []  # where the paper's own names are (``proposals``)
        self.own_ends: dict[int, int] = {}
        self.own_stems: dict[str, str] = {}  # the name keys of the paper's own names, and their stems
        colon = a.title_colon
        self.title_colon = colon if colon is not None and colon <= 8 else None
        # a title that names data ("a benchmark for ...", "FooBench: ..."): the paper's own names
        # are then likelier the data it introduces than a method
        common = common_words()
        self.title_says_data = any(_piece_class(p, common).lstrip("~") in DATASET_HEADS
                                   for t in a.texts[: a.title_end] for p in _PIECE.findall(t))
        self.cue_at: list[str] = [""] * a.n  # the cue family a phrase starting here belongs to
        cue_words = PROPOSAL_CUE | LINEAGE_CUE | DATASET_LIST_CUE
        for k in range(a.n):
            if not a.classes[k] & cue_words:
                continue
            if a.cues.compared_with.at(a.words, k) or a.cues.comparison_words.at(a.words, k):
                self.cue_at[k] = "compare"
            elif a.cues.builds_on.at(a.words, k):
                self.cue_at[k] = "basis"
            elif a.cues.propose_verbs.at(a.words, k):
                self.cue_at[k] = "propose"
            elif a.cues.naming.at(a.words, k):
                self.cue_at[k] = "naming"
            elif a.cues.dataset_list.at(a.words, k) and a.words[k] not in ("(", ":", "like"):
                self.cue_at[k] = "list"
            elif a.cues.use_verbs.at(a.words, k):
                self.cue_at[k] = "use"
        # a comparison or a basis is often stated further from its cue than the clause features
        # read ("we compare Zorb with the sorters most used today, which sort in place and in one
        # pass, such as Quanta")
        # each sentence's features made once, not once a mention
        self.sentence_cues = {s.start: dict.fromkeys(SENTENCE_CUES + c
                                                     for c in sorted(set(self.cue_at[s.start: s.end]) - {""}))
                              for s in a.sentences}

    def sentence_index(self, i: int) -> int:
        return bisect_right(self.a.sentence_starts, i) - 1

    def proposals(self, groups: list[NameGroup]) -> None:
        """Mark where the rules found the paper's own names: the words between one of them and
        another name in a sentence say how the two relate ("FooNet outperforms BarNet"); and keep
        their keys, which every other name's kinship with them is read against (``_kinship``)."""
        own = [g for g in groups if _is_own(g)]
        self.own_ends = {start: end for g in own for start, end in g.mentions}
        self.own = sorted(self.own_ends)
        self.own_stems = {key: _stem(key) for key in (norm_key(form) for g in own for form in g.forms)}

    def of(self, g: NameGroup) -> list[str]:
        """The features of group ``g``, each once, in the order they are found: the same text gives
        them in the same order in every process, so the role model's sums need no sorting."""
        a = self.a
        f: dict[str, None] = {}  # a set that keeps the order features are found in
        made = _name_features(g.name, tuple(g.forms))
        f.update(dict.fromkeys(made))
        shape = made[0].removeprefix("shape=")
        if self.own_stems and not _is_own(g):
            f.update(dict.fromkeys(self._kinship(g.forms, made)))
        for source in sorted(g.sources):  # a set: its order would differ from process to process
            f["source=" + source] = None
        if g.kind:
            f["rules-kind=" + g.kind] = None
        if g.known:
            f["gazetteer"] = None
        if g.long_form:
            f["has-long-form"] = None
            long_head = g.long_form.split()[-1].lower()
            if long_head.isalpha() and _common(long_head):
                f["long-head=" + long_head] = None
        if any(form in a.cues.not_names for form in g.forms):  # the name is one of its forms
            f["field-word"] = None
        for _kind, role, rule in g.rule_roles:
            f["rule-role=" + role] = None
            f["rule=" + rule.split("+")[0]] = None
        if not g.rule_roles:
            f["rule-role=none"] = None
        if self.title_says_data and (any(role == "proposed" for _k, role, _r in g.rule_roles) or (
                g.mentions and g.mentions[0][0] < a.title_end)):
            f["title-says-data"] = None
        n_mentions = len(g.mentions)
        f["mentions=" + _bucket(n_mentions, 0, 1, 2, 4)] = None
        if not g.mentions:
            return list(f)
        sentences = sorted({self.sentence_index(start) for start, _ in g.mentions})
        f["first-sentence=" + _bucket(sentences[0], 0, 1, 2, 3, 5)] = None
        if sentences[-1] == self.n_sentences - 1:
            f["in-last-sentence"] = None
        f["sentences=" + _bucket(len(sentences), 1, 2, 4)] = None
        in_title = g.mentions[0][0] < a.title_end
        f[f"title={in_title}/sentences=" + _bucket(len(sentences) - in_title, 0, 1, 2, 4)] = None
        f[f"title={in_title}/shape=" + shape] = None
        for start, end in g.mentions:
            self._mention(f, start, end)
        return list(f)

    def _kinship(self, forms: list[str], made: tuple[str, ...]) -> list[str]:
        """How a name is made from the paper's own names: inside one ("Zorb" in "T-Zorb"), of the
        same stem ("ZorbNet-2" beside the paper's "ZorbNet-3") or around one. A variant or successor
        names what it builds on, but a piece of a coined name is as often a common word, so the
        first two are also read with what says the name names a method."""
        inside = same_stem = around = False
        for key in {norm_key(form) for form in forms}:
            stem = _stem(key)
            for own, own_stem in self.own_stems.items():
                if key == own:
                    continue
                if key in own:
                    inside = inside or len(key) >= 2
                elif own in key:
                    around = around or len(own) >= 3
                elif len(stem) >= 4 and stem == own_stem:
                    same_stem = True
        kin = (["kin=inside"] if inside else []) + (["kin=same-stem"] if same_stem else [])
        if kin:
            signs = [m for m in made if m.startswith(_METHOD_SIGNS)]
            kin += [k + "/" + m for k in kin for m in signs]
        if around:
            kin.append("kin=around")
        return kin

    def _mention(self, f: dict[str, None], start: int, end: int) -> None:
        a = self.a
        words, classes, texts = a.words, self.classes, a.texts
        sent = a.sentences[self.sentence_index(start)]
        in_title = start < a.title_end
        if in_title:
            f["in-title"] = None
            if self.title_colon is not None and end <= self.title_colon:
                f["title-prefix"] = None
            return
        ours = self.ours_sentence[sent.start]
        if ours:
            f["ours-sentence"] = None
        f.update(self.sentence_cues[sent.start])
        if start == sent.start:
            f["sentence-start"] = None
            if end < sent.end:
                f["subject-of=" + classes[end]] = None
        for d in range(1, _WINDOW + 1):
            k = start - d
            if k >= sent.start:
                f[_tagged(_LEFT[d - 1], classes[k])] = None
            k = end - 1 + d
            if k < sent.end:
                f[_tagged(_RIGHT[d - 1], classes[k])] = None
        if start > sent.start and texts[start - 1] == "(":
            f["in-parens"] = None
        if end < sent.end and texts[end] == "(":
            f["before-parens"] = None
        # the clause either side, as a bag of words, and the cues in it with their distance
        k = start - 1
        while k >= sent.start and start - k <= _CLAUSE and texts[k] not in _CLAUSE_BREAK:
            f[_tagged(_CLAUSE_LEFT, classes[k])] = None
            cue = self.cue_at[k]
            if cue:
                f["cue-before=" + cue] = None
                f[f"cue-before={cue}/{_bucket(start - k, 2, 5)}"] = None
                if ours:
                    f["cue-before-ours=" + cue] = None
            k -= 1
        k = end
        while k < sent.end and k - end < _CLAUSE and texts[k] not in _CLAUSE_BREAK:
            f[_tagged(_CLAUSE_RIGHT, classes[k])] = None
            cue = self.cue_at[k]
            if cue:
                f["cue-after=" + cue] = None
            k += 1
        # in a list ("outperforms A, B and C"): the words before the list, which govern it all
        k = start - 1
        while k > sent.start and (words[k] in _LIST_JOIN or classes[k] == "<NAME>" or texts[k][:1].isupper()
                                  or _RELEASE.match(texts[k]) or a.codes[k] is not None):
            k -= 1
        if k < start - 1:
            f["in-list"] = None
            for d in range(0, 2):
                if k - d >= sent.start:
                    f[f"list-L{d + 1}={classes[k - d]}"] = None
            cue = next((self.cue_at[j] for j in range(max(sent.start, k - 4), k + 1) if self.cue_at[j]), "")
            if cue:
                f["list-cue=" + cue] = None
        if end < sent.end and words[end] in _LIST_JOIN:
            f["list-continues"] = None
        own = [o for o in self.own if sent.start <= o < sent.end and o != start]
        if own:
            f["own-in-sentence"] = None
            before = [o for o in own if o < start]
            if before:
                o = before[-1]
                gap = start - self.own_ends.get(o, o + 1)
                f["own-before/" + _bucket(gap, 2, 5, 10)] = None
                if gap <= 6:
                    for k in range(self.own_ends.get(o, o + 1), start):
                        f["B=" + classes[k]] = None
            else:
                f["own-after"] = None
        elif start in self.own_ends:
            f["is-own-mention"] = None

