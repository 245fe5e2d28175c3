"""The ``kg`` command line: thin commands that parse options and call library functions.

Every ``KGError`` is caught once, in ``main``, printed as ``Error: ...`` and turned into exit
status 1; progress and summaries go to standard error so standard output stays clean for data.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from kg.errors import InputError, KGError

app = typer.Typer(
    name="kg",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode="markdown",
    context_settings={"help_option_names": ["-h", "--help"]},
    add_completion=False,
)
# Soft wrap: a "file:line: reason" message must stay on one line for grep and editors.
err = Console(stderr=True, soft_wrap=True)


@app.callback()
def _root(
    version: Annotated[bool, typer.Option("--version", help="Print the version and exit.")] = False,
) -> None:
    """Turn plain-text copies of research-paper listings into a knowledge graph.

    Typical use: `kg extract LISTINGS... --out records.jsonl` writes typed JSON records; every
    command has its own `--help`.
    """
    if version:
        from kg import __version__

        typer.echo(f"kg {__version__}")
        raise typer.Exit()


@contextmanager
def _open_out(path: str) -> Iterator[IO[str]]:
    if path == "-":
        yield sys.stdout
        return
    try:
        with open(path, "w", encoding="utf-8") as fh:
            yield fh
    except OSError as e:
        raise InputError(f"{path}: cannot write: {e.strerror or e}") from e


def _progress() -> Progress:
    return Progress(TextColumn("[progress.description]{task.description}"), BarColumn(),
                    MofNCompleteColumn(), TimeElapsedColumn(), console=err, transient=True)


@app.command()
def extract(
    files: Annotated[list[str], typer.Argument(
        help="Listing files or folders (walked for *.txt); '-' reads standard input.",
        show_default=False)],
    out: Annotated[str, typer.Option("--out", "-o", help="Where the JSON lines go; '-' is standard output.")] = "-",
    rejects: Annotated[Path | None, typer.Option(
        help="Also write every rejected block (file, line, reason, text) as JSON lines here.")] = None,
    strict: Annotated[bool, typer.Option(help="Exit with status 1 if any block was rejected.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print no problems, only the summary.")] = False,
) -> None:
    """Parse listings into JSON lines: one "listing" record per page, one "paper" record per paper.

    The layout of each file (author profile page, compact profile page, daily-papers page) is
    detected from its content. Papers that cannot be read are reported with file, line and reason,
    and counted in the closing summary; nothing is dropped silently.

    Example: `kg extract listings/ --out records.jsonl --rejects rejected.jsonl`
    """
    from kg.parse import iter_listing_paths
    from kg.pipeline import extract_files

    paths = list(iter_listing_paths(files))
    if not paths:
        raise InputError("no listing files found in " + ", ".join(files))
    reject_fh = open(rejects, "w", encoding="utf-8") if rejects else None  # noqa: SIM115
    try:
        with _open_out(out) as out_fh, _progress() as progress:
            task = progress.add_task("reading listings", total=len(paths))
            summary = extract_files(
                paths, out_fh, rejects=reject_fh,
                on_problem=None if quiet else (lambda p: progress.console.print(f"[yellow]{p}[/]")),
                on_file=lambda _parsed: progress.advance(task),
            )
    finally:
        if reject_fh:
            reject_fh.close()
    _print_summary(summary.to_json())
    if strict and summary.blocks_rejected:
        raise KGError(f"--strict: {summary.blocks_rejected} block(s) rejected")


def _print_summary(s: dict[str, object]) -> None:
    table = Table(title="kg extract", show_header=False, box=None, title_justify="left")
    table.add_row("files", f"{s['files']} ({s['files_unreadable']} unreadable)")
    table.add_row("papers read", str(s["papers_read"]))
    table.add_row("papers written", str(s["papers_written"]))
    table.add_row("blocks rejected", str(s["blocks_rejected"]))
    table.add_row("warnings", str(s["warnings"]))
    reasons = s["rejected_by_reason"]
    assert isinstance(reasons, dict)
    for reason, n in sorted(reasons.items(), key=lambda kv: -kv[1]):
        table.add_row(f"  rejected: {n}", reason)
    err.print(table)


def main() -> None:
    """Entry point of the ``kg`` console script."""
    try:
        app()
    except KGError as e:
        err.print(f"[bold red]Error:[/] {e}", highlight=False)
        sys.exit(1)
