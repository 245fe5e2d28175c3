"""Training and honest measurement of the role model (``kg train``).

The annotated listings (``shared/listings/{train,dev}`` with gold in ``shared/gold/``) are read
with kg's own parser and rules; every name group of every paper becomes one example, labelled
by the gold item it matches (by the scorer's rule: any form, case, spaces and punctuation
ignored), ``none`` when it matches none, and left out when it matches only an optional item.

* ``train_model`` fits the two classifiers of the role model (``kg.extract.model.Decider``),
  multinomial logistic regression (scikit-learn, the ``train`` extra), on all of them, with the
  corpus prior (``kg.extract.contexts``) learned from the same papers and read over an
  unannotated corpus (``read_corpus``); the result is deterministic for the same files.
* ``cross_validate`` trains on some listings and scores the others with the official scorer
  (``shared/eval/score.py``), fold by fold, at a quarter, half and all of the training listings;
  ``check_out_of_domain`` scores SciREX with a model trained on everything.
"""

from __future__ import annotations

import importlib.util
import json
import random
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

from kg.errors import InputError
from kg.extract.candidates import NameGroup
from kg.extract.contexts import MIN_PAPERS, ContextPrior, is_context
from kg.extract.model import CLASSES, METHOD_ROLES, SENTENCE_CUES, USAGE, Decider, RoleModel
from kg.extract.shapes import norm_key

# gold list -> outcome, first match wins (a name the paper introduces is not also "used")
_GOLD_ROLES = (("proposes", "proposed"), ("new_datasets", "introduced"), ("builds_on", "builds_on"),
               ("compared_with", "compared_with"), ("datasets", "evaluated_on"), ("mentions", "mentioned"))
_OPTIONAL = ("proposes_optional", "builds_on_optional", "datasets_optional")
RELATIONS = ("proposes", "datasets", "new_datasets", "builds_on", "compared_with")
DEFAULT_C = 0.3
# The minority outcomes weigh more than "none": with every outcome weighed alike the model is
# precise and misses half of the lineage, and F1 is what the goal asks for. (docs/extraction.md: the
# weights by cross-validation)
CLASS_WEIGHTS = {"none": 1.0, "builds_on": 2.0, "compared_with": 2.5}
# The dataset classifier decides only datasets, the minority outcomes it is read for, so they weigh
# more there too (docs/extraction.md, "How the corpus uses a name": datasets 0.809 -> 0.820).
DATASET_CLASS_WEIGHTS = {**CLASS_WEIGHTS, "evaluated_on": 1.5, "introduced": 1.5}
# A name is a method, mentioned, when its method outcomes together reach this share of "none"'s
# odds (``RoleModel.decisions``). Lowering it trades method-mention precision for recall at
# about the same F1; the goal asks for precision 0.80 with recall 0.75, and this is the share at
# which cross-validation keeps precision above 0.80 (docs/extraction.md, "Measured").
MENTION_ODDS = 0.55
# The role classifier's lineage outcomes have their odds multiplied by these once fitted (the
# weights stay as fitted): F1 is served best by taking an outcome before it is the likeliest one,
# the more so the lower the F1, and these are the hardest outcomes. Heavier weights in training,
# which refit every weight, did no better (docs/extraction.md).
LINEAGE_ODDS = {"builds_on": 1.25, "compared_with": 1.25}
MIN_COUNT = 2  # a feature seen in fewer training groups is left out
# An unannotated corpus as ``read_corpus`` gives it: per paper, each name group's forms and features
Corpus = list[list[tuple[list[str], list[str]]]]


@dataclass(slots=True)
class AnnotatedPaper:
    """One annotated paper: its listing, title, gold annotation and name groups with features."""

    listing: str
    title: str
    gold: dict[str, Any]
    groups: list[tuple[NameGroup, list[str]]] = field(default_factory=list)
    rules: dict[str, Any] = field(default_factory=dict)  # what the hand rules alone give: the baseline


def _names(item: dict[str, Any]) -> set[str]:
    return {k for k in (norm_key(n) for n in [item.get("name", ""), *(item.get("aliases") or [])]) if k}


def label_of(group: NameGroup, gold: dict[str, Any]) -> str | None:
    """The outcome the gold gives ``group``: a role, ``none``, or None (optional: not learned from)."""
    keys = {norm_key(f) for f in group.forms}
    for gold_key, role in _GOLD_ROLES:
        if any(keys & _names(item) for item in gold.get(gold_key, [])):
            return role
    if any(keys & _names(item) for k in _OPTIONAL for item in gold.get(k, [])):
        return None
    return "none"


def read_annotated(listing_dirs: Sequence[Path], gold_dirs: Sequence[Path],
                   only: Iterable[str] | None = None) -> list[AnnotatedPaper]:
    """Every annotated paper of the listings in ``listing_dirs`` (gold of ``NAME.txt`` in
    ``NAME.annot.json`` in the matching ``gold_dirs``), with its groups and features; only the
    listings named in ``only`` (their file names without ``.txt``) when given.

    Raises:
        InputError: a listing has no gold, or its gold does not match its papers.
    """
    from kg.extract.annotate import Extractor, mentions_of, text_of
    from kg.extract.doc import ANALYSIS, extension_values
    from kg.extract.roles import groups_with_features
    from kg.parse import read_listing

    nlp = Extractor(rules_only=True).nlp
    wanted = None if only is None else set(only)
    papers: list[AnnotatedPaper] = []
    for listing_dir, gold_dir in zip(listing_dirs, gold_dirs, strict=True):
        for path in sorted(listing_dir.glob("*.txt")):
            if wanted is not None and path.stem not in wanted:
                continue
            gold_path = gold_dir / f"{path.stem}.annot.json"
            if not gold_path.exists():
                continue
            gold = json.loads(gold_path.read_text("utf-8"))
            parsed = read_listing(path)
            by_title = {norm_key(p.title): p for p in parsed.papers}
            for g in gold:
                paper = by_title.get(norm_key(g["title"]))
                if paper is None:
                    raise InputError(f"{gold_path}: no paper titled {g['title'][:60]!r} in {path}")
                doc = nlp(text_of(paper))
                analysis = extension_values(doc)[ANALYSIS]
                rules = {"type": "paper", "source": {"file": path.name}, "title": paper.title,
                         **{kind + "s": [asdict(m) for m in mentions_of(i for i in analysis.items_ if i.kind == kind)]
                            for kind in ("method", "dataset")}}
                papers.append(AnnotatedPaper(path.stem, paper.title, g, groups_with_features(analysis), rules))
    return papers


def read_corpus(folder: Path, leave_out: Iterable[Path], progress: Any = None) -> Corpus:
    """The name groups, with their features, of every paper of the listings in ``folder`` that is
    not annotated in the gold folders ``leave_out``: the text the corpus prior is read over."""
    from kg.extract.annotate import Extractor, text_of
    from kg.extract.doc import ANALYSIS, extension_values
    from kg.extract.roles import groups_with_features
    from kg.extract.usage import annotated_titles
    from kg.parse import read_listing

    paths = sorted(folder.glob("*.txt"))
    if not paths:
        raise InputError(f"{folder}: no listings (*.txt) to read the corpus prior over (pass --corpus)")
    skip = annotated_titles(leave_out)
    nlp = Extractor(rules_only=True).nlp
    corpus: Corpus = []
    for k, path in enumerate(paths):
        for paper in read_listing(path).papers:
            if paper.abstract and norm_key(paper.title) not in skip:
                analysis = extension_values(nlp(text_of(paper)))[ANALYSIS]
                corpus.append([(list(g.forms), features) for g, features in groups_with_features(analysis)])
        if progress is not None and (k + 1) % 100 == 0:
            progress(k + 1, len(paths))
    return corpus


def _labelled(papers: Iterable[AnnotatedPaper]) -> Iterator[tuple[NameGroup, list[str], str]]:
    """Every group of ``papers`` that the gold labels, with its features and outcome (``label_of``;
    a group matching only an optional item is not learned from)."""
    for paper in papers:
        for group, features in paper.groups:
            label = label_of(group, paper.gold)
            if label is not None:
                yield group, features, label


def _fit(rows: list[list[str]], labels: list[int], c: float,
         weights: list[float] | None = None) -> tuple[Any, list[str]]:
    """Logistic regression over feature strings seen in ``MIN_COUNT`` rows or more: the fitted
    classifier and its features, in column order."""
    import numpy as np
    from scipy.sparse import csr_matrix
    from sklearn.linear_model import LogisticRegression

    counts = Counter(f for row in rows for f in set(row))
    vocabulary = {f: i for i, f in enumerate(sorted(f for f, n in counts.items() if n >= MIN_COUNT))}
    indptr, indices = [0], []
    for row in rows:
        indices.extend(sorted({vocabulary[f] for f in row if f in vocabulary}))
        indptr.append(len(indices))
    x = csr_matrix((np.ones(len(indices)), indices, indptr), shape=(len(rows), len(vocabulary)))
    classifier = LogisticRegression(C=c, max_iter=5000, tol=1e-6)
    classifier.fit(x, np.array(labels), sample_weight=None if weights is None else np.array(weights))
    return classifier, sorted(vocabulary, key=vocabulary.__getitem__)


def fit_contexts(papers: Sequence[AnnotatedPaper], corpus: Corpus, c: float = DEFAULT_C) -> ContextPrior:
    """The corpus prior: a classifier of method or not from the context features of ``papers``'
    groups, read over every group of ``corpus``, averaged by name."""
    import numpy as np

    rows: list[list[str]] = []
    labels: list[int] = []
    for _group, features, label in _labelled(papers):
        rows.append([f for f in features if is_context(f)])
        labels.append(int(label in METHOD_ROLES))
    if len(set(labels)) < 2:  # nothing to tell apart: no prior
        return ContextPrior({})
    classifier, features = _fit(rows, labels, c)
    weight = dict(zip(features, classifier.coef_[0].tolist(), strict=True))
    bias = float(classifier.intercept_[0])
    seen: dict[str, list[float]] = {}
    for paper_groups in corpus:
        in_paper: dict[str, float] = {}  # a name counts once a paper, with its first group's reading
        for forms, group_features in paper_groups:
            # the weights are the context features' alone, and a group's features are distinct and
            # in the order they are found: summed in it, the same corpus gives the same sums in
            # every process
            score = bias + sum(weight.get(f, 0.0) for f in group_features)
            probability = 1.0 / (1.0 + float(np.exp(-score)))
            for key in {norm_key(form) for form in forms} - {""}:
                in_paper.setdefault(key, probability)
        for key, probability in in_paper.items():
            seen.setdefault(key, []).append(probability)
    return ContextPrior({key: (len(ps), sum(ps) / len(ps)) for key, ps in seen.items() if len(ps) >= MIN_PAPERS})


def train_model(papers: Sequence[AnnotatedPaper], corpus: Corpus | None = None, c: float = DEFAULT_C,
                class_weights: dict[str, float] | None = None) -> Decider:
    """Fit both classifiers of the role model on ``papers``, with the corpus prior read over
    ``corpus`` (none without it); the same papers and corpus give the same weights."""
    prior = fit_contexts(papers, corpus, c) if corpus else None
    return Decider(train_classifier(papers, c, class_weights, leave_out=USAGE, prior=prior, odds=LINEAGE_ODDS),
                   train_classifier(papers, c, DATASET_CLASS_WEIGHTS if class_weights is None else class_weights,
                                    leave_out=SENTENCE_CUES, prior=prior), prior)


def train_classifier(papers: Sequence[AnnotatedPaper], c: float = DEFAULT_C,
                     class_weights: dict[str, float] | None = None, leave_out: str | None = None,
                     prior: ContextPrior | None = None, odds: dict[str, float] | None = None) -> RoleModel:
    """Fit one classifier on ``papers``, without the features starting with ``leave_out``, and
    with what ``prior`` says of each group's forms; the outcomes in ``odds`` have their odds
    multiplied by its factors once fitted."""
    import numpy as np

    rows: list[list[str]] = []
    labels: list[int] = []
    for group, features, label in _labelled(papers):
        if prior is not None:
            features = features + prior.features(group.forms)
        rows.append([f for f in features if not f.startswith(leave_out)] if leave_out else features)
        labels.append(CLASSES.index(label))
    class_weights = CLASS_WEIGHTS if class_weights is None else class_weights
    classifier, features = _fit(rows, labels, c, [class_weights.get(CLASSES[y], 1.0) for y in labels])
    present = sorted(set(labels))
    coef = np.zeros((len(CLASSES), len(features)))
    bias = np.full(len(CLASSES), -30.0)  # an outcome never seen in training is never chosen
    coef[present] = classifier.coef_
    bias[present] = classifier.intercept_
    for outcome, factor in (odds or {}).items():
        bias[CLASSES.index(outcome)] += np.log(factor)
    weights: dict[str, list[float]] = {f: [float(v) for v in coef[:, i]] for i, f in enumerate(features)
                                       if np.abs(coef[:, i]).max() >= 1e-3}
    meta: dict[str, object] = {"examples": len(rows), "C": c, "class_weights": class_weights,
                               "mention_odds": MENTION_ODDS, **({"odds": odds} if odds else {})}
    return RoleModel(CLASSES, [float(b) for b in bias], weights, meta)


def records_of(model: Decider, papers: Iterable[AnnotatedPaper]) -> list[dict[str, Any]]:
    """What ``kg extract`` would write for ``papers`` with ``model``: the scorer's input."""
    records = []
    for paper in papers:
        methods: list[dict[str, Any]] = []
        datasets: list[dict[str, Any]] = []
        decisions = model.decide_all([model.features(group.forms, features) for group, features in paper.groups])
        for (group, _features), decision in zip(paper.groups, decisions, strict=True):
            role = decision.role
            if role == "none":
                continue
            mention = {"name": group.name, "aliases": group.aliases, "role": role}
            (methods if role in METHOD_ROLES else datasets).append(mention)
        records.append({"type": "paper", "source": {"file": f"{paper.listing}.txt"}, "title": paper.title,
                        "methods": methods, "datasets": datasets})
    return records


def scorer(shared: Path) -> ModuleType:
    """The official scorer, ``shared/eval/score.py``, as a module."""
    path = shared / "eval" / "score.py"
    spec = importlib.util.spec_from_file_location("kg_official_score", path)
    if spec is None or spec.loader is None or not path.exists():
        raise InputError(f"{path}: the scorer is not there (pass --shared, the folder that holds eval/score.py)")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def score_records(shared: Path, gold_dirs: Sequence[Path], records: list[dict[str, Any]],
                  listings: set[str] | None = None) -> dict[str, dict[str, float]]:
    """Precision, recall and F1 of ``records`` by the official scorer, on ``listings`` only if given."""
    score = scorer(shared)
    gold: dict[str, Any] = {}
    for d in gold_dirs:
        gold.update(score.load_gold(str(d)))
    if listings is not None:
        gold = {k: v for k, v in gold.items() if k in listings}
    result = score.score(gold, records)
    table: dict[str, dict[str, float]] = dict(result["extraction"])
    table["method_mentions"] = result["method_mentions"]
    return table


def folds_of(listings: Sequence[str], k: int, split: int = 0) -> list[list[str]]:
    """``k`` folds of whole listings, dealt in name order; another ``split`` deals them after a
    shuffle seeded by it, so that the same split gives the same folds."""
    ordered = sorted(listings)
    if split:
        random.Random(split).shuffle(ordered)
    return [ordered[i::k] for i in range(k)]


def cross_validate(shared: Path, papers: list[AnnotatedPaper], gold_dirs: Sequence[Path], k: int = 5,
                   fractions: Sequence[float] = (1.0,), c: float = DEFAULT_C, weights: dict[str, float] | None = None,
                   progress: Any = None, split: int = 0, corpus: Corpus | None = None
                   ) -> dict[float, dict[str, dict[str, float]]]:
    """Train on all folds but one at each fraction of the training listings, score the held-out
    fold; the counts are summed over folds before precision and recall are worked out. ``split``
    chooses how the listings are dealt into folds (``folds_of``); ``progress(fraction, fold, split)`` is
    called after each fold. Each fold's corpus prior is learned from its training listings alone."""
    listings = sorted({p.listing for p in papers})
    results: dict[float, dict[str, dict[str, float]]] = {}
    for fraction in fractions:
        records: list[dict[str, Any]] = []
        for fold in folds_of(listings, k, split):
            held = set(fold)
            training = [name for name in listings if name not in held]
            keep = set(training[: max(1, round(len(training) * fraction))]) if fraction < 1 else set(training)
            model = train_model([p for p in papers if p.listing in keep], corpus, c, weights)
            records += records_of(model, [p for p in papers if p.listing in held])
            if progress is not None:
                progress(fraction, fold, split)
        results[fraction] = score_records(shared, gold_dirs, records, set(listings))
    return results


def check_out_of_domain(shared: Path, model: Decider) -> tuple[dict[str, Any], dict[str, Any]]:
    """Proposes and datasets on SciREX (``shared/eval/scirex``) by ``model`` and by the rules alone."""
    folder = shared / "eval" / "scirex"
    papers = read_annotated([folder], [folder])
    learned = score_records(shared, [folder], records_of(model, papers))
    rules = score_records(shared, [folder], [p.rules for p in papers])
    return learned, rules


@dataclass(slots=True)
class TrainingRun:
    """What ``kg train`` measured: cross-validated scores by fraction of the training listings,
    the rules' scores on the same listings, and SciREX by the final model and by the rules."""

    listings: int
    papers: int
    folds: int
    curve: dict[float, dict[str, dict[str, float]]]
    rules: dict[str, dict[str, float]]
    scirex: dict[str, Any] | None = None
    scirex_rules: dict[str, Any] | None = None
    # every relation's F1 on all the training listings, one per way of dealing them into folds
    # (the first is the curve's): how much a figure owes to which listings are held out together
    splits: dict[str, list[float]] = field(default_factory=dict)


def train(shared: Path, out: Path, *, corpus: Path | None = None, folds: int = 5, measure: bool = True,
          fractions: Sequence[float] = (0.25, 0.5, 1.0), splits: int = 3, progress: Any = None,
          say: Any = None) -> TrainingRun:
    """Train the role model on every annotated listing of ``shared`` and write it to ``out``, with
    the corpus prior read over the listings in ``corpus`` (``shared/corpus/hf-daily`` by default;
    every paper annotated in ``shared/gold`` left out); with ``measure``, cross-validate it first
    (by listing), at each of ``fractions`` of the training listings and over ``splits`` ways of
    dealing the listings into folds, and check it on SciREX. ``say(message)`` reports each step.

    Raises:
        InputError: ``shared`` lacks the annotated listings or the scorer, or ``corpus`` has no listings.
    """
    dirs = [shared / "listings" / "train", shared / "listings" / "dev"]
    golds = [shared / "gold" / "train", shared / "gold" / "dev"]
    for d in (*dirs, *golds):
        if not d.is_dir():
            raise InputError(f"{d}: not a folder (pass --shared, the folder with listings/ and gold/)")
    scorer(shared)
    corpus = shared / "corpus" / "hf-daily" if corpus is None else corpus
    say = say or (lambda _message: None)
    say(f"reading the unannotated corpus {corpus}")
    unannotated = read_corpus(corpus, [shared / "gold"],
                              progress=lambda done, total: say(f"  {done:,} of {total:,} listings"))
    say("reading the annotated listings")
    papers = read_annotated(dirs, golds)
    listings = sorted({p.listing for p in papers})
    curve = cross_validate(shared, papers, golds, folds, fractions, progress=progress,
                           corpus=unannotated) if measure else {}
    rules = score_records(shared, golds, [p.rules for p in papers], set(listings)) if measure else {}
    model = train_model(papers, unannotated)
    out.parent.mkdir(parents=True, exist_ok=True)
    model.to_disk(out)
    run = TrainingRun(len(listings), len(papers), folds, curve, rules)
    if measure:
        tables = [curve[max(curve)]] + [cross_validate(shared, papers, golds, folds, progress=progress, split=s,
                                                       corpus=unannotated)[1.0] for s in range(1, splits)]
        run.splits = {name: [t[name]["f1"] for t in tables] for name in (*RELATIONS, "method_mentions")}
        run.scirex, run.scirex_rules = check_out_of_domain(shared, model)
    return run


def report(run: TrainingRun, command: str) -> str:
    """The measurements of ``run`` as the Markdown of ``docs/extraction-quality.md``."""
    full = run.curve[max(run.curve)]
    lines = [
        "# Extraction quality: cross-validated",
        "",
        f"Made by `{command}`. The role model is trained on some of the {run.listings} annotated listings "
        f"({run.papers} papers: `listings/train` and `listings/dev`) and scored by the official scorer "
        f"(`eval/score.py`) on the others, {run.folds} folds of whole listings; counts are summed over the folds. "
        "The rules column is the hand rules alone on the same listings (they learn nothing, so no folds).",
        "",
        "| relation | rules P / R / F1 | model P / R / F1 | goal F1 |",
        "|---|---|---|---|",
    ]
    goals = {"proposes": 0.90, "datasets": 0.90, "new_datasets": 0.80, "builds_on": 0.80, "compared_with": 0.80,
             "method_mentions": 0.80}
    for name in (*RELATIONS, "method_mentions"):
        r, m = run.rules[name], full[name]
        goal = "P >= 0.80, R >= 0.75" if name == "method_mentions" else f">= {goals[name]:.2f}"
        lines.append(f"| {name} | {r['precision']:.3f} / {r['recall']:.3f} / {r['f1']:.3f} | "
                     f"{m['precision']:.3f} / {m['recall']:.3f} / {m['f1']:.3f} | {goal} |")
    lines += ["", "## Learning curve", "",
              "F1 by cross-validation when each fold trains on a share of its training listings (the first ones by "
              "name):", "", "| share of training listings | " + " | ".join(RELATIONS) + " |",
              "|---|" + "---|" * len(RELATIONS)]
    for fraction, table in sorted(run.curve.items()):
        lines.append(f"| {fraction:.2f} | " + " | ".join(f"{table[r]['f1']:.3f}" for r in RELATIONS) + " |")
    if len(next(iter(run.splits.values()), [])) > 1:
        n = len(run.splits["proposes"])
        lines += ["", "## Across fold splits", "",
                  f"F1 on all the training listings when the listings are dealt into {run.folds} folds in {n} ways "
                  "(the first is the table above, dealt in name order; the others after a seeded shuffle). The "
                  "spread is how much a figure owes to which listings happen to be held out together: a change "
                  "that moves a figure by less, up on one split and down on another, is not a measured gain.", "",
                  "| relation | first split | mean | lowest - highest |", "|---|---|---|---|"]
        for name, values in run.splits.items():
            lines.append(f"| {name} | {values[0]:.3f} | {sum(values) / n:.3f} | "
                         f"{min(values):.3f} - {max(values):.3f} |")
    if run.scirex is not None and run.scirex_rules is not None:
        lines += ["", "## Out of domain: SciREX", "",
                  "273 SciREX abstracts (`eval/scirex`), gold for proposes and datasets only (leaderboard entries, "
                  "so precision is a lower bound), scored with the model trained on all the listings above:", "",
                  "| relation | rules P / R / F1 | model P / R / F1 |", "|---|---|---|"]
        for name in ("proposes", "datasets"):
            r, m = run.scirex_rules[name], run.scirex[name]
            lines.append(f"| {name} | {r['precision']:.3f} / {r['recall']:.3f} / {r['f1']:.3f} | "
                         f"{m['precision']:.3f} / {m['recall']:.3f} / {m['f1']:.3f} |")
    return "\n".join(lines) + "\n"
