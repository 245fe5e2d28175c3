"""The role model: a linear classifier over feature strings, saved as a small JSON file.

For each name group of a paper it scores seven outcomes (``CLASSES``): the four roles of a
method, the two of a dataset, and ``none`` (not a method or a dataset, or not one the abstract
names as such). The weights are learned by ``kg train`` (``kg.extract.training``) and shipped in
``kg/data/roles.json``; here they are only read, so running kg needs no learning library.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from kg.errors import InputError

CLASSES = ("proposed", "builds_on", "compared_with", "mentioned", "introduced", "evaluated_on", "none")
METHOD_ROLES = frozenset({"proposed", "builds_on", "compared_with", "mentioned"})
DATASET_ROLES = frozenset({"introduced", "evaluated_on"})
FORMAT = "kg-roles/1"


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
        import numpy

        self.classes = classes
        self.bias = bias
        self.weights = weights
        self.meta = meta or {}
        # the weights as one matrix, a row a feature: a group's scores are one sum over its rows
        self.rows = {f: i for i, f in enumerate(weights)}
        self.matrix = numpy.array([weights[f] for f in weights], dtype=numpy.float64).reshape(-1, len(classes))
        self.intercept = numpy.array(bias, dtype=numpy.float64)

    def decide(self, features: list[str]) -> Decision:
        """The most probable outcome for a group with ``features``."""
        import numpy

        rows = self.rows
        found = [(f, i) for f in features if (i := rows.get(f)) is not None]
        taken = self.matrix[[i for _f, i in found]]
        scores = self.intercept + taken.sum(axis=0)
        top = int(scores.argmax())
        probability = 1.0 / float(numpy.exp(scores - scores[top]).sum())
        column = taken[:, top]
        strongest = numpy.argsort(-numpy.abs(column), kind="stable")[:6]
        evidence = [(found[k][0], float(column[k])) for k in strongest]
        return Decision(self.classes[top], probability, evidence)

    def to_disk(self, path: Path) -> None:
        """Write the model as JSON (weights rounded to 4 decimals, features sorted: a stable file)."""
        data = {"format": FORMAT, "classes": list(self.classes), "meta": self.meta,
                "bias": [round(b, 4) for b in self.bias],
                "weights": {f: [round(x, 4) for x in w] for f, w in sorted(self.weights.items())}}
        path.write_text(json.dumps(data, indent=0, sort_keys=False) + "\n", "utf-8")

    @classmethod
    def from_disk(cls, path: Path | None = None) -> RoleModel:
        """Read a model written by ``to_disk``; the shipped one when ``path`` is None.

        Raises:
            InputError: the file cannot be read or is not a role model.
        """
        try:
            if path is None:
                text = resources.files("kg.data").joinpath("roles.json").read_text("utf-8")
            else:
                text = path.read_text("utf-8")
            data = json.loads(text)
        except (OSError, ValueError) as e:
            raise InputError(f"{path or 'kg/data/roles.json'}: cannot read the role model ({e})") from e
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise InputError(f"{path or 'kg/data/roles.json'}: not a role model (format {FORMAT} expected)")
        return cls(tuple(data["classes"]), list(data["bias"]), dict(data["weights"]), dict(data.get("meta", {})))
