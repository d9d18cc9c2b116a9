"""Near-duplicate detection by rule: the same question worded differently in two seeds.

Two questions are the same when, after technical terms are normalised (BPE = Byte-Pair Encoding,
词典 = 词表, vllm = vLLM, …) and filler words are removed,

- they name the same technical terms (ASCII words; words that only set the context, such as
  "RAG" in "RAG 中文档切分…", are ignored),
- they ask for the same aspect (优点 is not 缺点, 思路 is not 推导, 是什么 is not 为什么), and
- their Chinese wording shares at least 72% of its characters and character bigrams.

What these rules cannot decide (paraphrases such as "vllm的推理加速是怎么实现的" and "vLLM为什么可以
加速推理？") is decided in the reviewed table `curation.MERGES`.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from question_bank.normalize import normalize

# Spellings of one term -> one spelling. Applied in order to NFKC lower-cased text.
TERM_SYNONYMS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), replacement)
    for pattern, replacement in (
        (r"byte[- ]?pair[- ]?encoding\s*[(（]\s*bpe\s*[)）]|byte[- ]?pair[- ]?encoding|字节对编码", "bpe"),
        (r"词典", "词表"),
        (r"embeding", "embedding"),
        (r"attntion", "attention"),
        (r"tensorrt-llm|rt-llm|trt-llm", "tensorrt"),
        (r"旋转位置编码\s*[(（]?\s*rope\s*[)）]?|旋转位置编码", "rope"),
        (r"大型语言模型|大语言模型|大模型", ""),  # before 模型幻觉, so 大模型幻觉 is not read as 大 + 模型幻觉
        (r"模型幻觉", "幻觉"),
        (r"处理", "解决"),
        (r"全量微调|全参微调", "全参数微调"),
    )
)
# ASCII words that set the context of a question rather than name what it asks about.
CONTEXT_TERMS = frozenset({"llm", "llms", "ai", "rag"})
# What a question asks about a subject. Questions asking for different aspects are never merged by rule.
ASPECTS: dict[str, re.Pattern[str]] = {
    name: re.compile(pattern)
    for name, pattern in {
        "advantages": r"优点|好处|优势",
        "drawbacks": r"缺点|不足",
        "traits": r"特点",
        "idea": r"思路|原理|核心思想",
        "difference": r"区别|不同点|有什么不同|异同|对比|比较",
        "formula": r"公式",
        "derivation": r"推导",
        "code": r"代码|手写|手撕",
        "applications": r"应用|场景",
        "reason": r"为什么|原因|为何|为啥",
        "how": r"如何|怎么|怎样",
        "methods": r"方法|方式|手段",
        "need": r"需要",
        "implementation": r"实现",
    }.items()
}
# Phrases that contain an aspect word but do not ask for that aspect ("…丢失，怎么办？").
NOT_AN_ASPECT = re.compile(r"怎么办|怎么样|怎样的")
# Words that do not change what is asked ("请谈谈…", "…，并举例说明").
FILLER = re.compile(
    r"请问|请解释一下|请解释|解释一下|请你|请谈谈|请|并举例说明|举例说明|介绍一下|介绍下|简单|谈谈|讲讲|说一下|说说|"
    r"什么是|是什么|一下|你是|你|存在|哪些|什么|的|吗|呢|啥|么|中|在|有|是"
)
NEAR_DUPLICATE_JACCARD = 0.72


@dataclass(frozen=True)
class Signature:
    grams: frozenset[str]
    terms: frozenset[str]
    aspects: frozenset[str]


def canonical(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).lower()
    for pattern, replacement in TERM_SYNONYMS:
        text = pattern.sub(replacement, text)
    return text


def signature(text: str) -> Signature:
    normalized = NOT_AN_ASPECT.sub("", normalize(canonical(text)))
    aspects = frozenset(name for name, pattern in ASPECTS.items() if pattern.search(normalized))
    chinese = re.sub(r"[^\u4e00-\u9fff]", "", normalized)
    for pattern in ASPECTS.values():
        chinese = pattern.sub("", chinese)
    core = FILLER.sub("", chinese)
    # Characters and character bigrams: bigrams keep words together, characters forgive word order
    # ("幻觉问题如何处理" / "如何解决幻觉问题").
    grams = frozenset(core) | frozenset(core[i : i + 2] for i in range(len(core) - 1)) if core else frozenset({""})
    terms = frozenset(re.findall(r"[a-z0-9]+", normalized)) - CONTEXT_TERMS
    return Signature(grams, terms, aspects)


def same_question(a: Signature, b: Signature) -> bool:
    if a.terms != b.terms or a.aspects != b.aspects:
        return False
    return len(a.grams & b.grams) / len(a.grams | b.grams) >= NEAR_DUPLICATE_JACCARD
