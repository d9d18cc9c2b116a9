"""`mock-interview simulate`: a whole interview against a simulated candidate."""

from __future__ import annotations

from typing import Annotated

import typer

from interviewer.cli.common import console, fail, print_json
from interviewer.report import build_report
from interviewer.service import DEFAULT_TECHNICAL_QUESTIONS, MAX_TECHNICAL_QUESTIONS, InterviewPlan, create_service
from interviewer.simulate import PERSONAS, run_simulation


def simulate(
    persona: Annotated[str, typer.Option(help=f"One of: {', '.join(PERSONAS)}.")] = "strong",
    questions: Annotated[int, typer.Option(min=0, max=MAX_TECHNICAL_QUESTIONS,
                                           help="Number of technical questions.")] = DEFAULT_TECHNICAL_QUESTIONS,
    seed: Annotated[int, typer.Option(help="Seed for the candidate's choices.")] = 0,
    mode: Annotated[str, typer.Option(help="interview or practice.")] = "interview",
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON for machines.")] = False,
) -> None:
    """Run an interview with a simulated candidate (for demos, tests and benchmarks)."""
    if persona not in PERSONAS:
        fail(f"unknown persona {persona!r}; choose from {', '.join(PERSONAS)}")
    if mode not in ("interview", "practice"):
        fail("mode must be interview or practice")
    service = create_service()
    view = run_simulation(service, persona, InterviewPlan(mode=mode, technical_questions=questions),  # type: ignore[arg-type]
                          seed=seed)
    report = build_report(service.snapshot(view.session_id), service.bank)
    if as_json:
        print_json({"session_id": view.session_id, "overall_score": report.overall_score,
                    "turns": [turn.model_dump(mode="json") for turn in view.turns],
                    "report": report.model_dump(mode="json")})
        return
    for turn in view.turns:
        who = "候选人" if turn.kind == "answer" else "面试官"
        console.print(f"[dim]{turn.stage}[/] [bold]{who}[/]: ", end="")
        console.print(turn.text, markup=False, highlight=False)
    console.print(f"\nsession: {view.session_id}  overall: {report.overall_score}  level: {report.level}")
