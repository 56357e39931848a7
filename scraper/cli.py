"""Command line: a thin typer layer over :mod:`scraper.jobs`.

Exit status: 0 all inputs became records; 3 the run finished but some inputs were
rejected (see the rejects file); 1 the run could not be done (bad options, unwritable
output); 130 stopped by SIGINT/SIGTERM (what was written is complete).
"""

from __future__ import annotations

import json
from typing import Annotated

import typer

from scraper import __version__
from scraper.errors import PagewashError
from scraper.runner import EXIT_ERROR, print_summary

app = typer.Typer(
    name="pagewash",
    help="Turn messy web pages and text dumps into clean article records (JSON Lines).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

Inputs = Annotated[
    list[str],
    typer.Argument(help="Files, directories, glob patterns, or - for stdin.", show_default=False),
]
Output = Annotated[
    str,
    typer.Option("--output", "-o", help="Output JSONL (.gz/.zst compress; - for stdout)."),
]


def _version(value: bool) -> None:
    if value:
        typer.echo(f"pagewash {__version__}")
        raise typer.Exit()


@app.callback()
def main_callback(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="Show the version and exit.")] = False,
) -> None:
    """pagewash: clean article records from dumps, pages and crawls."""


def _parse_size(text: str | None) -> int | None:
    if text is None:
        return None
    units = {"k": 10**3, "m": 10**6, "g": 10**9, "kb": 10**3, "mb": 10**6, "gb": 10**9,
             "kib": 2**10, "mib": 2**20, "gib": 2**30}
    t = text.strip().lower()
    for unit in sorted(units, key=len, reverse=True):
        if t.endswith(unit):
            return int(float(t[: -len(unit)]) * units[unit])
    return int(t)


def _finish(summary: object, summary_json: str | None) -> None:
    print_summary(summary)  # type: ignore[arg-type]
    if summary_json:
        with open(summary_json, "w", encoding="utf-8") as f:
            json.dump(summary.to_dict(), f, indent=2)  # type: ignore[attr-defined]
    raise typer.Exit(summary.exit_code)  # type: ignore[attr-defined]


@app.command()
def clean(
    inputs: Inputs,
    output: Output = "-",
    text_field: Annotated[str, typer.Option(help="JSONL field holding the text.")] = "text",
    encoding: Annotated[str, typer.Option(
        help="Encoding of .txt inputs: utf-8 (strict), auto (detect), or a codec name.")] = "utf-8",
    rejects: Annotated[str | None, typer.Option(
        help="Rejects file (default: next to the output, <name>.rejects.jsonl).")] = None,
    shard_records: Annotated[int | None, typer.Option(
        help="Start a new output shard every N records.")] = None,
    shard_size: Annotated[str | None, typer.Option(
        help="Start a new output shard at this many bytes (e.g. 500MB).")] = None,
    max_bytes: Annotated[str, typer.Option(help="Refuse single documents larger than this.")]
    = "50MiB",
    with_removed: Annotated[bool, typer.Option(
        "--with-removed", help="Keep every removed block and its rule in the records.")] = False,
    explain: Annotated[bool, typer.Option(
        "--explain", help="Print each removed block with the rule that removed it.")] = False,
    explain_html: Annotated[str | None, typer.Option(
        help="Write an HTML page showing removed blocks struck through, by rule.")] = None,
    explain_limit: Annotated[int, typer.Option(
        help="Documents shown in the --explain-html page.")] = 200,
    disable: Annotated[list[str] | None, typer.Option(
        help="Switch off a rule or rule family by name (repeatable), e.g. model, dedup.")] = None,
    no_language: Annotated[bool, typer.Option(
        "--no-language", help="Skip language detection.")] = False,
    progress: Annotated[bool, typer.Option(
        "--progress/--no-progress", help="Progress bar (default: on when stderr is a terminal).")]
    = True,
    summary_json: Annotated[str | None, typer.Option(
        help="Also write the run summary as JSON to this file.")] = None,
) -> None:
    """Clean text dumps: remove menus, counters, related links, widgets and repeats."""
    from scraper.jobs import clean_files

    try:
        summary = clean_files(
            inputs, output, text_field=text_field, encoding=encoding,
            max_bytes=_parse_size(max_bytes) or 0, rejects=rejects,
            shard_records=shard_records, shard_bytes=_parse_size(shard_size),
            with_removed=with_removed, explain=explain, explain_html=explain_html,
            explain_limit=explain_limit, disable=disable or (),
            detect_language=not no_language, progress=progress,
        )
    except PagewashError as exc:
        typer.echo(f"pagewash: error: {exc}", err=True)
        raise typer.Exit(EXIT_ERROR) from None
    _finish(summary, summary_json)


def main() -> None:
    app(prog_name="pagewash")


if __name__ == "__main__":
    main()
