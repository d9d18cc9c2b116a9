"""`mock-interview llm check`: is the configured LLM usable for phrasing and for judging?"""

from __future__ import annotations

import typer

from interviewer.cli.common import console, print_json

app = typer.Typer(help="The optional LLM endpoint (OpenAI-compatible).", no_args_is_help=True)

VERDICT_WORDS = {
    "offline": "离线模式：未配置大模型（设置 OPENAI_API_KEY 后可用） / offline: no LLM configured",
    "usable": "可用于提问措辞和评分 / usable for phrasing and judging",
    "phrasing_only": "仅可用于提问措辞，评分使用离线评分 / phrasing only; grading stays offline",
    "judging_only": "仅可用于评分，提问使用离线措辞 / judging only; questions are worded offline",
    "not_usable": "不可用 / not usable",
}


@app.command("check")
def check(as_json: bool = typer.Option(False, "--json", help="Machine-readable output.")) -> None:
    """Probe the endpoint: model, the structured-output method that works, latencies and a verdict."""
    from interviewer.llm import make_llm_client
    from interviewer.llm.check import check_endpoint
    from interviewer.settings import LLMSettings, data_home

    settings = LLMSettings.from_env()
    report = check_endpoint(make_llm_client(settings, data_home()))
    if as_json:
        print_json(report.model_dump(mode="json"))
    else:
        console.print(f"模型 / model: {report.model or '—'}  ·  接口 / endpoint: {report.endpoint or '—'}",
                      highlight=False)
        if report.phrasing_seconds is not None:
            console.print(f"措辞 / phrasing: {'ok' if report.phrasing_ok else 'failed'} in {report.phrasing_seconds} s"
                          + (f" — {report.phrasing_sample}" if report.phrasing_sample else ""), highlight=False)
        if report.judge_seconds is not None:
            method = report.method or "none"
            rejected = f" (rejected: {', '.join(report.rejected_methods)})" if report.rejected_methods else ""
            console.print(f"评分 / judge: {'ok' if report.judge_ok else 'failed'} in {report.judge_seconds} s, "
                          f"structured output: {method}{rejected}", highlight=False)
        console.print(f"结论 / verdict: {VERDICT_WORDS[report.verdict]}"
                      + (f" — {report.reason}" if report.verdict not in ("offline", "usable") else ""),
                      highlight=False)
    if report.verdict == "not_usable":
        raise typer.Exit(1)
