"""Deterministic interview policy: stage order, slot and question choice, follow-ups, difficulty.

Pure functions of the plan, the state and the grade. The LLM never decides any of this.
"""

from __future__ import annotations

import hashlib
import random
import re
from collections.abc import Collection, Mapping
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from interviewer.claims import Contradiction, implausible, numeric_claims
from interviewer.grading.detectors import Finding
from interviewer.grading.models import is_stated
from interviewer.plan import InterviewPlan
from interviewer.transcript import STAGES, Claim
from interviewer.tuning import (
    CONTRADICTION_ALLOWANCE,
    DIFFICULTY_MISFIT,
    FOLLOW_UP_BAND,
    JOB_TOPIC_BOOST,
    LISTENING_FOLLOW_UPS,
    MAX_PENDING_FIGURES,
    RELEVANCE_BOOST,
    TOPIC_REPEAT_DECAY,
    UNGRADED_WEIGHT,
)
from interviewer.tuning import STRONG_SCORE as STRONG
from interviewer.tuning import WEAK_SCORE as WEAK
from question_bank.models import Question
from question_bank.taxonomy import PROJECT_SLOTS

NextAction = Literal["follow_up", "redirect", "retry", "next"]
TECHNICAL_KINDS = ("technical", "coding")

# Words in a project answer that make a ladder slot the natural next question.
SLOT_CUES: dict[str, re.Pattern[str]] = {
    "metrics": re.compile(r"指标|准确率|召回|F1|效果|评估|评测|提升了", re.I),
    "problems": re.compile(r"问题|难点|困难|坑|bad ?case|挑战", re.I),
    "dataset": re.compile(r"数据集|数据|样本|语料|标注", re.I),
    "base_model": re.compile(r"Qwen|LLaMA|ChatGLM|Baichuan|底座|基座|基础模型|\d+B", re.I),
    "training": re.compile(r"微调|SFT|LoRA|训练|DPO|RLHF|全参", re.I),
    "inference": re.compile(r"推理|CoT|思维链|prompt|多轮", re.I),
    "deployment": re.compile(r"部署|vLLM|TensorRT|延迟|吞吐|量化|QPS", re.I),
    "production": re.compile(r"上线|线上|用户|反馈", re.I),
    "controllability": re.compile(r"可控|幻觉|格式|拒答|约束", re.I),
    "highlights": re.compile(r"亮点|创新|开源|区别", re.I),
}

# Techniques a candidate may name in their project, with what to search the bank for.
TECHNIQUES: dict[str, re.Pattern[str]] = {
    "RAG": re.compile(r"\bRAG\b|检索增强", re.I),
    "LoRA": re.compile(r"Q?LoRA", re.I),
    "vLLM": re.compile(r"vLLM|PagedAttention", re.I),
    "DPO": re.compile(r"\bDPO\b", re.I),
    "RLHF": re.compile(r"RLHF|PPO|奖励模型", re.I),
    "DeepSpeed": re.compile(r"DeepSpeed|ZeRO", re.I),
    "KV cache": re.compile(r"KV ?cache", re.I),
    "BM25": re.compile(r"BM25|TF-?IDF", re.I),
    "向量数据库": re.compile(r"Faiss|Milvus|向量数据库|向量库", re.I),
    "LangChain": re.compile(r"LangChain|Agent", re.I),
    "量化": re.compile(r"量化|int8|int4|GPTQ|AWQ", re.I),
    "思维链": re.compile(r"CoT|思维链", re.I),
}


# How often interviews for LLM engineering roles ask about each topic, relative to 1.0; a plan's own
# topic weights replace these.
FIELD_TOPIC_WEIGHTS: dict[str, float] = {
    "transformer": 1.5, "llm_architecture": 1.3, "peft": 1.3, "rag": 1.3, "alignment": 1.2, "inference": 1.2,
    "pretraining_sft": 1.2, "position_encoding": 1.0, "distributed_training": 1.0, "langchain_agents": 1.0,
    "normalization": 0.8, "tokenization": 0.8, "evaluation": 0.8, "ml_basics": 0.8, "prompting": 0.7,
    "nlp_basics": 0.6, "multimodal": 0.5, "python_engineering": 0.5, "sql": 0.3,
}


def planned_count(plan: InterviewPlan, stage: str) -> int:
    return {"opening": 1, "project": plan.project_questions, "technical": plan.technical_questions,
            "behavioral": plan.behavioral_questions, "closing": 1}.get(stage, 0)


def next_stage(plan: InterviewPlan, stage: str | None, counts: Mapping[str, int]) -> str | None:
    """The stage the next question belongs to, or None when the interview is over."""
    order = [s for s in STAGES if s in plan.stages and planned_count(plan, s) > 0]
    start = order.index(stage) if stage in order else 0
    for candidate in order[start:]:
        if counts.get(candidate, 0) < planned_count(plan, candidate):
            return candidate
    return None


def total_planned(plan: InterviewPlan) -> int:
    return sum(planned_count(plan, stage) for stage in plan.stages)


def choose_slot(done: set[str], last_answer: str, preferred: Collection[str] = ()) -> str | None:
    """Overview first; then an open slot the last answer makes relevant; then the slots the job description
    stresses; else the next on the ladder.

    `done` holds the slots already covered (in any answer or the résumé) or asked: a covered slot is never
    asked again as a fresh question (it may be probed deeper), a skipped slot is not asked twice."""
    empty = [slot for slot in PROJECT_SLOTS if slot not in done]
    if not empty:
        return None
    if "overview" in empty:
        return "overview"
    for slot in preferred:
        if slot in empty:
            return slot
    for slot in empty:
        cue = SLOT_CUES.get(slot)
        if cue and cue.search(last_answer):
            return slot
    return empty[0]


def mentioned_techniques(text: str, already: list[str]) -> list[str]:
    """Techniques the bank covers that `text` names, in TECHNIQUES order, not yet asked about."""
    return [name for name, pattern in TECHNIQUES.items() if name not in already and pattern.search(text)]


def technique_questions(technique: str, bank: Mapping[str, Question], asked: list[str]) -> list[Question]:
    """The bank questions not asked yet that are about `technique` (their text names it)."""
    pattern = TECHNIQUES[technique]
    return [q for q in bank.values() if q.kind in TECHNICAL_KINDS and q.id not in asked and not q.retired
            and pattern.search(q.text)]


def technique_question(technique: str, bank: Mapping[str, Question], asked: list[str],
                       ranked_ids: list[str]) -> Question | None:
    """A bank question that is about `technique` (its text names it), the best ranked first."""
    matching = technique_questions(technique, bank, asked)
    rank = {qid: index for index, qid in enumerate(ranked_ids)}
    return min(matching, key=lambda q: (rank.get(q.id, len(rank)), q.id), default=None)


def session_rng(session_id: str, salt: str) -> random.Random:
    """Deterministic per session, different across sessions: variety without flakiness."""
    digest = hashlib.sha256(f"{session_id}:{salt}".encode()).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))


def choose_technical(bank: Mapping[str, Question], plan: InterviewPlan, asked: list[str], difficulty: int,
                     relevance: Mapping[str, float], revisit: Mapping[str, float], graded: set[str],
                     rng: random.Random) -> Question | None:
    """A topic first, then a question in it, both drawn at random with weights.

    Topic: the plan's weight (else how often the field asks about it), boosted by résumé relevance,
    halved for each question already asked on it this session, so an interview covers several areas.
    Question: difficulty fit, résumé relevance, spaced repetition (badly answered before: sooner;
    answered well before: later), gradeable first. Every unasked question can come up."""
    chosen_topics = set(plan.topics)
    candidates = [q for q in bank.values() if q.kind in TECHNICAL_KINDS and q.id not in asked and not q.retired
                  and (not chosen_topics or q.topic in chosen_topics)]
    by_topic: dict[str, list[tuple[float, Question]]] = {}
    for question in candidates:
        fit = 1.0 - DIFFICULTY_MISFIT * abs(question.difficulty - difficulty)
        boost = (1.0 + RELEVANCE_BOOST * relevance.get(question.id, 0.0)) * revisit.get(question.id, 1.0)
        gradeable = 1.0 if question.id in graded else UNGRADED_WEIGHT
        by_topic.setdefault(question.topic, []).append((fit * boost * gradeable, question))
    asked_topics = [bank[qid].topic for qid in asked if qid in bank]
    topics, topic_weights = [], []
    boosts = job_focus(plan.job_description).topic_boosts
    for topic in sorted(by_topic):
        weight = plan.topic_weights.get(topic, FIELD_TOPIC_WEIGHTS.get(topic, 1.0)) * boosts.get(topic, 1.0)
        weight *= (1.0 + RELEVANCE_BOOST * max(relevance.get(q.id, 0.0) for _, q in by_topic[topic]))
        weight *= TOPIC_REPEAT_DECAY ** asked_topics.count(topic)
        if weight > 0:
            topics.append(topic)
            topic_weights.append(weight)
    if not topics:
        return None
    pool = sorted(by_topic[rng.choices(topics, weights=topic_weights, k=1)[0]], key=lambda item: item[1].id)
    return rng.choices([q for _, q in pool], weights=[w for w, _ in pool], k=1)[0]


def decide_next(grade: Mapping, mode: str, current: Mapping, max_follow_ups: int) -> NextAction:
    """What happens after an answer to `current` (its counters and stage). Code decides; the LLM only phrases."""
    flags = set(grade.get("flags", []))
    score = int(grade.get("score", 0))
    if "skipped" in flags or "non_answer" in flags or current["stage"] in ("opening", "closing"):
        return "next"
    if "off_topic" in flags:
        return "redirect" if current["redirects"] == 0 else "next"
    if mode == "practice" and current["retries"] == 0 and score < STRONG:
        return "retry"
    partly_right = FOLLOW_UP_BAND[0] <= score < FOLLOW_UP_BAND[1] or "misconception" in flags
    if (partly_right and current["follow_ups"] < max_follow_ups
            and follow_up_target(grade, current.get("pressed", [])) is not None):
        return "follow_up"
    return "next"


def follow_up_target(grade: Mapping, pressed: Collection[str]) -> str | None:
    """What to press on: the misconception hit, else the heaviest key point still missing or partial.

    Returns a key (`misconception:<claim>` or `point:<index>`); a gap already pressed on is never pressed
    again, so a candidate who cannot fill it is not asked the same thing twice."""
    for hit in grade.get("misconceptions", []):
        key = f"misconception:{hit['claim']}"
        if key not in pressed:
            return key
    gaps = sorted((p for p in grade.get("key_points", []) if not is_stated(p.get("status"))),
                  key=lambda p: (-p["weight"], p["index"]))
    return next((f"point:{p['index']}" for p in gaps if f"point:{p['index']}" not in pressed), None)


def adapt_difficulty(difficulty: int, score: int) -> int:
    if score >= STRONG:
        return min(3, difficulty + 1)
    if score < WEAK:
        return max(1, difficulty - 1)
    return difficulty


# ---- listening: what to probe in what the candidate just said ---------------------------------------------

Probe = dict[str, Any]  # JSON-plain: key, kind, quotes, subject, slot, source, claim_kind


def claim_slot(claim: Claim) -> str | None:
    """The ladder slot a claim belongs to, whatever question it was said under."""
    if claim.kind in ("latency", "throughput"):
        return "deployment"
    if claim.kind in ("hardware", "duration"):
        return "deployment" if claim.subject == "部署" else "training"
    return {"metric": "metrics", "data_size": "dataset", "hyperparameter": "training",
            "model": "base_model" if claim.role == "base" else "metrics" if claim.role == "judge" else None
            }.get(claim.kind, claim.slot)


def contradiction_probe(contradiction: Contradiction) -> Probe:
    earlier, later = contradiction.earlier, contradiction.later
    return {"key": contradiction.key, "kind": "contradiction", "quotes": [earlier.text, later.text],
            "subject": later.subject, "slot": claim_slot(later) or later.slot, "source": earlier.source,
            "claim_kind": later.kind}


def pending_probes(pending: list[Probe], vague: list[Finding], claims: list[Claim], slot: str | None,
                   probed: Collection[str]) -> list[Probe]:
    """Probes still owed after an answer: earlier ones, plus its vague claims (one probe for all of them,
    about the detector's subject when they share one) and its figures (implausible first), the newest
    figures kept."""
    keys = set(probed) | {probe["key"] for probe in pending}
    added: list[Probe] = []
    if vague:
        quotes, subjects = [finding.text for finding in vague], {finding.subject for finding in vague}
        key = "vague:" + "|".join(quotes)
        if key not in keys:
            added.append({"key": key, "kind": "vague", "quotes": quotes,
                          "subject": next(iter(subjects)) if len(subjects) == 1 else None,
                          "slot": "dataset" if "数据量" in subjects else "metrics", "source": "interview",
                          "claim_kind": None})
    for claim in numeric_claims(claims):
        reason = implausible(claim)
        key = f"{'implausible' if reason else 'number'}:{claim.text}"
        if figure_key(claim) in keys or any(probe.get("figure") == figure_key(claim) for probe in [*pending, *added]):
            continue  # the same figure said again in other words
        if key not in keys and all(probe["key"] != key for probe in added):
            added.append({"key": key, "kind": "implausible" if reason else "number", "quotes": [claim.text],
                          "subject": claim.subject, "slot": claim_slot(claim) or slot, "source": claim.source,
                          "claim_kind": claim.kind,
                          "reason": reason, "value": claim.value, "figure": figure_key(claim)})
    merged = [*pending, *added]
    figures = [probe for probe in merged if probe["kind"] == "number"]
    stale = {probe["key"] for probe in figures[:-MAX_PENDING_FIGURES]} if len(figures) > MAX_PENDING_FIGURES else set()
    return [probe for probe in merged if probe["key"] not in stale]


def figure_key(claim: Claim) -> str:
    """What a figure is, whatever words said it: "温度设为 0.3" and "解码用温度 0.3" are one figure."""
    return f"figure:{claim.kind}:{claim.subject}={claim.number if claim.number is not None else claim.value}"


def probed_keys(probe: Probe) -> list[str]:
    """The keys a probe marks as done: its own and, for a figure, the figure's."""
    return [probe["key"], *([probe["figure"]] if probe.get("figure") else [])]


# A key point's follow-up asks about something the detectors can see was already stated: never ask it then
# ("数据是从哪里来的？" right after the source was given). Pattern on the follow-up's words -> finding kinds.
STATED_BY_DETECTORS: tuple[tuple[re.Pattern[str], frozenset[str]], ...] = (
    (re.compile(r"从哪|来源|怎么来"), frozenset({"data_source"})),
    (re.compile(r"规模|多大|多少条|数据量"), frozenset({"data_size"})),
    (re.compile(r"指标|具体是多少|提升了多少|基线|数值"), frozenset({"metric", "comparison"})),
    (re.compile(r"底座|基座|哪个模型|什么模型"), frozenset({"model", "model_size"})),
)
# Else the follow-up's topic, as a ladder slot: asked only while that slot is still empty.
GAP_TOPICS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("motivation", re.compile(r"业务问题|给谁用|痛点|为什么要做|为什么做")),
    ("overview", re.compile(r"模块|整体方案|架构|流转")),
    ("deployment", re.compile(r"部署|延迟|吞吐|加速")),
    ("production", re.compile(r"上线|线上")),
    ("controllability", re.compile(r"可控|幻觉|约束")),
    ("inference", re.compile(r"推理|CoT|思维链")),
    ("training", re.compile(r"训练|微调|LoRA")),
)


def gap_already_stated(follow_up: str, stated_kinds: Collection[str], covered: Collection[str],
                       current_slot: str | None) -> bool:
    for pattern, kinds in STATED_BY_DETECTORS:
        if pattern.search(follow_up):
            return bool(kinds & set(stated_kinds))
    for slot, pattern in GAP_TOPICS:
        if pattern.search(follow_up):
            return slot != current_slot and slot in covered
    return False


FIGURE_ORDER = {"metric": 0, "latency": 1, "throughput": 1, "hyperparameter": 2}
PROBE_ORDER = {"contradiction": 0, "vague": 1, "implausible": 2, "number": 3}


def choose_probe(contradictions: list[Probe], pending: list[Probe], follow_ups: int,
                 max_follow_ups: int) -> Probe | None:
    """What to probe now, in the order a senior interviewer would: a contradiction at once (quoting both),
    then a vague claim (ask for the number and how it was measured), then a figure not yet probed (how
    measured, against what baseline, why). None when nothing is owed or the budget is spent."""
    budget = max_follow_ups + LISTENING_FOLLOW_UPS if max_follow_ups > 0 else 0
    if contradictions and follow_ups < budget + CONTRADICTION_ALLOWANCE:
        return contradictions[0]
    if follow_ups >= budget:
        return None
    def rank(item: tuple[int, Probe]) -> tuple[int, int, int]:
        index, probe = item  # results, then serving figures, then hyperparameters; the newest figure first
        position = -index if probe["kind"] == "number" else index
        return PROBE_ORDER[probe["kind"]], FIGURE_ORDER.get(probe.get("claim_kind") or "", 0), position

    ordered = sorted(enumerate(pending), key=rank)
    return ordered[0][1] if ordered else None


# ---- the job description -----------------------------------------------------------------------------------

# What a job description asks for, in its own words: the topics to weight and the project slots to reach early.
JOB_SIGNALS: tuple[tuple[str, re.Pattern[str], tuple[str, ...], tuple[str, ...]], ...] = (
    ("推理优化与部署", re.compile(r"推理(?:优化|加速|服务|引擎|性能)|serving|vLLM|TensorRT|量化|KV\s?cache|部署|"
                             r"延迟|吞吐|CUDA|算子|triton|投机采样|speculative", re.I),
     ("inference",), ("deployment", "inference")),
    ("检索增强（RAG）", re.compile(r"RAG|检索增强|知识库|向量(?:检索|数据库)|召回|rerank", re.I), ("rag",),
     ("dataset", "metrics")),
    ("对齐与偏好优化", re.compile(r"RLHF|DPO|PPO|对齐|偏好|奖励模型", re.I), ("alignment",), ("training", "dataset")),
    ("预训练与微调", re.compile(r"预训练|SFT|微调|指令(?:微调|数据)|continue\s?pretrain", re.I),
     ("pretraining_sft", "peft"), ("training", "dataset")),
    ("参数高效微调", re.compile(r"LoRA|PEFT|Adapter|P-?Tuning", re.I), ("peft",), ("training",)),
    ("分布式训练", re.compile(r"分布式|DeepSpeed|Megatron|FSDP|ZeRO|多机多卡|并行训练", re.I),
     ("distributed_training",), ("training",)),
    ("Agent 与工具调用", re.compile(r"Agent|智能体|工具调用|function\s?call|LangChain|LangGraph", re.I),
     ("langchain_agents",), ("controllability", "io_example")),
    ("多模态", re.compile(r"多模态|视觉|图像|VLM|语音", re.I), ("multimodal",), ()),
    ("评测体系", re.compile(r"评测|评估体系|benchmark", re.I), ("evaluation",), ("metrics",)),
)


class JobFocus(BaseModel):
    """How a pasted job description shapes the plan (codes; the report words them)."""

    model_config = ConfigDict(frozen=True)

    areas: list[str] = Field(default_factory=list)  # what the description asks for, e.g. "推理优化与部署"
    topic_boosts: dict[str, float] = Field(default_factory=dict)
    slots_first: list[str] = Field(default_factory=list)


def job_focus(job_description: str | None) -> JobFocus:
    if not job_description:
        return JobFocus()
    areas, boosts, slots = [], {}, []
    for area, pattern, topics, area_slots in JOB_SIGNALS:
        if pattern.search(job_description):
            areas.append(area)
            boosts.update({topic: JOB_TOPIC_BOOST for topic in topics})
            slots += [slot for slot in area_slots if slot not in slots]
    return JobFocus(areas=areas, topic_boosts=boosts, slots_first=slots)
