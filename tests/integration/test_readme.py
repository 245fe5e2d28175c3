"""The README's tour runs as written: every shell and Python block of it, verbatim, in a fresh
folder with ../shared beside it, as a new user would paste them."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

README = ROOT / "README.md"
SHARED = ROOT.parent / "shared"


def tour_blocks() -> list[tuple[str, str]]:
    """The fenced blocks of the README's tour, as (info string, text), in order."""
    text = README.read_text(encoding="utf-8")
    tour = text[text.index("## A tour"):text.index("\n## ", text.index("## A tour") + 1)]
    return [(m[1].strip(), m[2]) for m in re.finditer(r"^```([^\n]*)\n(.*?)^```", tour, re.M | re.S)]


def test_the_readme_stays_a_short_guide_with_the_two_commands() -> None:
    text = README.read_text(encoding="utf-8")
    assert len(text.encode()) < 15_000
    first, second = re.findall(r"^```sh\n(.*?)\n```", text, re.M | re.S)[:2]
    assert first.startswith("python3 -m venv .venv") and "kg build" in first
    assert second in (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    for link in re.findall(r"\]\(((?:docs|schemas)/[^)#]+)\)", text):
        assert (ROOT / link).exists(), link


@pytest.mark.slow
def test_the_readme_tour_runs_verbatim(tmp_path: Path) -> None:
    if not (SHARED / "listings" / "dev").is_dir():
        pytest.skip("../shared is not beside the checkout")
    work = tmp_path / "work"
    work.mkdir()
    (tmp_path / "shared").symlink_to(SHARED)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("KG_DATA_DIR", "NEO4J_"))}
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    blocks = tour_blocks()
    assert [info for info, _ in blocks].count("python") == 1 and len(blocks) >= 6
    ran = 0
    for info, text in blocks:
        if info == "python":
            done = subprocess.run([sys.executable, "-c", text], cwd=work, env=env, capture_output=True, text=True)
        elif info == "sh":
            done = subprocess.run(["bash", "-euo", "pipefail", "-c", text], cwd=work, env=env,
                                  capture_output=True, text=True)
        else:
            continue  # output shown as text, and the Neo4j block, which needs a Neo4j server
        assert done.returncode == 0, f"{text}\n{done.stdout[-2000:]}\n{done.stderr[-3000:]}"
        assert "Traceback" not in done.stderr, done.stderr
        ran += 1
        if info == "python":
            assert re.match(r"\d+ nodes; \[\{'author': ", done.stdout), done.stdout
    assert ran >= 6
    tour = "\n".join(text for _, text in blocks)
    # what the tour says it writes is there
    written = re.findall(r"(?:--out|--rejects|--plot) (\S+)|kg export (\S+)", tour)
    for path in {a or b for a, b in written}:
        assert (work / path).exists(), path
    assert (work / "import" / "import.sh").read_text().count("neo4j-admin database import full") == 1
    assert sorted(p.suffix for p in (work / "pictures").iterdir()) == [".png"] * 3
