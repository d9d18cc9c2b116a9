"""`mock-interview llm check`: probe the configured endpoint the way an interview will use it.

A short phrasing call, then a judge call on a canned answer whose right verdicts are known, trying
every structured-output method in order. The verdict says plainly what the model can be used for.
"""

from __future__ import annotations

import time
from typing import Literal

from langchain_core.messages import HumanMessage, SystemMessage
from pydantic import BaseModel, ConfigDict, Field

from interviewer.llm.client import LLMCallError, LLMClient
from interviewer.llm.limits import PROBE, judge_job
from interviewer.llm.methods import METHOD_ORDER, Method

Verdict = Literal["offline", "usable", "phrasing_only", "judging_only", "not_usable"]


class ProbeVerdict(BaseModel):
    """The judge's schema in miniature: one verdict per numbered key point."""

    model_config = ConfigDict(extra="forbid")

    index: int = Field(ge=0)
    verdict: Literal["stated", "contradicted", "absent"]


class ProbeOutput(BaseModel):
    model_config = ConfigDict(extra="forbid")

    points: list[ProbeVerdict]


class CheckReport(BaseModel):
    model_config = ConfigDict(extra="forbid")

    model: str | None
    endpoint: str | None
    verdict: Verdict
    reason: str = ""
    phrasing_ok: bool = False
    phrasing_seconds: float | None = None
    phrasing_sample: str = ""
    method: Method | None = None  # the structured-output method that worked
    rejected_methods: list[Method] = Field(default_factory=list)
    judge_ok: bool = False
    judge_seconds: float | None = None
    judge_problem: str = ""


PROBE_POINTS = ("LoRA 冻结预训练权重，只训练新增的低秩矩阵", "LoRA 推理时可以把低秩矩阵合并回原权重，没有额外延迟",
                "QLoRA 把底座量化到 4bit 再训练")
PROBE_ANSWER = ("LoRA 会冻结原来的预训练权重，只训练旁路里新加的两个低秩矩阵 A 和 B。"
                "推理时它会带来额外延迟，没法合并回去。")
PROBE_EXPECTED = ("stated", "contradicted", "absent")


def _judge_messages() -> list[SystemMessage | HumanMessage]:
    points = "\n".join(f"{index}: {text}" for index, text in enumerate(PROBE_POINTS))
    return [SystemMessage("You grade an interview answer. For each numbered key point say whether the answer states "
                          "it (stated), says the opposite (contradicted) or does not mention it (absent)."),
            HumanMessage(f"Key points:\n{points}\n\nAnswer:\n{PROBE_ANSWER}")]


def check_endpoint(client: LLMClient | None) -> CheckReport:
    if client is None:
        return CheckReport(model=None, endpoint=None, verdict="offline", reason="no API key configured")
    report = CheckReport(model=client.name, endpoint=client.endpoint.split("|")[0], verdict="not_usable")
    started = time.monotonic()
    sample = client.text(PROBE, [HumanMessage("用一句话向候选人问好。Reply in one short sentence.")])
    report.phrasing_seconds = round(time.monotonic() - started, 2)
    report.phrasing_ok = bool(sample)
    report.phrasing_sample = (sample or "")[:120]
    phrasing_problem = f"no usable reply to a short phrasing request ({client.last_problem})"
    _check_judge(client, report)
    if report.judge_ok and report.phrasing_ok:
        report.verdict, report.reason = "usable", "usable for phrasing and judging"
    elif report.phrasing_ok:
        report.verdict, report.reason = "phrasing_only", f"phrasing only: {report.judge_problem}"
    elif report.judge_ok:
        report.verdict, report.reason = "judging_only", f"judging only: {phrasing_problem}"
    else:
        report.reason = f"not usable: {phrasing_problem}; judge: {report.judge_problem}"
    return report


def _check_judge(client: LLMClient, report: CheckReport) -> None:
    """Try each structured-output method in turn, from scratch; keep the first that gives right verdicts."""
    for method in METHOD_ORDER:
        # A fresh client per method: the check must not be refused by a breaker the interview opened.
        probe = LLMClient(client.model, name=client.name, endpoint=client.endpoint,
                          token_parameter=client.token_parameter, reasoning_tokens=client.reasoning_tokens,
                          max_timeout=client.max_timeout)
        started = time.monotonic()
        try:
            output = probe.structured(ProbeOutput, _judge_messages(), judge_job(len(PROBE_POINTS)), only=method)
        except LLMCallError as error:
            report.judge_seconds = round(time.monotonic() - started, 2)
            if error.code == "unsupported":
                report.rejected_methods.append(method)
            else:
                report.judge_problem = f"{method}: {error.code} ({str(error)[:120]})"
            continue
        report.judge_seconds = round(time.monotonic() - started, 2)
        verdicts = {item.index: item.verdict for item in output.points}
        right = sum(verdicts.get(index) == expected for index, expected in enumerate(PROBE_EXPECTED))
        if right < len(PROBE_EXPECTED) - 1:
            report.judge_problem = (f"{method}: valid JSON but {right} of {len(PROBE_EXPECTED)} verdicts right "
                                    "on a canned answer; too unreliable to grade")
            continue
        report.method, report.judge_ok = method, True
        client.memory.put(client.endpoint, method)
        client.method = method
        return
    if not report.judge_problem:
        report.judge_problem = "the endpoint rejected every structured-output method"
