"""Seed 002: a long article.

It has three shapes of content: a glossary (`术语 (English)：定义` lines), topic sections whose
heading is a bare title followed by explanatory paragraphs, and question lists
(`面试题 N：…` / `问题：…` followed by `解答：…`). Topic titles are listed explicitly below,
with the interview question each one answers, because bare titles and in-answer sub-titles
("Bert 模型", "一、原理") cannot be told apart by shape alone; a title missing from the file
fails the import loudly.
"""

from __future__ import annotations

import re

from question_bank.importer.cleaning import META_LINE, clean_answer, clean_heading, is_advert
from question_bank.importer.records import Dropped, Extracted, SeedResult

# `术语 (English)：定义`; a term may carry a long English name ("前馈神经网络 (Feedforward Neural Network)").
GLOSSARY_LINE = re.compile(r"^([^：:，。]{1,60}?)\s*[:：]\s*(.{6,})$")
GLOSSARY_TAG = "术语表"
GLOSSARY_END = "除此之外"
LISTED_QUESTION = re.compile(r"^(?:面试题\s*\d+|问题)\s*[:：]\s*(.+)$")
LISTED_ANSWER = re.compile(r"^解答\s*[:：]\s*(.*)$")

# Section title in the article -> the interview question it answers (None: the section is only a
# container for listed questions).
TOPIC_SECTIONS: dict[str, str | None] = {
    "参数级别": "大模型的参数级别指什么？参数规模的增长带来了什么？",
    "TOKEN": "大模型里的 token 是什么？文本是如何切分成 token 的？",
    "涌现能力": "大模型的涌现能力是什么？出现的原因有哪些？",
    "LLMs（大型语言模型）“复读机”问题": "LLM 的复读机问题是什么原因造成的？如何缓解？",
    "深度学习 Norm": "深度学习中常见的 Norm 方式有哪些？各自优缺点？Transformer 为什么用 LN 而不是 BN？",
    "Bert、LLaMA、ChatGLM": "Bert、LLaMA、ChatGLM 的原理有什么不同？各自适合什么场景？",
    "多模态大模型": None,
    "大模型分布式训练框架": "大模型分布式训练框架有哪些？常见的并行策略有哪些？",
    "大模型可解释性和公平性": "开发大模型时如何保证可解释性和公平性？",
    "大模型训练": None,
    "大模型训练 loss": "大模型训练中 loss 出现 NaN 或 loss spike 的原因是什么？如何解决？",
    "大模型幻觉": None,
    "大模型模型幻觉业内解决方案": "业内有哪些缓解大模型幻觉的解决方案？",
    "如何让大模型处理更长的文本": "如何让大模型处理更长的文本？",
    "如何训练自己的大模型？": "如何训练自己的大模型？",
    "训练中文大模型经验": "训练中文大模型有哪些经验？",
    "大模型 LoRA (Low-Rank Adaptation) 原理与使用技巧": "LoRA 的原理是什么？使用时有哪些技巧？",
    "大模型 LangChain": "LangChain 是什么？有哪些特点，如何使用？",
    "大模型推理": None,
    "Zero-shot 和 Few-shot": "什么是 Zero-shot 和 Few-shot？",
    "泛化": "什么是大模型的泛化能力？如何提升？",
    "微调 (FineTuning) 与指令微调 (Instruction FineTuning)": "微调和指令微调有什么区别？",
    "思维链": "什么是思维链 (CoT)？如何使用？",
    "大模型与强化学习": "大模型与强化学习是什么关系？",
}


def parse(text: str, file_name: str) -> SeedResult:
    result = SeedResult(file=file_name)
    lines = text.splitlines()
    missing = [title for title in TOPIC_SECTIONS if title not in {line.strip() for line in lines}]
    if missing:
        raise ValueError(f"{file_name}: expected section titles not found: {missing}")

    index = _parse_glossary(lines, result)
    section: str | None = None
    section_lines: list[str] = []
    listed: list[tuple[str, list[str]]] = []

    def flush_section() -> None:
        if section is None:
            return
        question = TOPIC_SECTIONS[section]
        for number, (listed_question, answer_lines) in enumerate(listed, start=1):
            result.questions.append(Extracted(
                text=clean_heading(listed_question), reference_answer=clean_answer(answer_lines),
                locator=f"{section} / 面试题 {number}", topic_hint=section, tags=[section]))
        if question is not None:
            result.questions.append(Extracted(
                text=question, reference_answer=clean_answer(section_lines), locator=f"section {section}",
                topic_hint=section, tags=[section]))

    for line_number, line in enumerate(lines[index:], start=index + 1):
        stripped = line.strip()
        if stripped in TOPIC_SECTIONS:
            flush_section()
            section, section_lines, listed = stripped, [], []
            continue
        if is_advert(stripped):
            result.dropped.append(Dropped(text=stripped[:40], locator=f"line {line_number}", reason="advertising"))
            continue
        if META_LINE.match(stripped):
            continue
        if match := LISTED_QUESTION.match(stripped):
            listed.append((match.group(1), []))
            continue
        if listed and (match := LISTED_ANSWER.match(stripped)):
            listed[-1][1].append(match.group(1))
            continue
        (listed[-1][1] if listed else section_lines).append(line)
    flush_section()
    return result


def _parse_glossary(lines: list[str], result: SeedResult) -> int:
    """Glossary lines at the top become "什么是 X？" questions; returns where the glossary ends.

    Every non-empty line before the end of the glossary is accounted for: a question, or a dropped
    item naming the line and why (the title, the sentence introducing the list, or a line that does
    not read as `术语：定义`, so that a change in the article cannot lose a term silently)."""
    seen_text = False
    for index, line in enumerate(lines):
        stripped = line.strip()
        if not stripped:
            continue
        locator = f"line {index + 1}"
        if stripped.startswith(GLOSSARY_END):
            result.dropped.append(Dropped(text=stripped[:40], locator=locator,
                                          reason="list of terms explained in later sections"))
            return index + 1
        match = GLOSSARY_LINE.match(stripped)
        if match and not stripped.endswith(("：", ":")):
            term, definition = match.groups()
            result.questions.append(Extracted(
                text=f"什么是{clean_heading(term)}？", reference_answer=clean_answer([definition]),
                locator=f"glossary line {index + 1}", tags=[GLOSSARY_TAG]))
        elif not seen_text:
            result.dropped.append(Dropped(text=stripped[:40], locator=locator, reason="article title"))
        elif stripped.endswith(("：", ":")):
            result.dropped.append(Dropped(text=stripped[:40], locator=locator, reason="introduction to the glossary"))
        else:
            result.dropped.append(Dropped(text=stripped[:40], locator=locator,
                                          reason="glossary line that does not parse as 术语：定义"))
        seen_text = True
    raise ValueError(f"glossary end ({GLOSSARY_END!r}) not found")
