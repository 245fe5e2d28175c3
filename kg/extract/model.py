"""The role model: linear classifiers over feature strings, saved as a small JSON file.

For each name group of a paper a classifier scores seven outcomes (``CLASSES``): the four roles
of a method, the two of a dataset, and ``none`` (not a method or a dataset, or not one the
abstract names as such). Two are trained on the same groups (``Decider``): one reads every
feature but how the unannotated corpus uses a name, and decides the method roles; the other reads
those too, and decides which names are datasets. The corpus says what kind of thing a name is,
not what a paper does with it: read by one classifier for every outcome it made datasets better
and lineage worse (docs/extraction.md). Both read the corpus prior (``kg.extract.contexts``), which
the model file carries with the weights trained on it. The weights are learned by ``kg train``
(``kg.extract.training``) and shipped in ``kg/data/roles.json``; here they are only read, so
running kg needs no learning library.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from importlib import resources
from itertools import chain, repeat
from pathlib import Path
from typing import Any

from kg.errors import InputError
from kg.extract.contexts import ContextPrior

CLASSES = ("proposed", "builds_on", "compared_with", "mentioned", "introduced", "evaluated_on", "none")
METHOD_ROLES = frozenset({"proposed", "builds_on", "compared_with", "mentioned"})
DATASET_ROLES = frozenset({"introduced", "evaluated_on"})
FORMAT = "kg-roles/2"
USAGE = "usage-"  # the prefix of the corpus's features, which only the dataset classifier reads
SENTENCE_CUES = "cue-in-sentence="  # a name's sentence's cue families; the dataset classifier does better without


@dataclass(slots=True)
class Decision:
    """What the model decided for one group: the outcome, its probability, and the features that
    weighed most for it (feature, weight)."""

    role: str
    probability: float
    evidence: list[tuple[str, float]]


class RoleModel:
    """Multinomial logistic regression: one weight per feature and outcome, and a bias."""

    def __init__(self, classes: tuple[str, ...], bias: list[float], weights: dict[str, list[float]],
                 meta: dict[str, object] | None = None) -> None:
        self.classes = classes
        self.bias = bias
        self.weights = weights
        self.meta = meta or {}
        self._methods = [i for i, c in enumerate(classes) if c in METHOD_ROLES]
        self._none = classes.index("none") if "none" in classes and "mentioned" in classes else None
        self._mentioned = classes.index("mentioned") if "mentioned" in classes else -1
        # how much of "none"'s odds the method outcomes together need for a method (``kg train``
        # sets it; a model written without it needs them to outweigh "none")
        share = self.meta.get("mention_odds", 1.0)
        self._mention_odds = float(share) if isinstance(share, (int, float)) else 1.0
        self._scores: _Scores | None = None

    def decide(self, features: list[str], evidence: bool = True) -> Decision:
        """The most probable outcome for a group with ``features``."""
        return self.decide_all([features], evidence)[0]

    def decide_all(self, groups: list[list[str]], evidence: bool = False) -> list[Decision]:
        """The most probable outcome for each group of features, in one pass over the weights (but
        ``mentioned`` for a group whose method outcomes together reach ``meta["mention_odds"]``
        of the odds of ``none``); with ``evidence``, the features that weighed most for it too
        (explanations ask for it)."""
        if self._scores is None:
            self._scores = _Scores((self,))
        return self._scores.decide_all(groups, evidence)[0]

    def decisions(self, scores: Any, taken: Any, owned: Any, found: list[list[str]], starts: Any, ends: Any,
                  evidence: bool) -> list[Decision]:
        """The decisions from the groups' ``scores`` (a row a group, a column an outcome) and the
        weights of their features (``taken``: group ``g``'s rows ``starts[g]`` to ``ends[g]``,
        of the features ``found[g]``, those of this model where ``owned``)."""
        import numpy

        tops = scores.argmax(axis=1)
        best = scores[numpy.arange(len(scores)), tops]
        odds = numpy.exp(scores - best[:, None])
        totals = odds.sum(axis=1)
        probabilities = 1.0 / totals
        # "Is it a method at all" is its own question, the one a paper's method mentions answer:
        # a group whose method outcomes together reach the model's share of the odds of "none"
        # (``mention_odds``) is a method, though no one of them alone beats "none"; it is then
        # mentioned, the outcome that claims nothing more.
        if self._none is not None:
            methods = odds[:, self._methods].sum(axis=1)
            unsure = (tops == self._none) & (methods > self._mention_odds * odds[:, self._none])
            if unsure.any():
                tops = numpy.where(unsure, self._mentioned, tops)
                probabilities = numpy.where(unsure, methods / totals, probabilities)
        decisions = []
        for g, (top, probability) in enumerate(zip(tops.tolist(), probabilities.tolist(), strict=True)):
            strongest: list[tuple[str, float]] = []
            if evidence and found[g]:
                column = taken[starts[g]: ends[g], top]
                present = numpy.flatnonzero(owned[starts[g]: ends[g]])
                order = present[numpy.argsort(-numpy.abs(column[present]), kind="stable")[:6]]
                strongest = [(found[g][k], float(column[k])) for k in order]
            decisions.append(Decision(self.classes[top], probability, strongest))
        return decisions

    def lines(self) -> list[str]:
        """The model as the lines of a JSON object, a feature a line (weights rounded to 4 decimals,
        features sorted): a stable file whose diffs show what changed."""
        head = {"classes": list(self.classes), "meta": self.meta, "bias": [round(b, 4) for b in self.bias]}
        lines = [json.dumps(head, sort_keys=True)[:-1] + ', "weights": {']
        rows = sorted(self.weights.items())
        lines += [f"{json.dumps(f)}: {json.dumps([round(x, 4) for x in w])}{',' if k < len(rows) - 1 else ''}"
                  for k, (f, w) in enumerate(rows)]
        lines.append("}}")
        return lines

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> RoleModel:
        return cls(tuple(data["classes"]), list(data["bias"]), dict(data["weights"]), dict(data.get("meta", {})))


class _Scores:
    """The weights of several classifiers side by side, a row a feature: each feature of a group
    is looked up once for all of them, and all the groups of a batch are scored in one sum."""

    def __init__(self, models: tuple[RoleModel, ...]) -> None:
        import numpy

        self.models = models
        features = list(dict.fromkeys(f for m in models for f in m.weights))
        self.rows = {f: i for i, f in enumerate(features)}
        self.columns: list[slice] = []  # each model's outcomes
        self.owned = []  # each model's features, by row (the others weigh 0 in its columns)
        blocks = []
        start = 0
        for m in models:
            width = len(m.classes)
            zero = [0.0] * width
            blocks.append(numpy.array([m.weights.get(f, zero) for f in features], dtype=numpy.float64)
                          .reshape(-1, width))
            self.owned.append(numpy.array([f in m.weights for f in features] + [False], dtype=bool))
            self.columns.append(slice(start, start + width))
            start += width
        # a last row of zeros (owned by no model) for the features no model knows: a group's
        # features are then looked up by ``map`` in one pass of C, with nothing to filter out
        self.unknown = len(features)
        self.matrix = numpy.vstack((numpy.hstack(blocks), numpy.zeros((1, start))))
        self.intercept = numpy.array([b for m in models for b in m.bias], dtype=numpy.float64)

    def decide_all(self, groups: list[list[str]], evidence: bool) -> list[list[Decision]]:
        """Each model's decisions for ``groups``."""
        import numpy

        if not groups:
            return [[] for _ in self.models]
        # a row for every feature of every group, in order, so that group g's rows are its features
        at = numpy.array(list(map(self.rows.get, chain.from_iterable(groups), repeat(self.unknown))),
                         dtype=numpy.int64)
        ends = numpy.cumsum([len(features) for features in groups], dtype=numpy.int64)
        taken = self.matrix[at]
        starts = numpy.concatenate(([0], ends[:-1]))
        # each group's rows are consecutive: one sum per group with features (reduceat would give
        # a group without any the row after it)
        sums = numpy.zeros((len(groups), self.matrix.shape[1]))
        some = ends > starts
        if some.any():
            sums[some] = numpy.add.reduceat(taken, starts[some], axis=0)
        scores = self.intercept + sums
        return [m.decisions(scores[:, c], taken[:, c], owned[at] if evidence else None, groups, starts, ends, evidence)
                for m, c, owned in zip(self.models, self.columns, self.owned, strict=True)]


class Decider:
    """The two classifiers together: ``datasets`` decides whether a name is a dataset (and which
    dataset role), ``roles`` the rest, but for a method ``roles`` leaves out (``decide_all``); and
    the corpus prior they were trained with (``kg.extract.contexts``), whose features
    ``features`` adds to a group's."""

    def __init__(self, roles: RoleModel, datasets: RoleModel, contexts: ContextPrior | None = None) -> None:
        self.roles = roles
        self.datasets = datasets
        self.contexts = contexts
        self._scores = _Scores((roles, datasets))

    def features(self, forms: list[str], features: list[str]) -> list[str]:
        """A group's ``features`` with what the corpus prior says of its ``forms``."""
        return features + self.contexts.features(forms) if self.contexts is not None else features

    def decide(self, features: list[str], evidence: bool = True) -> Decision:
        """The outcome for a group with ``features``."""
        return self.decide_all([features], evidence)[0]

    def decide_all(self, groups: list[list[str]], evidence: bool = False) -> list[Decision]:
        """The outcome of each group: the dataset classifier's when either classifier makes it a
        dataset, the role classifier's otherwise; but a name the role classifier leaves out and the
        other, knowing how the field uses it, takes for a method is a method, mentioned (the outcome
        that claims nothing more), with that classifier's probability and evidence."""
        by_role, by_kind = self._scores.decide_all(groups, evidence)
        return [kind if kind.role in DATASET_ROLES or role.role in DATASET_ROLES
                else Decision("mentioned", kind.probability, kind.evidence)
                if role.role == "none" and kind.role in METHOD_ROLES else role
                for role, kind in zip(by_role, by_kind, strict=True)]

    def to_disk(self, path: Path) -> None:
        """Write both classifiers to one JSON file, each a feature a line."""
        roles, datasets = self.roles.lines(), self.datasets.lines()
        lines = [f'{{"format": "{FORMAT}", "roles": ' + roles[0], *roles[1:-1], roles[-1] + ",",
                 '"datasets": ' + datasets[0], *datasets[1:-1], datasets[-1]]
        if self.contexts is not None:  # a name a line, as the weights are a feature a line
            rows = list(self.contexts.to_json().items())
            lines[-1] += ', "contexts": {'
            lines += [f"{json.dumps(k)}: {json.dumps(v)}{',' if i < len(rows) - 1 else ''}"
                      for i, (k, v) in enumerate(rows)]
            lines.append("}")
        lines[-1] += "}"
        path.write_text("\n".join(lines) + "\n", "utf-8")

    @classmethod
    def from_disk(cls, path: Path | None = None) -> Decider:
        """Read a model written by ``to_disk``; the shipped one when ``path`` is None.

        Raises:
            InputError: the file cannot be read or is not a role model.
        """
        where = str(path or "kg/data/roles.json")
        try:
            if path is None:
                text = resources.files("kg.data").joinpath("roles.json").read_text("utf-8")
            else:
                text = path.read_text("utf-8")
            data = json.loads(text)
        except (OSError, ValueError) as e:
            raise InputError(f"{where}: cannot read the role model ({e})") from e
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise InputError(f"{where}: not a role model of this kg (format {FORMAT} expected; "
                             "kg train writes one)")
        try:
            contexts = ContextPrior.from_json(data["contexts"]) if "contexts" in data else None
            return cls(RoleModel.from_json(data["roles"]), RoleModel.from_json(data["datasets"]), contexts)
        except (KeyError, TypeError, ValueError) as e:
            raise InputError(f"{where}: a role model with a part missing or malformed ({e})") from e
