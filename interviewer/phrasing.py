"""How the interviewer words things. Offline: varied templates that quote the candidate's own terms.
With a chat model: a generated wording, accepted only if it passes checks, else the template.
"""

from __future__ import annotations

import logging
import random
import re
import secrets
from collections.abc import Collection
from typing import Any

from langchain_core.prompts import ChatPromptTemplate

from interviewer.grading.models import is_stated
from interviewer.llm.client import LLMClient
from interviewer.llm.limits import CLOSING_REPLY, PHRASE, SUMMARY, Job
from interviewer.prompts import CLOSING_PROMPT, PHRASE_PROMPT, SUMMARY_PROMPT
from interviewer.scoring import final_grades

logger = logging.getLogger(__name__)


SLOT_TEMPLATES: dict[str, list[str]] = {
    "overview": ["先聊聊你最有代表性的一个项目吧：它要解决什么问题，整体思路是怎样的？",
                 "挑一个你做得最深入的大模型项目，讲讲它的背景和整体方案？"],
    "motivation": ["{anchor}，当时为什么要做？原来的做法有什么痛点？",
                   "为什么{anchor}要用这个方案，而不是别的做法？它主要解决什么问题？"],
    "metrics": ["{anchor}的效果是怎么评估的？用了哪些指标，具体数值是多少？",
                "你说到{anchor}，那最终效果怎么衡量？和基线比提升了多少？"],
    "problems": ["做{anchor}的过程中遇到的最大问题是什么？你是怎么定位和解决的？",
                 "{anchor}里有没有踩过什么坑？具体讲一个你解决的难点？"],
    "highlights": ["{anchor}和开源的同类方案比，你觉得亮点在哪里？",
                   "现在开源项目很多，{anchor}和它们相比有什么不一样？"],
    "dataset": ["{anchor}用的数据是怎么来的？规模多大，怎么构建和清洗的？",
                "讲讲{anchor}的数据集：来源、规模、构造方式和质量控制？"],
    "base_model": ["{anchor}用的底座模型是什么？多大规模，为什么选它？",
                   "基座模型你们选的哪个？和其他候选比有什么区别？"],
    "training": ["{anchor}具体用的什么训练方法？为什么这么选，和其他方法比有什么优缺点？",
                 "训练这块，你们是全参微调还是 LoRA 之类的方法？关键超参数怎么定的？"],
    "inference": ["{anchor}推理是怎么做的？单轮还是多步，有没有用 CoT 之类的策略？",
                  "讲讲推理流程：prompt 怎么组织的，是否用了思维链？"],
    "controllability": ["怎么保证{anchor}的输出可控，比如格式、范围和幻觉问题？",
                        "{anchor}生成的内容怎么做约束和校验？"],
    "deployment": ["{anchor}部署在什么平台？推理效率怎么样，做过哪些加速？",
                   "线上推理的延迟和吞吐大概多少？为了提效做了哪些优化？"],
    "production": ["{anchor}最后上线了吗？上线后发现了什么问题，怎么解决的？",
                   "上线之后用户反馈怎么样？遇到过哪些线上问题？"],
    "io_example": ["能不能拿{anchor}举一个完整的输入输出例子？每一步的 prompt 和输出是什么？",
                   "模拟一下：一个具体的用户输入进来，{anchor}每一步分别做什么、输出什么？"],
}
FOLLOW_UP_LEADS = ["好的。", "嗯，", "明白。", "了解。"]
TECHNIQUE_LEADS = ["你刚才提到了{term}，顺着问一个基础问题：", "既然项目里用到了{term}：", "说到{term}，"]
REDIRECT = "我们先回到题目本身：{question}"
SUMMARY_RECORD_CHARS = 4000  # the whole grading record of a full interview, one short line per question
# Offline answers to the candidate's questions at the end: a small authored set of what interviewers typically
# say about team, role, process and growth. Clearly a mock: no real company is described.
MOCK_NOTE = "（这是模拟面试，以下是面试官常见的回答方式，仅供参考）"
CLOSING_REPLIES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"团队|部门|组里|多少人|业务|做什么|方向"),
     "团队一般是算法和工程混合编组，围绕几条业务线做大模型的训练、RAG 和 Agent 落地，模型侧和工程侧的人会一起对指标负责。"),
    (re.compile(r"岗位|职责|日常|工作内容|负责什么|具体做"),
     "这个岗位日常大致是：跟业务方对齐问题和指标，做数据和微调，搭评测，再和工程同学一起把服务上线、盯线上 bad case。"),
    (re.compile(r"流程|几轮|下一轮|后续|多久|什么时候|结果|通知|进度"),
     "常见流程是两到三轮技术面加一轮 HR 面，每轮结束后一周内会有反馈；真实面试里可以直接问面试官下一步的时间点。"),
    (re.compile(r"成长|培养|新人|导师|学习|晋升|发展"),
     "新人通常有导师带，前一两个月参与成熟项目熟悉数据和评测流程，之后逐步独立负责一个模块；晋升主要看落地的结果和技术深度。"),
    (re.compile(r"技术栈|框架|用什么|平台|算力|GPU|卡"),
     "技术栈常见的是 PyTorch、DeepSpeed 或 Megatron 训练，vLLM 之类做推理，底座会跟进主流开源模型再做领域微调。"),
    (re.compile(r"加班|节奏|工作时间|强度|氛围"),
     "节奏一般跟项目周期走，上线前会紧一些；这类问题在真实面试里问得具体一点（比如最近一个项目的排期）更能看出实际情况。"),
    (re.compile(r"表现|评价|怎么样|建议|不足|哪里"),
     "具体结果以正式通知为准；这场模拟的报告里有每道题的要点和缺失部分，可以先重点看看没答到的地方。"),
]
DEFAULT_CLOSING_REPLY = "这个问题在真实面试里最好直接问面试官本人；一般来说，团队会很看重扎实的基础和把模型真正落地的能力。"
NO_QUESTIONS = re.compile(r"^(?:没有?了?|没有问题|没什么(?:问题|要问的)?|暂时没有|不用了|就这些|没了)[吧呢啊哈。！!.，,\s]*$")
QUESTION_SPLIT = re.compile(r"(?<=[？?])|(?:[，,；;。]\s*)(?=(?:还有|另外|再就是|然后|以及|还想问)\S)")

def anchor(name: str | None) -> str:
    """The candidate's own name for the project, quoted ("「电商平台的 RAG 智能客服」这个项目")."""
    return f"「{name}」这个项目" if name else "这个项目"


OVERVIEW_FROM_RESUME = ["我看你简历里写了「{name}」，先从它聊起吧：它要解决什么问题、整体方案是怎样的、你具体负责哪部分？",
                        "简历上的「{name}」挺有意思，先用两三分钟整体讲讲：背景、方案和你负责的部分？"]


def slot_question(slot: str, name: str | None, rng: random.Random, *, from_resume: bool = False) -> str:
    if slot == "overview" and from_resume and name:
        return rng.choice(OVERVIEW_FROM_RESUME).format(name=name)
    return rng.choice(SLOT_TEMPLATES[slot]).format(anchor=anchor(name))


def technique_question(term: str, question: str, rng: random.Random) -> str:
    return rng.choice(TECHNIQUE_LEADS).format(term=term) + question


def follow_up_text(probe: str, rng: random.Random) -> str:
    return rng.choice(FOLLOW_UP_LEADS) + probe


def misconception_follow_up(evidence: str, claim: str) -> str:
    return f"你刚才提到「{evidence[:40]}」，我想确认一下：你的意思是“{claim}”吗？能再解释一下其中的原理吗？"


def redirect_text(question: str, answer: str = "") -> str:
    lead = SMALL_TALK_LEAD if SMALL_TALK.search(answer) else ""
    return lead + REDIRECT.format(question=question)


def candidate_questions(text: str) -> list[str]:
    """The separate questions in what the candidate asks at the end ("团队做什么？新人怎么成长？")."""
    parts = [part.strip(" ，,；;。") for part in QUESTION_SPLIT.split(text.strip())]
    return [part for part in parts if len(part) >= 2]


def closing_reply(candidate_question: str) -> str:
    """One reply to everything asked at the end: each question answered in turn, from the authored set."""
    text = candidate_question.strip()
    if not text or NO_QUESTIONS.match(text):
        return "好的，那今天就先到这里。"
    questions = candidate_questions(text)
    replies = []
    for question in questions or [text]:
        reply = next((answer for pattern, answer in CLOSING_REPLIES if pattern.search(question)), DEFAULT_CLOSING_REPLY)
        if reply not in replies:
            replies.append(reply)
    if len(replies) == 1:
        return f"{MOCK_NOTE}{replies[0]}"
    return MOCK_NOTE + "".join(f"\n{index}. {reply}" for index, reply in enumerate(replies, start=1))


# ---- non-answers -------------------------------------------------------------------------------------------

SMALL_TALK = re.compile(r"天气|哈哈|吃饭|周末|累了|好累|你好|在吗|聊聊天|无聊|嘿嘿|hhh", re.I)
SMALL_TALK_LEAD = "哈哈，确实。"
SKIP_WORDS = re.compile(r"跳过|下一题|换一题|换个问题|pass|skip|next", re.I)
NON_ANSWER_REPLIES = {
    "skip": ["好，这题先放一放。", "行，我们换一个。"],
    "dont_know": ["没关系，这块不熟也正常。", "好的，没关系。"],
    "gibberish": ["这句我没太看明白，没关系，我们继续。", "好像是误触了？没关系，我们接着来。"],
    "small_talk": ["哈哈，确实。我们先回到面试上来。", "哈哈，好的。那我们继续。"],
}
OFFER = ("看起来这几道题不太顺手，没关系。你可以输入 /hint 要一个提示，我也可以换简单一点的题（接下来会降低难度），"
         "或者输入 /end 提前结束、直接看报告——按你觉得舒服的来。")


def non_answer_kind(answer: str, flags: Collection[str], gibberish: bool) -> str | None:
    """What kind of non-answer this is, for a natural reply: skip | dont_know | gibberish | small_talk | None."""
    if gibberish:
        return "gibberish"
    if "non_answer" in flags or "skipped" in flags:
        return "skip" if SKIP_WORDS.search(answer) else "dont_know"
    if "off_topic" in flags and SMALL_TALK.search(answer) and len(answer) <= 40:
        return "small_talk"
    return None


def non_answer_reply(kind: str, rng: random.Random) -> str:
    return rng.choice(NON_ANSWER_REPLIES[kind])


def offer_text() -> str:
    return OFFER


# ---- probes of what the candidate said ---------------------------------------------------------------------

CONTRADICTION_TEMPLATES = [
    "等一下，我确认一下：前面你说「{a}」，刚才又说「{b}」——到底是哪个？为什么会不一样？",
    "这里我有点没对上：你之前提到「{a}」，现在说的是「{b}」。哪个是准确的？差别是怎么来的？",
]
RESUME_CONTRADICTION_TEMPLATES = [
    "我看你简历上写的是「{a}」，刚才说的是「{b}」，这两个对不上——哪个是准的？差别是怎么来的？",
]
VAGUE_TEMPLATES = {  # by the subject the detector gave the vague claim (detectors.VAGUE_SUBJECTS)
    "数据量": "你说{quote}，具体大概是多少？数据从哪里来、怎么筛的？",
    "用户反馈": "你说{quote}，这个是怎么衡量的？有没有满意度、投诉率或者使用量之类的具体数字？",
    "速度": "你说{quote}，具体快了多少？从多少降到多少，是怎么测的？",
    "default": "你说{quote}，能给个具体数字吗？用的什么指标、在什么数据上测出来的？",
}
NUMBER_TEMPLATES = {
    "metric": ["「{quote}」是在什么评测集上测的？基线是什么，提升主要来自哪里？",
               "你提到「{quote}」，这个数是怎么测出来的？评测集多大，和什么基线比？"],
    "latency": ["「{quote}」是在什么负载下测的？是平均值还是 P99，瓶颈在哪一段？"],
    "throughput": ["「{quote}」是在什么配置和并发下测的？是稳定值还是峰值？"],
    "hyperparameter": ["{name}为什么选 {value}？有没有试过别的取值，差别大吗？"],
}
MAX_VAGUE_QUOTES = 3  # one question chases every vague phrase of an answer
IMPLAUSIBLE_TEMPLATE = "你提到「{quote}」，{reason}，这个结果是怎么测出来的？测试集有多大？"


def probe_question(probe: dict[str, Any], rng: random.Random) -> str:
    """The offline wording of a listening probe; it always quotes the candidate's words."""
    quotes = probe["quotes"]
    kind = probe["kind"]
    if kind == "contradiction":
        templates = RESUME_CONTRADICTION_TEMPLATES if probe.get("source") == "resume" else CONTRADICTION_TEMPLATES
        return rng.choice(templates).format(a=quotes[0], b=quotes[1])
    if kind == "vague":
        quote = "、".join(f"「{text}」" for text in quotes[:MAX_VAGUE_QUOTES])
        # The detector's subject (a probe saved before it carried one has none: the general wording)
        return VAGUE_TEMPLATES.get(probe.get("subject") or "default", VAGUE_TEMPLATES["default"]).format(quote=quote)
    if kind == "implausible":
        return IMPLAUSIBLE_TEMPLATE.format(quote=quotes[0], reason=probe.get("reason") or "这个数字很高")
    claim_kind = probe.get("claim_kind") or "metric"
    if claim_kind == "hyperparameter":
        name, _, value = (probe.get("value") or "").partition("=")
        if name and value:
            spaced = f"{name} " if name.isascii() else name  # "rank 为什么选 16", "温度为什么选 0.3"
            return rng.choice(NUMBER_TEMPLATES["hyperparameter"]).format(name=spaced, value=value)
    return rng.choice(NUMBER_TEMPLATES.get(claim_kind, NUMBER_TEMPLATES["metric"])).format(quote=quotes[0])


def _wrapped(candidate: str, limit: int = 1500) -> dict[str, str]:
    """Candidate text between random per-call tags, its last `limit` characters (the recent part)."""
    tag = secrets.token_hex(6)
    return {"open_tag": f"<candidate-{tag}>", "close_tag": f"</candidate-{tag}>",
            "candidate": candidate.replace(tag, "")[-limit:]}


def llm_rephrase(llm: LLMClient | None, question: str, candidate: str, language: str,
                 keep: list[str] | None = None) -> str | None:
    """A generated wording of `question`, or None when the model fails or the wording fails the checks.
    `keep`: words the wording must still contain (the figures a probe quotes), else the template is used."""
    if llm is None:
        return None
    hint = "用中文" if language == "zh" else "in English"
    text = llm.text(PHRASE, PHRASE_PROMPT.format_messages(question=question, language_hint=hint,
                                                           **_wrapped(candidate)))
    if not text or len(text) > 160 or not text.rstrip().endswith(("？", "?")) or "candidate-" in text:
        return None
    if keep and not all(_figure(word) in text for word in keep):
        return None  # a probe that lost the figures it quotes is no probe
    return text


def _figure(quote: str) -> str:
    """The part of a quote a rewording must keep: its first number with unit, else the quote."""
    match = re.search(r"\d+(?:\.\d+)?\s*(?:%|ms|张|条|天|B|万)?", quote)
    return match.group().strip() if match else quote


def ahead_key(step: str, text: str, keep: list[str] | None = None) -> str:
    """How a wording made ahead of the judge is found by the node that needs it: by exactly what it words."""
    return "\x1f".join([step, text, *(keep or [])])


def worded_ahead(ahead: dict[str, str] | None, key: str) -> tuple[bool, str | None]:
    """(whether the LLM should be asked now, the wording made ahead). With `ahead` set the judge took this
    turn's round trip: a wording not made ahead is not asked for (the template words it), since asking now
    would put a second round trip on the turn's critical path."""
    if ahead is None:
        return True, None
    return False, ahead.get(key) or None


SUMMARY_MISSED_POINTS = 3  # per question, the weightiest gaps


def summary_record(turns: list[dict[str, Any]]) -> str | None:
    """What the wrap-up is written from: one short line per graded question (the closing exchange aside),
    so a whole interview's record fits the summary prompt; None when nothing was graded."""
    grades = {qid: grade for qid, grade in final_grades(turns).items() if not qid.startswith("closing.")}
    if not grades:
        return None
    asked: dict[str, str] = {}  # question id -> the wording the candidate saw
    for turn in turns:
        if turn["kind"] == "question" and turn.get("question_id"):
            asked.setdefault(turn["question_id"], turn["text"])
    return "\n".join(_record_line(asked.get(qid, qid), grade) for qid, grade in grades.items())


def _record_line(question: str, grade: dict[str, Any]) -> str:
    """「question」score；the weightiest key points not covered."""
    missed = [point for point in grade.get("key_points", []) if not is_stated(point.get("status"))]
    missed.sort(key=lambda point: -int(point.get("weight", 1)))
    gaps = "、".join(point["text"] for point in missed[:SUMMARY_MISSED_POINTS])
    return f"「{question[:60]}」{grade['score']} 分；没答到：{gaps}"


def llm_closing_reply(llm: LLMClient | None, candidate_question: str, language: str) -> str | None:
    return _llm_reply(llm, CLOSING_REPLY, CLOSING_PROMPT, candidate_question, language, max_chars=400)


def llm_summary(llm: LLMClient | None, record: str, language: str) -> str | None:
    """The interviewer's spoken wrap-up written from the grading record, or None (offline or any failure)."""
    return _llm_reply(llm, SUMMARY, SUMMARY_PROMPT, record, language, max_chars=500, data_limit=SUMMARY_RECORD_CHARS)


def _llm_reply(llm: LLMClient | None, job: Job, prompt: ChatPromptTemplate, data: str, language: str,
               *, max_chars: int, data_limit: int = 1500) -> str | None:
    """A short free-text reply to wrapped data, or None when offline, on any failure, or when it is too long
    or echoes the tags."""
    if llm is None:
        return None
    hint = "用中文" if language == "zh" else "in English"
    text = llm.text(job, prompt.format_messages(language_hint=hint, **_wrapped(data, data_limit)))
    return text if text and len(text) <= max_chars and "candidate-" not in text else None
