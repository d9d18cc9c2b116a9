"""Listening to a project answer: which of the 13 ladder slots it covers (with the words that cover them),
and what the candidate calls the project.

Every project answer and the résumé go through `fill_slots`; a slot it covers is never asked again as a
fresh ladder question. Pure functions of the text: the content detectors find numbers, models and data,
the cue patterns below the rest.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from interviewer.grading.detectors import RATE, SENTENCE, Finding, clauses, detect
from interviewer.tuning import MAX_NAME_CHARS, NAME_SLACK_CHARS
from question_bank.taxonomy import PROJECT_SLOTS

SlotEvidence = dict[str, str]  # slot -> the candidate's clauses that cover it

# Clause cues per slot. A cue names the thing the slot asks about in the words candidates use.
SLOT_CUES: dict[str, re.Pattern[str]] = {
    "overview": re.compile(
        r"项目(?:是|：|:|经历)|做的是|做过一个|这个是我们|这个\s?project|代表性的项目|简历上写的那个|我在一个.{1,16}里负责|"
        r"负责[^，。,；]{0,30}?(?:这块|的优化|系统|平台)|方案上|整体(?:方案|架构)|分成.{0,4}(?:个)?模块|框架是", re.I),
    "motivation": re.compile(
        r"背景|(?<!比)原来|(?<!比)以前|之前(?!的)|为什么做|痛点|老板要|用户是|面向|主要是给|给.{1,12}用|"
        r"(?:用户|员工|工程师|同事|客服|患者|学生|商家|买家|业务方?)[^，。,]{0,6}(?:用|问|查|提问|拿|上传)|压力很大|积压|很慢|太慢|"
        r"扛不住|推不出去|太粗|就崩|排期|回不过来|手写|答不上来|退回|嫌麻烦|所以想|[Bb]aseline\s?是|很口语", re.I),
    "problems": re.compile(
        r"难点|(?<!呼吸)困难|挑战|难的是|最大的问题|问题是|问题主要|瓶颈|bottleneck|踩.{0,2}坑|放不下|会乱|噪声很大|长尾|掉了|"
        r"变长了|断了|超出.{0,8}(?:上下文|长度|context|窗口)|超过\s?(?:context|上下文)|上下文不够|塞不下", re.I),
    "highlights": re.compile(r"亮点|创新|不一样的地方|不同的地方|区别在于|(?:和|跟|相比)开源|开源方案|特色|优势在",
                             re.I),
    "dataset": re.compile(
        r"数据(?:集|是|来源|方面|主要|的话|其实)|语料|标注(?!员在)|样本|FAQ|题库|问答对|偏好对|训练数据|文档的话|历史.{0,6}(?:文案|合同)",
        re.I),
    "base_model": re.compile(r"底座|基座|base\s?model|模型(?:是|用的?|选的)", re.I),
    "training": re.compile(
        r"(?<!没有)(?<!没)(?<!不)(?:Q?LoRA|全参|微调|DPO|RLHF|PPO|continue\s?pretrain|预训练|蒸馏到|学习率|epoch|"
        r"训练(?!数据)(?:了|用|其实|那块|这块|的时候)|SFT(?!\s?(?:数据|那部分)))", re.I),
    "inference": re.compile(
        r"CoT|思维链|一步步|推理的时候|推理时|推理阶段|先.{1,16}再.{0,12}(?:输出|生成|回答|推|合并|汇总)|few-?shot|temperature|温度设|"
        r"top_p|解码|验算|塞进\s?prompt|(?:schema|表)[^，。]{0,6}放进去|写一步思考", re.I),
    "controllability": re.compile(
        r"幻觉|可控|合规|安全|拒答|敏感词|前置拦截|兜底|越狱|只能根据|必须直接|带上引用|必须引用|注明出处|JSON\s?schema|"
        r"格式是固定|规则检查|用户确认|不能给|不能荐股|防止|限制了|guardrail", re.I),
    "deployment": re.compile(
        r"部署|vLLM|TensorRT|llama\.cpp|量化|INT[48]|AWQ|GPTQ|首\s?token|延迟|latency|吞吐|QPS|并发|p99|KV\s?cache|"
        r"continuous batching|推理服务|起的服务|离线批量|批量跑|speculative|cache", re.I),
    "production": re.compile(
        r"上线(?:后|以后|之后)[^。！？]{0,30}(?:问题|bad\s?case|遇到|碰到|出过|故意|事)|线上(?:遇到|出现|出过)|bad\s?case|"
        r"出过一次事|大促|监控|点踩|人工复核|用户会故意", re.I),
    "io_example": re.compile(
        r"(?:说|问|搜|输入是?)\s?[\"“「][^\"”」]{2,60}[\"”」][^。]{0,24}?(?:会去|输出|生成|rewrite|改写成|返回)|"
        r"输出(?:就)?是\s?[\"“「]|输入是\s?[\"“「]|"
        r"(?:比如|例如|举个例子)[^。“\"「]{0,10}(?:问|输入|搜)\s?[\"“「]|"
        r"(?:比如|例如|举个例子)[^。]{0,6}输入[^。]{1,30}输出(?:就|的)?是", re.I),
}
# Metrics that describe the data (an annotation's agreement) rather than the project's result.
DATA_QUALITY = re.compile(r"抽检|标注|打完标签")


def fill_slots(text: str, findings: list[Finding] | None = None) -> SlotEvidence:
    """The slots `text` covers, each with the clauses (joined by "；") that cover it. `findings`: what
    `detect(text)` found, when the caller has it already."""
    evidence: dict[str, list[str]] = {}
    parts = list(clauses(text))
    # "上线后 QPS 涨上去，vLLM 排队": an incident's words fill the production slot, not deployment, problems
    # or the data set ("新品类没有训练数据").
    incident = {clause.text for clause in parts if SLOT_CUES["production"].search(clause.sentence)}

    def add(slot: str, clause_text: str) -> None:
        if clause_text in incident and slot in ("deployment", "problems", "dataset"):
            return
        found = evidence.setdefault(slot, [])
        if clause_text not in found:
            found.append(clause_text)

    for clause in parts:
        for slot, pattern in SLOT_CUES.items():
            if slot == "io_example":
                if pattern.search(clause.sentence):
                    add(slot, clause.sentence)
            elif pattern.search(clause.text):
                add(slot, clause.text)
    for finding in detect(text) if findings is None else findings:
        finding_slot = _slot_of(finding, text)
        if finding_slot:
            add(finding_slot, finding.text)
    return {slot: "；".join(evidence[slot]) for slot in PROJECT_SLOTS if slot in evidence}


def _slot_of(finding: Finding, text: str) -> str | None:
    """The slot a detector finding fills, if any."""
    kind = finding.kind
    if kind == "model":
        return "base_model" if finding.role == "base" else None
    if kind == "model_size":
        return "base_model"  # "最终上线的是 14B" answers which base model
    if kind == "hardware":
        return "training" if finding.subject == "训练" else "deployment" if finding.subject == "部署" else None
    if kind == "metric":
        if finding.quantity in ("latency", "throughput") or SLOT_CUES["deployment"].search(finding.text):
            return "deployment"
        before = text[: finding.start]
        sentence_start = max(before.rfind(mark) for mark in "。！？\n") + 1
        if DATA_QUALITY.search(text[sentence_start: finding.start]):
            return "dataset"
        return "metrics"
    if kind == "comparison" and finding.subject:
        return "metrics"
    if kind == "vague" and finding.subject == "数据量" and "数据" in finding.match:
        return "dataset"
    if kind == "data_size":
        subject = finding.subject or ""
        if not subject or RATE.match(subject) or subject in ("抽检", "复核"):
            return None  # a flow of traffic or an evaluation sample, not the data set
        return "dataset"
    if kind == "data_source":
        return "dataset"
    if kind == "hyperparameter":
        return "training"
    return None


def merge_evidence(card: dict[str, str], found: SlotEvidence) -> dict[str, str]:
    """The card with `found` added: evidence appended per slot, nothing said twice."""
    merged = dict(card)
    for slot, words in found.items():
        old = merged.get(slot)
        merged[slot] = words if not old else old if words in old else f"{old}\n{words}"
    return merged


# ---- an aside: project talk in reply to a technique question -------------------------------------------

# A sentence about the candidate's own work, and one stating general knowledge ("rank 一般取 8").
OWN_WORK = re.compile(r"我们|我|项目|线上|上线|当时|实际")
GENERAL_KNOWLEDGE = re.compile(r"一般|通常|往往|常见|理论上|论文|原文|默认|典型")


def project_talk(answer: str, answered: bool) -> str:
    """What an answer to a keyword-triggered bank question says about the candidate's own project.

    A candidate who did not answer the bank question (`answered` False) is going on about the project: all
    of it counts. One who answered it may still mention the project in passing: only sentences about their
    own work count. Sentences stating general knowledge never do, so "rank 一般取 8" neither fills the
    training slot nor contradicts the project's "rank 16"."""
    kept = [sentence.group().strip() for sentence in SENTENCE.finditer(answer)
            if not GENERAL_KNOWLEDGE.search(sentence.group()) and (not answered or OWN_WORK.search(sentence.group()))]
    return "。".join(sentence for sentence in kept if sentence)


# ---- the project's name -------------------------------------------------------------------------------

NAME_MARKERS = re.compile(
    r"(?:代表性的项目是|项目是|项目名称?[:：]|项目经历[:：]|项目[:：]|(?:我们?|主要)?做的是|做过一个|这个是我们|这个\s?project\s?是|"
    r"简历上写的那个|我在一个|负责(?:的是)?)\s*", re.I)
NAME_STOP = re.compile(r"[，,。！？!?；;：:\n（(]|(?<=[\u4e00-\u9fff])(?:里负责|这块|，|用的|基于|底座)")
NAME_LEAD = re.compile(r"^(?:一个|一款|个|我们|公司的?|做|用大模型给|用大模型|给)+")
NAME_TAIL = re.compile(r"(?:的|了|吧|呢|啊|这块|项目)+$")
CJK = re.compile(r"[\u4e00-\u9fff]")
LATIN_WORD = re.compile(r"[A-Za-z]{3,}")
NOUN_END = re.compile(r"(?:系统|助手|平台|客服|问答|分析|审查|审核|生成|识别|解析|分类|改写|rewrite|插件|服务|优化|"
                      r"Agent|标签|纪要|补全|检索|推荐|答疑|对话|模型|工具|引擎|机器人)", re.I)


def project_name(texts: Iterable[str]) -> str | None:
    """A short noun phrase naming the project, from the candidate's own words ("电商平台的 RAG 智能客服"),
    or None. Only a phrase introduced as the project ("项目是…", "我做的是…", "项目：…") qualifies, so
    small talk, off-topic answers and gibberish never name it."""
    for text in texts:
        for marker in NAME_MARKERS.finditer(text or ""):
            rest = text[marker.end(): marker.end() + 60]
            phrase = NAME_STOP.split(rest, maxsplit=1)[0].strip()
            phrase = NAME_TAIL.sub("", NAME_LEAD.sub("", phrase)).strip()
            if name_length(phrase) > MAX_NAME_CHARS:
                phrase = _shorten(phrase)
            wordy = len(CJK.findall(phrase)) >= 2 or len(LATIN_WORD.findall(phrase)) >= 2
            if phrase and wordy and name_length(phrase) <= MAX_NAME_CHARS + NAME_SLACK_CHARS:
                return phrase
    return None


def _shorten(phrase: str) -> str:
    """A long phrase cut at a word boundary that keeps its head noun: the last "X的Y" part, else ''."""
    ends = [match.end() for match in NOUN_END.finditer(phrase)]
    if not ends:
        return ""
    head = phrase[: ends[-1]]
    while name_length(head) > MAX_NAME_CHARS and ("的" in head or " " in head):
        cut = max(head.find("的") + 1, head.find(" ") + 1)
        head = head[cut:].strip()
    return head if name_length(head) <= MAX_NAME_CHARS else ""


def name_length(phrase: str) -> int:
    """A name's length as read: a Chinese character or a whole Latin word ("meeting minutes" is two)."""
    return len(CJK.findall(phrase)) + len(re.findall(r"[A-Za-z0-9][\w.+-]*", phrase))
