"""Seed 003: one candidate's personal preparation notes.

The notes mix Markdown headings, bare lines that name a topic, a numbered list of the 13
project-deep-dive questions, behavioural questions answered about the author, and details of
the author's own life and projects. Shape alone cannot separate these, so every anchor line the
parser relies on is listed below with what it becomes; everything between two anchors is the
answer of the first. Personal content (the self-introduction, the author's own projects and
personal answers to behavioural questions) is never shipped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from question_bank.importer.cleaning import clean_answer, clean_heading
from question_bank.importer.records import Dropped, Extracted, SeedResult
from question_bank.taxonomy import PROJECT_SLOTS, Kind, ProjectSlot

LADDER_ITEM = re.compile(r"^(\d{1,2})\.\s*(.+)$")
HEADING_MARKS = re.compile(r"^#+\s*")


@dataclass(frozen=True)
class Anchor:
    question: str | None  # None: the block is dropped, for `reason`
    reason: str = ""
    kind: Kind = "technical"
    fixed_id: str | None = None
    slot: ProjectSlot | None = None
    keep_answer: bool = True  # False where the answer is about the author personally


def personal(reason: str) -> Anchor:
    return Anchor(None, reason=reason)


def behavioural(name: str, question: str) -> Anchor:
    return Anchor(question, kind="behavioral", fixed_id=f"behavioral.{name}", keep_answer=False,
                  reason="personal answer not shipped")


# Anchor line (as cleaned, matched as a prefix) -> what it becomes.
ANCHORS: dict[str, Anchor] = {
    "自我介绍": Anchor("请先做一个简单的自我介绍。", kind="opening", fixed_id="opening.self_intro",
                   keep_answer=False, reason="personal details removed"),
    "sft阶段是这样": personal("note fragment without a question"),
    "faiss向量数据库和其他数据库有什么不同": Anchor("Faiss 等向量数据库和传统数据库有什么不同？"),
    "每个项目难点以及如何克服": Anchor("每个项目的难点是什么，如何克服的？", kind="project",
                              fixed_id="project.problems", slot="problems"),
    "如何解决幻觉问题的": Anchor("你是如何解决大模型幻觉问题的？"),
    "评估方式是什么，效果怎么样": Anchor("项目的评估方式是什么，效果怎么样？", kind="project",
                                fixed_id="project.metrics", slot="metrics"),
    "介绍一下 RAG": Anchor("介绍一下 RAG（检索增强生成）。"),
    "微调bge": Anchor("如何微调 bge 这类 embedding 模型？训练数据是什么格式？"),
    "项目相关": personal("section label"),
    "介绍一下TF-IDF和BM25和向量相似性": Anchor("介绍一下 TF-IDF、BM25 和向量相似度，它们有什么区别？"),
    "prompt压缩原理": Anchor("Prompt 压缩的原理是什么？"),
    "痛点以及难点": personal("section label"),
    "判断知识需要召回文档还是一些通识的知识": Anchor(
        "RAG 中如何判断一个问题需要检索文档，还是直接用模型的通识知识回答？"),
    "痛点2：文档切分粒度不好把控": Anchor("RAG 中文档切分粒度不好把控，既担心噪声太多又担心语义信息丢失，怎么办？"),
    "问题2：如何让LLM回答出全面的粗粒度": Anchor("如何让 LLM 回答出全面的跨段落（粗粒度）知识，避免召回内容残缺？"),
    "语义相关": personal("examples from the author's own project"),
    "评价RAG系统": Anchor("如何评价一个 RAG 系统？有哪些指标？"),
    "vllm和rt-llm": Anchor("vLLM 和 TensorRT-LLM 分别用了哪些推理加速技术？"),
    "KVcache": Anchor("什么是 KV cache？推理时它是如何工作的？"),
    "显存占用": Anchor("大模型推理时显存主要被哪些部分占用？"),
    "MQA&GQA": Anchor("MQA 和 GQA 是什么？为什么能减少 KV cache？"),
    "kvcache是可变长的": Anchor("vLLM 的 PagedAttention 是如何管理 KV cache 的？"),
    "prompt规则": Anchor("设计 prompt 时通常包含哪些要素？"),
    "GPT和bert": Anchor("GPT 和 BERT 有什么区别？"),
    "transform组成": Anchor("Transformer 由哪些部分组成？"),
    "transformer的训练与推理": Anchor("Transformer 在训练和推理时有什么不同？"),
    "强制学习": Anchor("什么是 Teacher Forcing（强制学习）？"),
    "旋转位置编码": Anchor("介绍一下旋转位置编码 RoPE。"),
    "lora": Anchor("介绍一下 LoRA 的原理。"),
    "NL2SQL项目": personal("the author's own project"),
    "deespeed介绍": Anchor("介绍一下 DeepSpeed 和 ZeRO 的三个阶段。"),
    "freeze 、lora、P-Tuning、全参的方法": Anchor("Freeze、LoRA、P-Tuning 和全参数微调各有什么特点？"),
    "NL2sql大模型微调": personal("the author's own project"),
    "Agent": personal("heading with only an image"),
    "prompt设计": Anchor("RAG 问答的 prompt 模板通常怎么设计？"),
    "L1正则化和L2正则化的区别": Anchor("L1 正则化和 L2 正则化的区别？"),
    "pytorch DDP中": personal("note fragment without a question"),
    "大模型篇": personal("section label"),
    "大模型分词算法": Anchor("大模型常用的分词算法有哪些？"),
    "BPE": Anchor("BPE 是如何构建词表的？"),
    "4、instructGPT的原理": Anchor("InstructGPT 的原理是什么？讲讲 SFT、奖励模型和 RLHF。"),
    "prefix Decoder causal Decoder Encoder-Decoder": Anchor(
        "Prefix Decoder、Causal Decoder 和 Encoder-Decoder 三种结构有什么区别？"),
    "微调方法有哪些": Anchor("参数高效微调有哪些方法？"),
    "软件能力": personal("section label"),
    "我的优点是": behavioural("strengths_weaknesses", "你的优点和缺点分别是什么？"),
    "未来的职业规划": behavioural("career_plan", "你未来的职业规划是什么？"),
    "团队中的": behavioural("teamwork", "你在团队中通常承担什么角色？和同事意见不一致时怎么处理？"),
    "如何学习": behavioural("learning", "你平时是如何学习新技术的？"),
    "遇到最困难的事情怎么解决的": behavioural("hardest_problem", "你遇到过最困难的事情是什么？是怎么解决的？"),
    "经历过什么挫折": behavioural("setback", "你经历过什么挫折？是怎么面对的？"),
}


def _anchor_for(line: str) -> tuple[str, Anchor] | None:
    cleaned = clean_heading(HEADING_MARKS.sub("", line.strip()))
    if not cleaned:
        return None
    for key, anchor in ANCHORS.items():
        # Short keys must match the whole line so that e.g. "lora" does not swallow "lora 原理".
        if cleaned == key or (len(key) >= 6 and cleaned.startswith(key)):
            return key, anchor
    return None


def parse(text: str, file_name: str) -> SeedResult:
    result = SeedResult(file=file_name)
    lines = text.splitlines()
    found: set[str] = set()
    blocks: list[tuple[int, Anchor, list[str]]] = []
    ladder: list[tuple[int, str]] = []
    in_code = False
    for number, line in enumerate(lines, start=1):
        if line.strip().startswith("```"):
            in_code = not in_code
        matched = None if in_code else _anchor_for(line)
        if matched is not None:
            key, anchor = matched
            found.add(key)
            blocks.append((number, anchor, []))
            continue
        item = LADDER_ITEM.match(line.strip())
        if not in_code and item and int(item.group(1)) == len(ladder) + 1 and _is_ladder_item(lines, number, ladder):
            ladder.append((number, item.group(2)))
            continue
        if blocks:
            blocks[-1][2].append(line)
    missing = sorted(set(ANCHORS) - found)
    if missing:
        raise ValueError(f"{file_name}: expected anchor lines not found: {missing}")
    if len(ladder) != len(PROJECT_SLOTS):
        raise ValueError(f"{file_name}: expected {len(PROJECT_SLOTS)} project questions, found {len(ladder)}")

    for order, ((number, question), slot) in enumerate(zip(ladder, PROJECT_SLOTS, strict=True), start=1):
        result.questions.append(Extracted(
            text=clean_heading(question), reference_answer=None, locator=f"line {number} (project list)",
            kind="project", slot=slot, order=order, fixed_id=f"project.{slot}"))
    for number, anchor, answer_lines in blocks:
        if anchor.question is None:
            result.dropped.append(Dropped(text=clean_heading(lines[number - 1])[:40], locator=f"line {number}",
                                          reason=anchor.reason))
            continue
        if not anchor.keep_answer:
            result.dropped.append(Dropped(text=f"answer to {anchor.question[:30]}", locator=f"line {number}",
                                          reason=anchor.reason))
        result.questions.append(Extracted(
            text=anchor.question,
            reference_answer=clean_answer(answer_lines) if anchor.keep_answer else None,
            locator=f"line {number}", kind=anchor.kind, fixed_id=anchor.fixed_id, slot=anchor.slot))
    return result


def _is_ladder_item(lines: list[str], number: int, ladder: list[tuple[int, str]]) -> bool:
    """The project list is a run of consecutive numbered questions; numbered answer steps are not."""
    continues_run = bool(ladder) and ladder[-1][0] == number - 1
    return continues_run or bool(re.search(r"[？?]", lines[number - 1]))
