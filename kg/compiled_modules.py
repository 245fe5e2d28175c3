"""Which modules the install compiles to C, and the rule that a stale compiled copy is not used.

The modules of ``COMPILED`` are compiled by mypyc when kg is installed (see ``kg/build_backend.py``);
each compiled copy sits beside its source file and Python imports it first. The build records a
hash of every source it compiled in ``kg/_native.json``. A compiled copy of a source that has
changed since (edited, or checked out, after the install) is not used: the whole group is
imported from source, with a note on stderr, because compiled modules call each other directly
and a stale one would still run. ``KG_PURE_PYTHON=1`` imports the sources too, compiled or not.
``kg/__init__.py`` calls ``import_sources_if_stale`` before anything else of kg is imported.
"""

from __future__ import annotations

import hashlib
import importlib.machinery
import importlib.util
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType

# The extraction rules, the candidates and features the role model reads, the helpers they call,
# the role model's reading of its weights, resolution, the graph model and the parameters of
# FalkorDB queries: the CPU-heavy Python of a build (parsing would gain little, 1.13x). Modules
# run with ``python -m`` (``kg.extract.usage``, ``kg.extract.registries``) stay source: Python runs
# a module as a script from its code, which a compiled one has not.
COMPILED = ("kg.extract.components", "kg.extract.paper", "kg.extract.candidates", "kg.extract.features",
            "kg.extract.paper_names", "kg.extract.paper_proposals",
            "kg.extract.cues", "kg.extract.doc", "kg.extract.lists", "kg.extract.shapes", "kg.extract.abbreviations",
            "kg.extract.annotate", "kg.extract.lexicon", "kg.extract.model", "kg.extract.contexts", "kg.extract.roles",
            "kg.unionfind", "kg.resolve.keys",
            "kg.resolve.papers", "kg.resolve.entities", "kg.resolve.people", "kg.build", "kg.store.params")
ROOT = Path(__file__).resolve().parent.parent


def source_of(module: str, root: Path = ROOT) -> Path:
    """The source file of ``module`` under ``root``: ``kg.extract.shapes`` -> ``kg/extract/shapes.py``."""
    return root.joinpath(*module.split(".")).with_suffix(".py")


def source_hash(module: str, root: Path = ROOT) -> str:
    """The SHA-256 of ``module``'s source file."""
    return hashlib.sha256(source_of(module, root).read_bytes()).hexdigest()


def manifest(root: Path = ROOT) -> Path:
    """Where the build records the hash of each source it compiled."""
    return root / "kg" / "_native.json"


def stale_modules(modules: Sequence[str], root: Path = ROOT) -> list[str]:
    """The modules of ``modules`` with a compiled copy made from a source other than theirs now."""
    built = [m for m in modules if any(source_of(m, root).with_suffix(suffix).exists()
                                       for suffix in importlib.machinery.EXTENSION_SUFFIXES)]
    if not built:
        return []
    try:
        recorded = json.loads(manifest(root).read_text("utf-8"))
    except (OSError, ValueError):
        recorded = {}
    return [m for m in built if recorded.get(m) != source_hash(m, root)]


class _SourceFinder:
    """Finds the compiled modules as Python source, ahead of their compiled copies."""

    def find_spec(self, fullname: str, path: object = None, target: ModuleType | None = None
                  ) -> importlib.machinery.ModuleSpec | None:
        if fullname not in COMPILED:
            return None
        return importlib.util.spec_from_file_location(fullname, source_of(fullname))


def import_sources_if_stale() -> None:
    """Import the modules of ``COMPILED`` from source if any compiled copy is stale, or if asked to."""
    stale = stale_modules(COMPILED)
    if stale and not os.environ.get("KG_PURE_PYTHON") and not os.environ.get("KG_STALE_NOTED"):
        print(f"kg: {', '.join(str(source_of(m).relative_to(ROOT)) for m in stale)} changed since compiled; running "
              "the compiled modules as Python (pip install -e . compiles them again)", file=sys.stderr)
        os.environ["KG_STALE_NOTED"] = "1"  # said once: the extraction workers inherit it
    if stale or os.environ.get("KG_PURE_PYTHON"):
        sys.meta_path.insert(0, _SourceFinder())


def compiled() -> bool:
    """Whether the compiled modules run compiled (as C extensions) in this process."""
    from kg.extract import components

    return not (components.__file__ or "").endswith(".py")
