"""How the interviewer words things. Offline: varied templates that quote the candidate's own terms.
With a chat model: a generated wording, accepted only if it passes checks, else the template.
"""

from __future__ import annotations

import logging
import random
import re
import secrets

from langchain_core.prompts import ChatPromptTemplate

from interviewer.llm.client import LLMClient
from interviewer.llm.limits import CLOSING_REPLY, PHRASE, SUMMARY, Job
from interviewer.prompts import CLOSING_PROMPT, PHRASE_PROMPT, SUMMARY_PROMPT

logger = logging.getLogger(__name__)

ENGLISH_TERM = re.compile(r"[A-Za-z][A-Za-z0-9+\-.]{1,24}")
CLAUSE = re.compile(r"[，,。；;！!？?\n]")

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
CLOSING_REPLIES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"团队|业务|做什么|方向|工作内容"), "团队主要做大模型的训练、RAG 和 Agent 应用落地，既有模型侧也有工程侧的工作。"),
    (re.compile(r"技术栈|框架|模型|平台"), "技术栈以 PyTorch、DeepSpeed、vLLM 为主，底座会跟进主流开源模型，也会做领域微调。"),
    (re.compile(r"成长|培养|新人|导师|学习"), "新人会有导师带，前期参与成熟项目熟悉流程，之后逐步独立负责一个模块。"),
    (re.compile(r"表现|评价|结果|怎么样|建议"), "具体结果会由 HR 统一通知；面试报告里有每道题的要点反馈，可以重点看看缺失的部分。"),
]
DEFAULT_CLOSING_REPLY = "这是个好问题。简单说：我们很看重扎实的基础和把模型真正落地的能力，也欢迎你入职后继续深入交流。"


LEAD_IN = re.compile(r"^(我们|我)?(主要)?(做的|做过的?|负责的?|参与的?)?(是|了)?(一个|个)?|^这个项目(是|主要是)?")


def anchor_from(card: dict[str, str]) -> str:
    """The candidate's own name for their project: the first clause of their overview, quoted."""
    overview = card.get("overview", "")
    for part in CLAUSE.split(overview):
        clause = LEAD_IN.sub("", part.strip()).strip()
        if len(clause) >= 4:
            return f"「{clause[:18]}」这个项目"
    terms = [term for term in ENGLISH_TERM.findall(overview) if len(term) >= 3]
    return f"你那个{terms[0]}项目" if terms else "这个项目"


def slot_question(slot: str, card: dict[str, str], rng: random.Random) -> str:
    return rng.choice(SLOT_TEMPLATES[slot]).format(anchor=anchor_from(card))


def technique_question(term: str, question: str, rng: random.Random) -> str:
    return rng.choice(TECHNIQUE_LEADS).format(term=term) + question


def follow_up_text(probe: str, rng: random.Random) -> str:
    return rng.choice(FOLLOW_UP_LEADS) + probe


def misconception_follow_up(evidence: str, claim: str) -> str:
    return f"你刚才提到「{evidence[:40]}」，我想确认一下：你的意思是“{claim}”吗？能再解释一下其中的原理吗？"


def redirect_text(question: str) -> str:
    return REDIRECT.format(question=question)


def closing_reply(candidate_question: str) -> str:
    for pattern, reply in CLOSING_REPLIES:
        if pattern.search(candidate_question):
            return reply
    return DEFAULT_CLOSING_REPLY


def _wrapped(candidate: str, limit: int = 1500) -> dict[str, str]:
    """Candidate text between random per-call tags, its last `limit` characters (the recent part)."""
    tag = secrets.token_hex(6)
    return {"open_tag": f"<candidate-{tag}>", "close_tag": f"</candidate-{tag}>",
            "candidate": candidate.replace(tag, "")[-limit:]}


def llm_rephrase(llm: LLMClient | None, question: str, candidate: str, language: str) -> str | None:
    """A generated wording of `question`, or None when the model fails or the wording fails the checks."""
    if llm is None:
        return None
    hint = "用中文" if language == "zh" else "in English"
    text = llm.text(PHRASE, PHRASE_PROMPT.format_messages(question=question, language_hint=hint,
                                                           **_wrapped(candidate)))
    if not text or len(text) > 160 or not text.rstrip().endswith(("？", "?")) or "candidate-" in text:
        return None
    return text


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
