"""Helpers shared by CLI commands: JSON output, rich tables and clean error exits."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any, NoReturn

import typer
from rich.console import Console
from rich.table import Table

console = Console()
error_console = Console(stderr=True, soft_wrap=True)  # one line per error, whatever the width


def print_json(payload: Any) -> None:
    """Machine output: UTF-8 JSON on stdout, nothing else."""
    typer.echo(json.dumps(payload, ensure_ascii=False, indent=2))


def fail(message: str, code: int = 1) -> NoReturn:
    """A clear one-line error instead of a traceback."""
    error_console.print(f"[bold red]错误 / error:[/] {message}", highlight=False)
    raise typer.Exit(code)


def print_table(title: str, columns: Sequence[str], rows: Iterable[Sequence[object]]) -> None:
    table = Table(title=title, show_lines=False)
    for column in columns:
        table.add_column(column, overflow="fold")
    for row in rows:
        table.add_row(*(str(cell) for cell in row))
    console.print(table)
