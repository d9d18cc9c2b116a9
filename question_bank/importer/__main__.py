"""`python -m question_bank.importer [--seeds DIR] [--out FILE]`: rebuild the committed bank."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from question_bank.importer.build import build
from question_bank.loader import BUILTIN_BANK_PATH

DEFAULT_SEEDS = Path(__file__).resolve().parents[2].parent / "shared" / "seeds"


def main(
    seeds: Annotated[Path, typer.Option(help="Folder with the five seed documents.")] = DEFAULT_SEEDS,
    out: Annotated[Path, typer.Option(help="Bank file to write.")] = BUILTIN_BANK_PATH,
    verbose: Annotated[bool, typer.Option(help="List every dropped item.")] = False,
) -> None:
    """Parse the seeds, merge duplicates, write the bank and print a coverage report per seed."""
    console = Console()
    try:
        result = build(seeds)
    except (FileNotFoundError, ValueError) as error:
        console.print(f"[red]import failed:[/] {error}")
        raise typer.Exit(1) from error
    bank, reports = result.bank, result.reports
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(bank.model_dump_json(indent=1, exclude_none=True) + "\n", encoding="utf-8")

    table = Table(title=f"coverage → {out} ({len(bank.questions)} questions, {result.authored} authored)")
    for column in ("seed", "question-shaped lines", "found", "left in an answer", "merged into another", "dropped",
                   "in bank"):
        table.add_column(column)
    for report in reports:
        in_bank = sum(any(s.file == report.file for s in q.sources) for q in bank.questions)
        table.add_row(report.file, str(report.question_lines), str(report.found), str(len(report.not_taken)),
                      str(report.merged), str(len(report.dropped)), str(in_bank))
    console.print(table)
    for report in reports:
        if report.not_taken:
            console.print(f"[dim]{report.file}[/] {len(report.not_taken)} question-shaped lines left in an answer",
                          highlight=False)
        if verbose:
            for line in report.not_taken:
                console.print(f"    line {line.number}: {line.text}", highlight=False, markup=False)
    merged_into: dict[str, list[str]] = {}
    for merge in result.merges:
        label = f"{merge.kept_id} {merge.kept_text}"
        merged_into.setdefault(label, []).append(
            f"{merge.source.file} ({merge.source.locator}): {merge.merged_text}  [{merge.reason}]")
    console.print(f"merged {len(result.merges)} questions into {len(merged_into)}:", highlight=False)
    for label, members in merged_into.items():
        console.print(f"  {label}", highlight=False, markup=False)
        for member in members:
            console.print(f"    ← {member}", highlight=False, markup=False)
    for report in reports:
        reasons: dict[str, list[str]] = {}
        for dropped in report.dropped:
            reasons.setdefault(dropped.reason, []).append(f"{dropped.locator}: {dropped.text}")
        for reason, items in sorted(reasons.items()):
            console.print(f"[dim]{report.file}[/] dropped {len(items)} × {reason}", highlight=False)
            if verbose:
                for item in items:
                    console.print(f"    {item}", highlight=False, markup=False)


if __name__ == "__main__":
    typer.run(main)
