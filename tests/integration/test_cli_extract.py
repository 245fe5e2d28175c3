"""`kg extract` end to end: real files in, JSON lines out, validated against the schema."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
from typer.testing import CliRunner

from kg.cli import app
from tests.conftest import ROOT

SCHEMA = json.loads((ROOT / "schemas" / "records.schema.json").read_text(encoding="utf-8"))
runner = CliRunner()


def _run(*args: str, input: bytes | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", "from kg.cli import main; main()", *args],
                          input=input.decode() if input else None, capture_output=True, text=True, timeout=300)


def test_extract_writes_schema_valid_records(dev_listings: list[Path], tmp_path: Path) -> None:
    out = tmp_path / "records.jsonl"
    result = runner.invoke(app, ["extract", *map(str, dev_listings), "--out", str(out)])
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    validator = jsonschema.Draft202012Validator(SCHEMA)
    for record in records:
        validator.validate(record)
    kinds = [r["type"] for r in records]
    assert kinds.count("listing") == len(dev_listings)
    assert kinds.count("paper") > 0


@pytest.mark.slow
def test_folders_are_walked_and_stdin_read(dev_listings: list[Path], tmp_path: Path) -> None:
    folder = dev_listings[0].parent
    walked = _run("extract", str(folder), "-q")
    assert walked.returncode == 0, walked.stderr
    piped = _run("extract", "-", "-q", input=dev_listings[0].read_bytes())
    assert piped.returncode == 0, piped.stderr
    papers = [json.loads(line) for line in piped.stdout.splitlines() if '"paper"' in line]
    assert papers and {p["source"]["file"] for p in papers} == {"<stdin>"}
    assert len(walked.stdout.splitlines()) > len(piped.stdout.splitlines())


def test_a_folder_reached_through_dotdot_is_walked(dev_listings: list[Path], tmp_path: Path) -> None:
    folder = dev_listings[0].parent
    relative = os.path.relpath(folder, tmp_path)
    assert relative.startswith("..")
    result = subprocess.run([sys.executable, "-c", "from kg.cli import main; main()", "extract", relative,
                             "--parse-only", "-q"], cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert sum('"paper"' in line for line in result.stdout.splitlines()) > 0


@pytest.mark.slow
def test_bad_input_is_reported_counted_and_written_to_rejects(dev_listings: list[Path], tmp_path: Path) -> None:
    (tmp_path / "binary.txt").write_bytes(b"\x00\x01\x02")
    (tmp_path / "empty.txt").write_bytes(b"")
    good = dev_listings[1].read_bytes()
    cut = good[: len(good) // 2].rsplit(b"\n", 1)[0] + b"\nCLMay 3\n"  # a page cut off mid-paper
    (tmp_path / "cut.txt").write_bytes(cut)
    rejects = tmp_path / "rejects.jsonl"
    result = _run("extract", str(tmp_path), "--out", str(tmp_path / "r.jsonl"), "--rejects", str(rejects))
    assert result.returncode == 0, result.stderr
    assert "binary.txt:1: rejected" in result.stderr and "empty.txt:1: rejected" in result.stderr
    rejected = [json.loads(line) for line in rejects.read_text(encoding="utf-8").splitlines()]
    validator = jsonschema.Draft202012Validator(SCHEMA)
    for r in rejected:
        validator.validate(r)
    assert {r["file"] for r in rejected} == {"binary.txt", "empty.txt", "cut.txt"}
    written = sum('"type":"paper"' in line for line in (tmp_path / "r.jsonl").read_text().splitlines())
    summary = dict(re.findall(r"^\s*(papers read|papers written|blocks rejected)\s+(\d+)", result.stderr, re.M))
    assert int(summary["papers written"]) == written
    assert int(summary["papers read"]) == written + int(summary["blocks rejected"])
    assert int(summary["blocks rejected"]) == len(rejected)
    strict = _run("extract", str(tmp_path), "--out", str(tmp_path / "r2.jsonl"), "--strict", "-q")
    assert strict.returncode == 1 and "Error: --strict" in strict.stderr


def test_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    result = _run("extract", str(tmp_path / "nope.txt"))
    assert result.returncode == 1
    assert result.stderr.startswith("Error:") and "nope.txt: no such file" in result.stderr
    assert "Traceback" not in result.stderr


def test_every_command_has_help_and_is_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    commands = [c.name or c.callback.__name__ for c in app.registered_commands if c.callback]
    assert commands
    for name in commands:
        result = runner.invoke(app, [name, "--help"])
        assert result.exit_code == 0 and "Usage" in result.output
        assert f"kg {name}" in readme, f"`kg {name}` is not in the README"


@pytest.mark.parametrize("module", ["kg", "kg.parse", "kg.reading", "kg.pipeline", "kg.cli"])
def test_import_does_no_work(module: str) -> None:
    code = f"import sys, {module}; assert 'spacy' not in sys.modules and 'falkordb' not in sys.modules"
    subprocess.run([sys.executable, "-Werror", "-c", code], check=True, timeout=60)


@pytest.mark.slow
def test_parallel_extraction_writes_the_same_records(dev_listings: list[Path], tmp_path: Path) -> None:
    from kg.reading import SPLIT_BYTES

    # 12 files: more than the workers are given at once (4 each), so the window refills; and one
    # file large enough to be shared out among the workers, with lines it rejects
    corpus = tmp_path / "in"
    corpus.mkdir()
    for copy in range(4):
        for listing in dev_listings:
            (corpus / f"{copy}-{listing.name}").write_bytes(listing.read_bytes())
    pages = b"\n".join(listing.read_bytes() for listing in dev_listings)
    copies = -(-SPLIT_BYTES // len(pages))
    (corpus / "large.txt").write_bytes(b"stray notes\n\n" + b"\n".join([pages] * copies))
    outs = []
    for jobs in ("1", "2"):
        out, rejects = tmp_path / f"jobs{jobs}.jsonl", tmp_path / f"rejects{jobs}.jsonl"
        subprocess.run([sys.executable, "-m", "kg", "extract", str(corpus), "--jobs", jobs, "-q",
                        "--out", str(out), "--rejects", str(rejects)], check=True, capture_output=True, timeout=600)
        outs.append((out.read_text(), rejects.read_text()))
    assert outs[0] == outs[1]
    assert outs[0][0].count('"type":"paper"') == (4 + copies) * 87
    assert outs[0][1].count('"type":"rejected"') == 1


def test_shards_split_the_files_without_overlap_or_loss() -> None:
    from kg.parse import parse_shard, shard_of

    names = [f"{i:06d}.txt" for i in range(200)]
    shards = [{n for n in names if shard_of(n, 4) == i} for i in range(1, 5)]
    assert set().union(*shards) == set(names)
    assert sum(map(len, shards)) == len(names)
    assert all(20 < len(s) < 80 for s in shards)
    assert parse_shard("2/8") == (2, 8)
    from kg.errors import InputError

    for bad in ("9/8", "0/3", "two/8", "3"):
        with pytest.raises(InputError, match="--shard"):
            parse_shard(bad)


def test_kg_authors_reads_a_thesaurus(tmp_path: Path) -> None:
    records = tmp_path / "records.jsonl"
    papers = [{"type": "paper", "source": {"file": "a.txt", "index": i, "line": i + 1}, "title": title,
               "abstract": "", "authors": ["Wei Zhang", coauthor], "affiliations": [], "methods": [], "datasets": []}
              for i, (title, coauthor) in enumerate([("Sorting Lists", "Ann Lee"), ("Sorting Trees", "Bo Kim")])]
    records.write_text("".join(json.dumps(p) + "\n" for p in papers), encoding="utf-8")
    split = runner.invoke(app, ["authors", str(records)])
    assert split.exit_code == 0 and split.output.count("wei zhang~") == 2
    thesaurus = tmp_path / "thesaurus.txt"
    thesaurus.write_text("same: Wei Zhang @ Sorting Lists | Wei Zhang @ Sorting Trees\n", encoding="utf-8")
    joined = runner.invoke(app, ["authors", str(records), "--thesaurus", str(thesaurus)])
    assert joined.exit_code == 0 and joined.output.count("wei zhang~") == 1 and "thesaurus" in joined.output
    why = runner.invoke(app, ["authors", str(records), "--thesaurus", str(thesaurus), "--name", "WEI ZHANG"])
    assert why.exit_code == 0 and "joined by thesaurus (weight 10, 3 joins): " in why.output
    assert "2 paper(s)" in why.output
    thesaurus.write_text("same: Wei Zhang @ Sorting Lists | Wei Zhang @ Sorting Heaps\n", encoding="utf-8")
    mistyped = runner.invoke(app, ["authors", str(records), "--thesaurus", str(thesaurus)])
    assert mistyped.exit_code == 0 and f"{thesaurus}:1: warning: one side names no paper" in mistyped.stderr
    assert mistyped.output.count("wei zhang~") == 2
    thesaurus.write_text("same: Wei Zhang @ Sorting Lists\n", encoding="utf-8")
    bad = runner.invoke(app, ["authors", str(records), "--thesaurus", str(thesaurus)])
    assert bad.exit_code == 1 and str(bad.exception).startswith(f"{thesaurus}:1: expected 'same: A | B'")
