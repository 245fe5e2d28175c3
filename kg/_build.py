"""The build backend: setuptools' own, with the extraction rules compiled to C by mypyc.

``pyproject.toml`` names this module as its PEP 517 backend (``backend-path = ["."]``), so
``pip install .`` and ``pip install -e .`` both compile the modules of
``kg._compiled.COMPILED`` (the extraction rules, resolution) with mypyc, which turns typed Python
into C extensions: they run 1.3-1.6x faster and give the same output (tests/test_compiled.py).

Where that cannot happen (no C compiler, or ``KG_PURE_PYTHON=1`` at install time) the install
goes on and the rules stay plain Python. Every hook is setuptools' own; the one change is the
extension modules handed to ``setup()``. This module runs only at install time; nothing imports
it at run time.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

import setuptools
from setuptools.build_meta import *  # noqa: F403  (the PEP 517 hooks, unchanged)

from kg._compiled import COMPILED, manifest, source_hash, source_of

GROUP = "kg._native"  # the shared library of the compiled modules


def extension_modules() -> list[Any]:
    """The compiled rule modules, or none when they cannot be built here."""
    _remove_old_builds()
    if os.environ.get("KG_PURE_PYTHON"):
        return []
    try:
        from mypyc.build import mypycify

        extensions = mypycify([str(source_of(m, Path())) for m in COMPILED], group_name=GROUP)
    except Exception as error:  # mypyc missing or refusing the code: plain Python still works
        print(f"kg: the extraction rules stay plain Python ({error})", file=sys.stderr)
        return []
    for extension in extensions:
        extension.optional = True  # no C compiler: a warning, and the plain Python modules
    hashes = {m: source_hash(m, Path()) for m in COMPILED}
    manifest(Path()).write_text(json.dumps(hashes, indent=1) + "\n", "utf-8")
    return extensions


def _remove_old_builds() -> None:
    """Delete compiled copies left in the source tree by an earlier ``pip install -e .``: Python
    would import them ahead of their source, even for a module no longer compiled."""
    for built in Path("kg").rglob("*.so"):
        built.unlink()


_setup = setuptools.setup


def _setup_with_rules(**attrs: Any) -> Any:
    """``setuptools.setup``, which setuptools' backend calls with the project's own settings."""
    return _setup(**attrs, ext_modules=extension_modules())


setuptools.setup = _setup_with_rules
