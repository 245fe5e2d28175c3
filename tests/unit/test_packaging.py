"""What ``pip install .`` installs: setuptools is given the packages by name (pyproject.toml), so a
folder of kg that is not named there is left out of a wheel, though an editable install finds it."""

from __future__ import annotations

import tomllib

from tests.conftest import ROOT


def test_every_package_of_kg_is_installed() -> None:
    settings = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    named = set(settings["packages"])
    folders = {".".join(init.parent.relative_to(ROOT).parts) for init in (ROOT / "kg").rglob("__init__.py")}
    assert folders - named == set()
    for package, folder in settings["package-dir"].items():  # kg.queries and kg.schemas: top-level folders
        assert package in named and (ROOT / folder).is_dir()
