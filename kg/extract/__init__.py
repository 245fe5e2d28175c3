"""Extraction: methods, datasets and lineage from titles and abstracts (spaCy rules on a blank pipeline).

The rule modules of ``COMPILED`` are compiled to C by mypyc when kg is installed (see
``kg/_build.py``); the compiled copy sits beside each source file and Python imports it first.
A compiled copy older than its source (the source was edited or checked out since the install)
is not used: the whole group is imported from source, with a note on stderr, because compiled
modules call each other directly and a stale one would still run. ``KG_PURE_PYTHON=1`` imports
the sources too, compiled or not.
"""

from __future__ import annotations

import importlib.machinery
import importlib.util
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType

COMPILED = ("components", "shapes", "abbreviations", "annotate", "lexicon")


def stale_modules(folder: Path, names: Sequence[str]) -> list[str]:
    """The modules of ``names`` in ``folder`` whose compiled copy is older than their source."""
    stale = []
    for name in names:
        built = [p for suffix in importlib.machinery.EXTENSION_SUFFIXES if (p := folder / f"{name}{suffix}").exists()]
        if built and built[0].stat().st_mtime < (folder / f"{name}.py").stat().st_mtime:
            stale.append(name)
    return stale


class _SourceFinder:
    """Finds the rule modules as Python source, ahead of their compiled copies."""

    def __init__(self, folder: Path) -> None:
        self.paths = {f"{__name__}.{name}": folder / f"{name}.py" for name in COMPILED}

    def find_spec(self, fullname: str, path: object = None, target: ModuleType | None = None
                  ) -> importlib.machinery.ModuleSpec | None:
        source = self.paths.get(fullname)
        return None if source is None else importlib.util.spec_from_file_location(fullname, source)


def _import_sources_if_stale() -> None:
    folder = Path(__file__).parent
    stale = stale_modules(folder, COMPILED)
    if stale:
        print(f"kg: {', '.join(f'kg/extract/{n}.py' for n in stale)} changed since it was compiled; running the "
              "extraction rules as Python (pip install -e . compiles them again)", file=sys.stderr)
    if stale or os.environ.get("KG_PURE_PYTHON"):
        sys.meta_path.insert(0, _SourceFinder(folder))


_import_sources_if_stale()


def compiled() -> bool:
    """Whether the extraction rules run compiled (as C extensions) in this process."""
    from kg.extract import components

    return not (components.__file__ or "").endswith(".py")
