"""Build a Report from a session snapshot: per question, per topic and per stage, all from the grades."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from typing import Any

from interviewer import slots as project_slots
from interviewer.claims import LABELS as CLAIM_LABELS
from interviewer.policy import job_focus
from interviewer.report.models import (
    ClosingExchange,
    EvidencePart,
    Exchange,
    QuestionReport,
    Report,
    ReportedClaim,
    ReportedMisconception,
    ReportedPoint,
    ScoreGroup,
    SlotRow,
)
from interviewer.routing import COMMANDS
from interviewer.scoring import final_grades, now
from interviewer.transcript import STAGES, Claim, KeyPointRow, SessionSnapshot, Turn, TurnGrade
from interviewer.tuning import STRONG_SCORE as STRONG
from interviewer.tuning import WEAK_SCORE as WEAK
from question_bank.models import Question
from question_bank.taxonomy import SLOT_LABELS, topic_label

LEVELS = [(85, "优秀"), (70, "良好"), (55, "及格"), (0, "需加强")]
STAGE_LABELS = {"opening": "自我介绍", "project": "项目深挖", "technical": "基础知识", "behavioral": "综合素质",
                "closing": "反问"}
PROMPTS = ("question", "follow_up", "redirect")  # turns the candidate replies to
MAX_EVIDENCE_PARTS = 3  # an evidence unit is at most two sentences


def level_for(score: int | None) -> str:
    if score is None:
        return "未作答"
    return next(label for threshold, label in LEVELS if score >= threshold)


def is_command(text: str) -> bool:
    """/skip, /hint, /repeat, /end: instructions to the interviewer, not the candidate's answer."""
    return text.strip().lower() in COMMANDS


def is_skip(turn: Turn) -> bool:
    return turn.event == "skip"


def evidence_parts(evidence: str, answers: list[str]) -> list[EvidencePart]:
    """Split a grader's evidence into pieces that each appear verbatim in one answer.

    A question's answers are graded together, joined by newlines, and an evidence unit can be two
    adjacent sentences: it may run across two answers (or a line break in one), and shown as one quote
    it would glue words never said together. `answer` is the 1-based answer number, or None when the
    evidence is not found in the answers (e.g. a judge that paraphrased): then it is kept whole."""
    evidence = evidence.strip()
    if not evidence:
        return []
    whole = next((index for index, answer in enumerate(answers, start=1) if evidence in answer), None)
    if whole is not None:
        return [EvidencePart(answer=whole, text=evidence)]
    parts: list[EvidencePart] = []
    for line in evidence.split("\n"):
        pieces = _pieces(line.strip(), answers)
        if pieces is None:
            parts = []
            break
        parts += pieces
    if not parts or len(parts) > MAX_EVIDENCE_PARTS or any(len(part.text) < 2 for part in parts):
        return [EvidencePart(answer=None, text=evidence)]  # not a quote of the answers: show it as the grader gave it
    return parts


def _pieces(text: str, answers: list[str]) -> list[EvidencePart] | None:
    """Longest runs of `text` found in one answer, left to right; None when some of it is in none."""
    pieces: list[EvidencePart] = []
    start = 0
    while start < len(text):
        best_end, best_answer = start, None
        for index, answer in enumerate(answers, start=1):
            end = start
            while end < len(text) and text[start:end + 1] in answer:
                end += 1
            if end > best_end:
                best_end, best_answer = end, index
        if best_answer is None:
            return None
        if text[start:best_end].strip():
            pieces.append(EvidencePart(answer=best_answer, text=text[start:best_end].strip()))
        start = best_end
    return pieces


def _points(points: list[KeyPointRow], answers: list[str]) -> list[ReportedPoint]:
    return [ReportedPoint(**point.model_dump(), evidence_parts=evidence_parts(point.evidence or "", answers))
            for point in points]


def _exchanges(turns: list[Turn]) -> list[Exchange]:
    """Each follow-up or redirect with the reply to it (the answer before the next prompt)."""
    answer_numbers: dict[int, int] = {}
    for turn in turns:
        if turn.kind == "answer" and not is_command(turn.text):
            answer_numbers[id(turn)] = len(answer_numbers) + 1
    exchanges = []
    for index, turn in enumerate(turns):
        if turn.kind not in ("follow_up", "redirect"):
            continue
        reply = None
        for later in turns[index + 1:]:
            if later.kind in PROMPTS:
                break
            if later.kind == "answer":
                reply = later
                break
        if reply is None:
            exchanges.append(Exchange(kind=turn.kind, question=turn.text, answer=None))
            continue
        number = answer_numbers.get(id(reply))  # None: the reply was /skip
        exchanges.append(Exchange(kind=turn.kind, question=turn.text, answer=reply.text if number else None,
                                  skipped=number is None, answer_index=number))
    return exchanges


def _questions(snapshot: SessionSnapshot, bank: Mapping[str, Question]) -> list[QuestionReport]:
    grouped: dict[str, list[Turn]] = defaultdict(list)
    for turn in snapshot.turns:
        if turn.question_id and turn.kind in (*PROMPTS, "answer", "system"):
            grouped[turn.question_id].append(turn)  # dicts keep the order questions were first asked in
    grades = {qid: TurnGrade.model_validate(grade)
              for qid, grade in final_grades(turn.model_dump() for turn in snapshot.turns).items()}
    reports = []
    for question_id, turns in grouped.items():
        replies = [turn for turn in turns if turn.kind == "answer"]
        if not replies or question_id.startswith("closing."):
            continue
        grade = grades.get(question_id) or TurnGrade(score=0)
        answers = [turn.text for turn in replies if not is_command(turn.text)]
        question = bank.get(question_id)
        asked = next((turn.text for turn in turns if turn.kind == "question"), question.text if question else "")
        topic = question.topic if question else "custom"
        reports.append(QuestionReport(
            question_id=question_id, stage=replies[-1].stage, topic=topic, topic_label=topic_label(topic),
            question=asked, answers=answers, score=grade.score,
            key_points_hit=_points(grade.points_made(), answers),
            key_points_missed=_points(grade.points_missed(), answers),
            misconceptions=[ReportedMisconception(**hit.model_dump(),
                                                  evidence_parts=evidence_parts(hit.evidence, answers))
                            for hit in grade.misconceptions],
            follow_ups=_exchanges(turns), hints_used=sum(1 for turn in turns if turn.event == "hint"),
            feedback=grade.feedback, reference_answer=question.reference_answer if question else None,
            grader=grade.grader, flags=list(grade.flags), notes=list(grade.notes),
            embedding_score=grade.embedding_score, llm_score=grade.llm_score,
            skipped=any(is_skip(turn) for turn in replies)))
    return reports


def _group(questions: list[QuestionReport], key: str, labels: Mapping[str, str]) -> list[ScoreGroup]:
    scores: dict[str, list[int]] = defaultdict(list)
    for question in questions:
        scores[getattr(question, key)].append(question.score)
    groups = [ScoreGroup(name=name, label=labels.get(name, topic_label(name)), score=round(sum(v) / len(v)),
                         questions=len(v)) for name, v in scores.items()]
    if key == "stage":
        return sorted(groups, key=lambda group: STAGES.index(group.name) if group.name in STAGES else 99)
    return sorted(groups, key=lambda group: (-group.score, group.name))


def _claims(snapshot: SessionSnapshot) -> list[ReportedClaim]:
    """The claims ledger, each marked with whether a follow-up probed it.

    The session records which claims were probed (keys "conflict:A|B", "implausible:A"); the probe
    itself is the follow-up that quotes the claim ("你提到「准确率 99.8%」…")."""
    probes = [turn.text for turn in snapshot.turns if turn.kind == "follow_up"]
    probed = {text for key in snapshot.probed_claims for text in key.partition(":")[2].split("|")}

    def probe_of(claim: Claim) -> str | None:
        return next((text for text in probes if f"「{claim.text}」" in text), None) if claim.text in probed else None

    ledger = []
    for claim in snapshot.claims:
        probe = probe_of(claim)
        slot = SLOT_LABELS.get(claim.slot)[0] if claim.slot in SLOT_LABELS else None  # type: ignore[index]
        ledger.append(ReportedClaim(**claim.model_dump(), label=_claim_label(claim), slot_label=slot,
                                    probed=claim.text in probed, probe=probe))
    return ledger


def _closing(turns: list[Turn]) -> list[ClosingExchange]:
    """The candidate's questions in the closing stage, each with the interviewer's reply."""
    exchanges: list[ClosingExchange] = []
    for index, turn in enumerate(turns):
        if turn.stage == "closing" and turn.event == "answer" and not is_command(turn.text):
            reply = next((later.text for later in turns[index + 1:] if later.event == "closing_reply"
                          and later.question_id == turn.question_id), None)
            exchanges.append(ClosingExchange(question=turn.text, reply=reply))
    return exchanges


def _claim_label(claim: Claim) -> str:
    """What the claim is about, in words: "底座模型", "评测模型", "硬件（训练）", "数据规模（SFT）"."""
    if claim.kind == "model" and claim.subject:
        return claim.subject
    label = CLAIM_LABELS.get(claim.kind, claim.kind)
    subject = claim.subject if claim.subject and claim.subject not in label else None
    source = "（简历）" if claim.source == "resume" else ""
    return f"{label}（{subject}）{source}" if subject else f"{label}{source}"


STATUS_WORDS = {"probed": "已深挖", "filled": "已覆盖", "resume": "简历中提到", "missing": "未覆盖"}


def project_slots_of(snapshot: SessionSnapshot) -> list[SlotRow]:
    """Each of the 13 ladder slots: filled (with the candidate's words), probed deeper, or missing."""
    probed = {turn.slot for turn in snapshot.turns if turn.kind == "follow_up" and turn.stage == "project"}
    resume = snapshot.resume_slots if snapshot.resume_slots is not None else _older_resume_slots(snapshot)
    rows = []
    for slot, (label, _) in SLOT_LABELS.items():
        evidence = snapshot.project_card.get(slot)
        status = ("probed" if slot in probed else "filled") if evidence else "resume" if slot in resume else "missing"
        rows.append(SlotRow(slot=slot, label=label, status=status, status_label=STATUS_WORDS[status],
                            evidence=evidence or resume.get(slot) or ""))
    return rows


def plan_notes(plan: Mapping[str, Any]) -> list[str]:
    """How the résumé and the job description shaped the plan, in words for the report."""
    notes = []
    focus = job_focus(plan.get("job_description"))
    if focus.areas:
        topics = "、".join(topic_label(topic) for topic in focus.topic_boosts)
        slots = "、".join(SLOT_LABELS[slot][0] for slot in focus.slots_first if slot in SLOT_LABELS)
        notes.append(f"岗位描述侧重：{'、'.join(focus.areas)}。基础题提高了「{topics}」的比重"
                     + (f"，项目深挖优先问「{slots}」。" if slots else "。"))
    elif plan.get("job_description"):
        notes.append("岗位描述里没有识别出特定方向，按通用的大模型算法岗出题。")
    if plan.get("resume_text"):
        name = project_slots.project_name([plan["resume_text"]])
        notes.append(f"项目深挖从简历里的「{name}」开始。" if name else "参考了简历内容挑选基础题。")
    return notes


def _card(rows: list[SlotRow]) -> dict[str, str]:
    """The project card as every renderer shows it: each slot with its status, the candidate's words or "—"."""
    return {f"{row.label}（{row.status_label}）": row.evidence or "—" for row in rows}


def build_report(snapshot: SessionSnapshot, bank: Mapping[str, Question]) -> Report:
    questions = _questions(snapshot, bank)
    slot_rows = project_slots_of(snapshot)
    overall = round(sum(q.score for q in questions) / len(questions)) if questions else None
    topics = _group(questions, "topic", {})
    strengths = [f"{group.label}（{group.score} 分）" for group in topics if group.score >= STRONG][:3]
    gaps = [f"{group.label}（{group.score} 分）" for group in reversed(topics) if group.score < WEAK][:3]
    practice = []
    for question in sorted(questions, key=lambda q: q.score)[:3]:
        if question.score >= STRONG:
            break
        missing = "、".join(point.text for point in question.key_points_missed[:2])
        practice.append(f"「{question.question}」" + (f"：补上 {missing}" if missing else ""))
    return Report(
        session_id=snapshot.session_id, created_at=snapshot.created_at, generated_at=now(), status=snapshot.status,
        mode=snapshot.mode, overall_score=overall, level=level_for(overall), strengths=strengths, gaps=gaps,
        practice_next=practice, stage_scores=_group(questions, "stage", STAGE_LABELS), topic_scores=topics,
        questions=questions,
        project_card=_card(slot_rows) if snapshot.project_card else {},
        project_name=_project_name(snapshot), project_slots=slot_rows, plan_notes=plan_notes(snapshot.plan),
        claims=_claims(snapshot), plan=snapshot.plan, config=snapshot.config, closing=_closing(snapshot.turns),
        summary=next((turn.text for turn in reversed(snapshot.turns) if turn.event == "summary"), None))


def _project_name(snapshot: SessionSnapshot) -> str | None:
    """The name the interview used for the project (it asked its questions with it)."""
    if snapshot.resume_slots is not None:
        return snapshot.project_name
    # A session saved before the interview kept it: worked out from the résumé and the answers, as it was then.
    answers = [turn.text for turn in snapshot.turns if turn.kind == "answer" and turn.stage == "project"]
    return project_slots.project_name([snapshot.plan.get("resume_text") or "", *answers])


def _older_resume_slots(snapshot: SessionSnapshot) -> dict[str, str]:
    """The résumé's slots of a session saved before the interview kept them."""
    resume = snapshot.plan.get("resume_text")
    return project_slots.fill_slots(resume) if resume else {}
