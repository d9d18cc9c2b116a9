"""The claims ledger: concrete facts a candidate states about their project, and the checks on them.

A claim is (subject, quantity, unit, value, role), built from the content detectors: "4 张 A100 训练了 3 天"
gives (训练, gpu_count, A100, 4) and (训练, duration, 小时, 72). Two claims contradict each other only when
they are about the same subject and quantity ("每天 2 万条咨询" and "FAQ 两千多条" never do), a vague count
("几百份") contradicts nothing, and a model's role keeps a judge or teacher model apart from the base model.
The same claim said twice is merged. Résumé claims sit in the same ledger, marked by their source.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any

from interviewer.grading.detectors import HOURS, RATE, Finding, detect
from interviewer.transcript import Claim
from interviewer.tuning import (
    CONTRADICTION_PERCENT_POINTS,
    CONTRADICTION_RATIO,
    CONTRADICTION_SCORE_POINTS,
    MIN_DATA_COUNT,
)

LABELS = {"data_size": "数据规模", "dataset_size": "数据规模", "model_size": "模型参数量", "metric": "指标",
          "hardware": "硬件", "latency": "延迟", "throughput": "吞吐", "duration": "时长", "model": "模型",
          "hyperparameter": "超参数", "flow": "业务量"}
ROLE_SUBJECTS = {"base": "底座模型", "judge": "评测模型", "teacher": "教师模型", "baseline": "基线模型",
                 "embedding": "向量模型"}
MODEL_SIZE = re.compile(r"-?(\d+(?:\.\d+)?)[Bb]")


# A rate's regime: a bare figure is the typical one; a peak (or a quiet time) is another figure altogether.
PEAK = re.compile(r"峰值|高峰|压测|满载|开满|打满|极限|最高|最多|最大")
QUIET = re.compile(r"低峰|低谷|周末|夜间|半夜|最少|最低")
# Its scope: per card, per machine, or the whole service. A figure with no scope may be any of them.
SCOPES = (("单卡", re.compile(r"单卡|每张卡|一张卡|每卡")), ("单机", re.compile(r"单机|单台|每台|一台|单节点")),
          ("集群", re.compile(r"集群|整体|总共|合计|全部|\d+\s*台(?:机器)?一起")))
# A flow's period ("每天", "日均", "每周"...) -> days it spans, to compare flows per day.
FLOW_PERIOD = re.compile(rf"^({RATE.pattern})")  # a flow's period, as the detectors read rates
PERIOD_DAYS = {"周": 7.0, "月": 30.0, "小时": 1 / 24, "分钟": 1 / 1440, "秒": 1 / 86400}
# A data count's scope: the labelled part is not the whole collection ("标了 3000 份" vs "合同库 5 万多份").
DATA_SCOPES = (("标注", re.compile(r"标了|标注|人工标|打了?.{0,3}标|标完|抽检|抽了|抽样|挑了|筛[了出选]")),
               ("全部", re.compile(r"整个|全部|全量|一共|总共|合计|总量|库里|库中|全库")))
VAGUE_COUNT = re.compile(r"[几数]|(?<![\d.])上[十百千万]")  # "几百", "数千", "上万": an order of magnitude at most


def extract_claims(text: str, slot: str | None, source: str = "interview",
                   findings: list[Finding] | None = None) -> list[Claim]:
    """The claims `text` makes, deduplicated within the text (`findings`: `detect(text)`, when at hand)."""
    claims: list[Claim] = []
    for finding in detect(text) if findings is None else findings:
        claim = _claim(finding, slot, source)
        if claim is not None:
            claims = merge_claims(claims, [claim])
    return claims


def _claim(finding: Finding, slot: str | None, source: str) -> Claim | None:
    kind = finding.kind
    number = finding.value if isinstance(finding.value, float) else None
    common: dict[str, Any] = {"text": _quote(finding), "slot": slot, "source": source,
                              "approximate": finding.approximate, "upper": _upper(finding, number)}
    if kind == "metric" and number is not None and finding.quantity != "delta":
        quantity = finding.quantity or "metric"
        unit = finding.unit
        if quantity == "latency" and unit == "s":
            number, unit = number * 1000, "ms"
        subject = re.sub(r"\s+", "", finding.subject or quantity).lower()
        if quantity == "throughput":
            qualifier = rate_qualifier(finding)
            return Claim(kind="throughput", value=f"{subject}@{qualifier}={number:g}", subject=subject,
                         quantity=quantity, unit=unit, number=number, qualifier=qualifier, **common)
        return Claim(kind="latency" if quantity == "latency" else "metric", value=f"{subject}={number:g}",
                     subject=subject, quantity=quantity, unit=unit, number=number, **common)
    if kind == "hardware" and number is not None:
        return Claim(kind="hardware", value=f"{number:g}x{finding.unit}", subject=finding.subject,
                     quantity="gpu_count", unit=finding.unit, number=number, **common)
    if kind == "duration" and number is not None and finding.subject == "训练":
        hours = number * HOURS.get(finding.unit or "", 1.0)
        return Claim(kind="duration", value=f"{hours:g}h", subject="训练", quantity="duration", unit="小时",
                     number=hours, **common)
    period = FLOW_PERIOD.match(finding.subject or "") if kind == "data_size" else None
    if period and number is not None:
        # "每天 2 万条咨询": a flow per day, compared only with flows of the same thing (a stock never).
        days = next((value for key, value in PERIOD_DAYS.items() if key in period.group()), 1.0)
        what, qualifier = (finding.subject or "")[period.end():], rate_qualifier(finding)
        if not what:
            return None  # "每天 1.2 万条" says not of what
        per_day = number / days
        return Claim(kind="flow", value=f"{what}@{qualifier}={per_day:g}", subject=what, quantity="flow",
                     unit=f"{finding.unit or ''}/天", number=per_day, qualifier=qualifier,
                     **{**common, "upper": common["upper"] / days if common["upper"] else None})
    if kind == "data_size" and finding.subject and (number is None or number >= MIN_DATA_COUNT):
        scope = next((name for name, pattern in DATA_SCOPES if pattern.search(_before(finding))), None)
        common["qualifier"] = f"·{scope}" if scope else None
        return Claim(kind="data_size", value=f"{finding.subject}={number:g}" if number is not None else finding.match,
                     subject=finding.subject, quantity="count", unit=finding.unit, number=number, **common)
    if kind == "model" and isinstance(finding.value, str):
        role = finding.role or "base"
        return Claim(kind="model", value=finding.value.lower(), subject=ROLE_SUBJECTS[role], quantity="model",
                     role=role, **{**common, "text": finding.value})
    if kind == "hyperparameter" and number is not None:
        return Claim(kind="hyperparameter", value=f"{finding.subject}={number:g}", subject=finding.subject,
                     quantity="hyperparameter", number=number, **common)
    return None


def rate_qualifier(finding: Finding) -> str:
    """A rate's regime and scope from the words before it in its clause: "峰值·单卡", "常态" for a bare one."""
    before = _before(finding)
    regime = "峰值" if PEAK.search(before) else "低峰" if QUIET.search(before) else "常态"
    scope = next((name for name, pattern in SCOPES if pattern.search(before)), None)
    return f"{regime}·{scope}" if scope else regime


def _before(finding: Finding) -> str:
    """The finding's clause up to the end of its matched words."""
    at = finding.text.find(finding.match)
    return finding.text[: at + len(finding.match)] if at >= 0 else finding.text


def _upper(finding: Finding, number: float | None) -> float | None:
    """The upper end of "两千多" (3000) or "3 万多" (4 万); None for an exact figure or an order of magnitude."""
    if not finding.approximate or number is None or number <= 0 or VAGUE_COUNT.search(finding.match):
        return None
    return number + 10 ** math.floor(math.log10(number))


def _quote(finding: Finding) -> str:
    """The words to quote back: the clause when it is short, else the matched words."""
    return finding.text if len(finding.text) <= 24 else finding.match


def same_claim(left: Claim, right: Claim) -> bool:
    return (left.kind, left.subject, left.quantity, left.value, left.role, left.source, left.qualifier) == \
        (right.kind, right.subject, right.quantity, right.value, right.role, right.source, right.qualifier)


def merge_claims(ledger: list[Claim], new: list[Claim]) -> list[Claim]:
    """The ledger with `new` added; a claim already there counts one more mention instead of a new row."""
    merged = list(ledger)
    for claim in new:
        index = next((i for i, old in enumerate(merged) if same_claim(old, claim)), None)
        if index is None:
            merged.append(claim)
        else:
            merged[index] = merged[index].model_copy(update={"mentions": merged[index].mentions + 1})
    return merged


@dataclass(frozen=True)
class Contradiction:
    earlier: Claim
    later: Claim

    @property
    def key(self) -> str:
        return f"conflict:{self.earlier.text}|{self.later.text}"


def conflicts(earlier: Claim, later: Claim) -> bool:
    """Same subject and quantity, different values beyond rounding; vague counts and unknown subjects never."""
    if earlier.kind != later.kind or not earlier.subject or earlier.subject != later.subject \
            or earlier.quantity != later.quantity:
        return False
    if earlier.kind == "model":
        return earlier.role == later.role == "base" and _model_sizes_differ(earlier.value, later.value)
    if earlier.number is None or later.number is None or not _same_rate(earlier, later):
        return False
    if (earlier.approximate and earlier.upper is None) or (later.approximate and later.upper is None):
        return False  # "几百份": only an order of magnitude
    if earlier.unit and later.unit and earlier.unit != later.unit and earlier.kind not in ("hardware",):
        return False
    if earlier.approximate or later.approximate:
        # "两千多条" is 2000..3000: a contradiction only with a figure well outside that range
        lower, higher = sorted((earlier, later), key=lambda claim: claim.number or 0.0)
        top = lower.upper or lower.number or 0.0
        return (higher.number or 0.0) > top * (1 + CONTRADICTION_RATIO)
    low, high = sorted((earlier.number, later.number))
    if earlier.unit in ("%", "％", "个点"):
        return high - low >= CONTRADICTION_PERCENT_POINTS
    if earlier.kind == "metric" and high <= 1.0:
        return high - low >= CONTRADICTION_SCORE_POINTS
    if earlier.kind in ("hardware", "hyperparameter"):
        return high != low
    return high > low * (1 + CONTRADICTION_RATIO)


def _same_rate(earlier: Claim, later: Claim) -> bool:
    """Figures are compared within one regime (a peak is no typical figure) and one scope (per card or the
    cluster, the labelled part or the whole collection; a figure with no scope may be any)."""
    (regime, _, scope), (other_regime, _, other_scope) = ((earlier.qualifier or "").partition("·"),
                                                          (later.qualifier or "").partition("·"))
    return regime == other_regime and (not scope or not other_scope or scope == other_scope)


def _model_sizes_differ(left: str, right: str) -> bool:
    """"qwen2-7b" vs "qwen2-14b": one family, two sizes. Different families may well be an experiment."""
    left_size, right_size = MODEL_SIZE.search(left), MODEL_SIZE.search(right)
    if not left_size or not right_size:
        return False
    family = MODEL_SIZE.sub("", left).rstrip("-"), MODEL_SIZE.sub("", right).rstrip("-")
    return family[0] == family[1] and float(left_size.group(1)) != float(right_size.group(1))


def find_contradictions(ledger: list[Claim], new: list[Claim]) -> list[Contradiction]:
    """New claims contradicting earlier ones (in the interview or the résumé), most recent earlier first."""
    found: list[Contradiction] = []
    for claim in new:
        for earlier in reversed(ledger):
            if conflicts(earlier, claim) and not any(same_claim(claim, item.later) for item in found):
                found.append(Contradiction(earlier, claim))
    return found


def vague_claims(text: str, findings: list[Finding] | None = None) -> list[Finding]:
    """Vague claims without a figure ("提升挺明显", "效果很好", "大量数据"): the detector's findings, one per
    text the candidate said, each with the `subject` the detector found ("数据量", "用户反馈", "速度"…)."""
    found = detect(text) if findings is None else findings
    first: dict[str, Finding] = {}
    for finding in found:
        if finding.kind == "vague":
            first.setdefault(finding.text, finding)
    return list(first.values())


def numeric_claims(claims: list[Claim]) -> list[Claim]:
    """Figures worth asking how they were measured: results and serving figures, then hyperparameters."""
    results = [claim for claim in claims if claim.kind in ("metric", "latency", "throughput")]
    return results + [claim for claim in claims if claim.kind == "hyperparameter"]


def implausible(claim: Claim) -> str | None:
    """A reason the claim needs checking, or None."""
    if claim.kind == "metric" and claim.number is not None and claim.unit in ("%", "％"):
        if claim.number > 100:
            return "超过 100%"
        if claim.number >= 99.5:
            return "几乎是 100%"
    if claim.kind == "latency" and claim.number is not None and claim.number < 1:
        return "低于 1 毫秒"
    return None
