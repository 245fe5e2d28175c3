"""The build backend: setuptools' own, and on request the hot modules compiled to C by mypyc.

``pyproject.toml`` names this module as its PEP 517 backend (``backend-path = ["."]``). A plain
``pip install .`` installs plain Python in seconds. With ``KG_COMPILE=1`` in the environment,
``pip install .`` and ``pip install -e .`` also compile the modules of ``kg.compiled_modules.COMPILED``
(the extraction rules and features, resolution, the graph model, query parameters) with mypyc,
which turns typed Python into C extensions: they run 1.35-2.9x faster and give the same output
(tests/unit/test_compiled.py), for about 90 s more install time.

Where compiling cannot happen (no C compiler, or mypyc refusing the code) the install goes on and
those modules stay plain Python. Every hook is setuptools' own; the one change is the
extension modules handed to ``setup()``, which the hooks that only read requirements and metadata
go without. This module runs only at install time; nothing imports it at run time.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import setuptools
import setuptools.build_meta
from setuptools.build_meta import *  # noqa: F403  (the PEP 517 hooks; four are wrapped below)

from kg.compiled_modules import COMPILED, manifest, source_hash, source_of

GROUP = "kg._native"  # the shared library of the compiled modules
# mypyc type-checks what it compiles, with the strict settings of pyproject.toml. The build runs
# before kg's dependencies are installed, so their types are unknown there (spaCy's, neo4j's...):
# these let their modules be missing and their decorators, base classes and calls be untyped
# (``mypy`` itself checks the code with the dependencies present).
WITHOUT_DEPENDENCIES = ["--ignore-missing-imports", "--allow-untyped-decorators", "--allow-subclassing-any",
                        "--allow-untyped-calls", "--no-warn-return-any", "--no-warn-unused-ignores"]


_compiling = True  # False while a hook only reads the project (see _reading)


def extension_modules() -> list[Any]:
    """The extension modules of ``COMPILED``, or none when they cannot be built here."""
    if not _compiling:
        return []
    _remove_old_builds()
    if not os.environ.get("KG_COMPILE") or os.environ.get("KG_PURE_PYTHON"):
        return []
    try:
        from mypyc.build import mypycify

        extensions = mypycify([*WITHOUT_DEPENDENCIES, *(str(source_of(m, Path())) for m in COMPILED)], group_name=GROUP)
    except (Exception, SystemExit) as error:  # mypyc missing, or refusing the code: plain Python still works
        print(f"kg: the compiled modules stay plain Python ({error})", file=sys.stderr)
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


def _reading(hook: Callable[..., Any]) -> Callable[..., Any]:
    """A setuptools hook that only reads the project (its requirements, its metadata): pip calls
    each before the build, and none needs the modules compiled, which mypyc would type-check."""
    def read(*args: Any, **kwargs: Any) -> Any:
        global _compiling
        _compiling = False
        try:
            return hook(*args, **kwargs)
        finally:
            _compiling = True
    return read


def _compiler_too(hook: Callable[..., list[str]]) -> Callable[..., list[str]]:
    """A requirements hook that adds mypyc (it comes with mypy) only when asked to compile, so a
    plain install does not download and unpack it into the build environment."""
    def requires(*args: Any, **kwargs: Any) -> list[str]:
        wanted = list(_reading(hook)(*args, **kwargs))
        if os.environ.get("KG_COMPILE") and not os.environ.get("KG_PURE_PYTHON"):
            wanted.append("mypy>=1.15")
        return wanted
    return requires


get_requires_for_build_wheel = _compiler_too(setuptools.build_meta.get_requires_for_build_wheel)
get_requires_for_build_editable = _compiler_too(setuptools.build_meta.get_requires_for_build_editable)
prepare_metadata_for_build_wheel = _reading(setuptools.build_meta.prepare_metadata_for_build_wheel)
prepare_metadata_for_build_editable = _reading(setuptools.build_meta.prepare_metadata_for_build_editable)

_setup = setuptools.setup


def _setup_with_extensions(**attrs: Any) -> Any:
    """``setuptools.setup``, which setuptools' backend calls with the project's own settings."""
    return _setup(**attrs, ext_modules=extension_modules())


setuptools.setup = _setup_with_extensions
