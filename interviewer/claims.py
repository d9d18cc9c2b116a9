"""The claims ledger: concrete facts a candidate states about their project, and checks on them.

Numbers with units (Arabic or Chinese numerals), data sizes, model names and sizes, metric values,
hardware and durations are recorded per
answer; a later answer that contradicts an earlier one, or a claim that is implausible on its face,
is turned into a probing question.
"""

from __future__ import annotations

import re

from interviewer.transcript import Claim

MULTIPLIERS = {"千": 1e3, "k": 1e3, "K": 1e3, "万": 1e4, "w": 1e4, "W": 1e4, "十万": 1e5, "百万": 1e6,
               "M": 1e6, "千万": 1e7, "亿": 1e8, "B": 1e9}
CHINESE_DIGITS = {"零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
CHINESE_UNITS = {"十": 10, "百": 100, "千": 1000}
# Arabic ("1.5") or Chinese ("三千五百", "十") digits; a following 万/亿/k… multiplies.
DIGITS = r"(\d+(?:\.\d+)?|[零一二两三四五六七八九十百千]+)"
NUMBER = DIGITS + r"\s*(十万|百万|千万|千|万|亿|[kKwWMB])?"
HOURS = {"分钟": 1 / 60, "小时": 1.0, "个小时": 1.0, "天": 24.0, "周": 168.0, "个月": 720.0}
PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("dataset_size", re.compile(r"(?<![A-Za-z\d.])" + NUMBER
                                + r"\s*(?:多)?\s*(条|个样本|样本|份|篇|对|组)(?:数据|样本|问答|语料)?")),
    ("model_size", re.compile(r"(\d+(?:\.\d+)?)\s*([bB])(?![a-zA-Z])(?:\s*参数)?")),
    ("metric", re.compile(r"(准确率|召回率|精确率|命中率|F1|f1|accuracy|recall|BLEU|ROUGE|Rouge|满意度|通过率)"
                          r"[^0-9%。，,；;]{0,8}?(\d+(?:\.\d+)?)\s*(%|％|个点)?")),
    ("hardware", re.compile(DIGITS + r"\s*(?:张|块|台|卡|\*|×|x)\s*"
                            r"(A100|H100|A800|H800|H20|V100|4090|3090|L40|T4|昇腾|910B)", re.I)),
    ("latency", re.compile(r"(\d+(?:\.\d+)?)\s*(ms|毫秒|秒)")),
    ("duration", re.compile(DIGITS + r"\s*(分钟|个小时|小时|天|周|个月)")),
]
MIN_DATASET_SIZE = 100  # "一条数据" is not a claim about the dataset's size
MODEL_NAME = re.compile(r"(?<![A-Za-z])(Qwen[\d.]*|LLaMA[\d.-]*|Llama[\d.-]*|ChatGLM\d*|GLM-?\d*|Baichuan\d*|Mistral|"
                        r"DeepSeek[-\w]*|InternLM\d*|BERT|GPT-?[\d.o]+)(?![A-Za-z])", re.I)
LABELS = {"dataset_size": "数据规模", "model_size": "模型参数量", "metric": "指标", "hardware": "硬件",
          "latency": "延迟", "duration": "时长", "model": "底座模型"}


def _number(value: str, unit: str | None) -> float:
    return _digits(value) * MULTIPLIERS.get(unit or "", 1.0)


def _digits(value: str) -> float:
    """1.5 → 1.5; 三千五百 → 3500; 十二 → 12; 十 → 10."""
    if value[0].isdigit():
        return float(value)
    total, current = 0, 0
    for char in value:
        if char in CHINESE_DIGITS:
            current = CHINESE_DIGITS[char]
        else:
            total += (current or 1) * CHINESE_UNITS[char]
            current = 0
    return float(total + current)


def extract_claims(text: str, slot: str | None) -> list[Claim]:
    claims: list[Claim] = []
    for kind, pattern in PATTERNS:
        for match in pattern.finditer(text):
            if kind == "dataset_size":
                size = _number(match.group(1), match.group(2))
                if size < MIN_DATASET_SIZE:
                    continue
                value = f"{size:g}"
            elif kind == "model_size":
                value = f"{float(match.group(1)):g}B"
            elif kind == "metric":
                final = _final_metric_value(text, match)
                if final is None:
                    continue
                value = f"{match.group(1).lower()}={final[0]:g}"
                claims.append(Claim(kind=kind, value=value, text=final[1], slot=slot))
                continue
            elif kind == "hardware":
                value = f"{_digits(match.group(1)):g}x{match.group(2).upper()}"
            elif kind == "duration":
                value = f"{_digits(match.group(1)) * HOURS[match.group(2)]:g}h"
            else:
                value = f"{_number(match.group(1), None) / (1000 if match.group(2) in ('ms', '毫秒') else 1):g}s"
            claims.append(Claim(kind=kind, value=value, text=match.group(0).strip(), slot=slot))
    claims.extend(Claim(kind="model", value=match.group(1).lower(), text=match.group(0), slot=slot)
                  for match in MODEL_NAME.finditer(text))
    return claims


# A metric sentence often states a change, not a value: "从 70% 提升到 86%", "提升了 9 个点", "基线只有 52%".
CHANGE_WORDS = re.compile(r"提升|提高|上升|下降|降低|增加|减少|涨|降了")
BASELINE_WORDS = re.compile(r"基线|baseline|原来|原先|之前|以前|不加|未加|没加|只有|仅有|仅为", re.I)
FROM_TO = re.compile(r"\s*(?:%|％|个点)?\s*(?:提升|提高|上升|下降|降低|增加|减少|涨|降)?(?:到|至)"
                     r"\s*(\d+(?:\.\d+)?)\s*(%|％|个点)?")


def _final_metric_value(text: str, match: re.Match[str]) -> tuple[float, str] | None:
    """The value the candidate claims as their result: B in "从 A 到 B"; None for a delta or a baseline."""
    between = text[match.end(1):match.start(2)]
    if "从" in between:
        after = FROM_TO.match(text, match.end(2))
        return (float(after.group(1)), match.group(0) + text[match.end():after.end()]) if after else None
    if re.search(r"[到至]\s*$", between):  # "提升到 86%": the value reached
        return float(match.group(2)), match.group(0).strip()
    clause_start = max(text.rfind(mark, 0, match.start()) for mark in "。；;！？\n") + 1
    if CHANGE_WORDS.search(between) or BASELINE_WORDS.search(text[clause_start:match.start(2)]):
        return None
    return float(match.group(2)), match.group(0).strip()


def _unit(text: str) -> str:
    return "条" if re.search(r"条|样本", text) else text[-1:]


def _conflicts(earlier: Claim, later: Claim) -> bool:
    if earlier.kind != later.kind or earlier.value == later.value or earlier.slot == later.slot:
        return False
    if earlier.kind == "dataset_size":
        if "metrics" in (earlier.slot, later.slot) or _unit(earlier.text) != _unit(later.text):
            return False  # evaluation-set sizes and counts of other things (份, 篇) are not the dataset size
        low, high = sorted((float(earlier.value), float(later.value)))
        return high > low * 2
    if earlier.kind == "model_size":
        return True
    if earlier.kind == "metric":
        name_a, value_a = earlier.value.split("=")
        name_b, value_b = later.value.split("=")
        return name_a == name_b and abs(float(value_a) - float(value_b)) >= 5
    return False


def implausible(claim: Claim) -> str | None:
    """A reason the claim needs checking, or None."""
    if claim.kind == "metric":
        value = float(claim.value.split("=")[1])
        if value > 100:
            return "超过 100%"
        if value >= 99.5:
            return "几乎是 100%"
    if claim.kind == "latency" and claim.value.endswith("s") and float(claim.value[:-1]) < 0.001:
        return "低于 1 毫秒"
    return None


def find_probe(ledger: list[Claim], new: list[Claim], already_probed: list[str]) -> tuple[str, str] | None:
    """The first contradiction or implausible claim not yet probed: (key, question)."""
    for claim in new:
        for earlier in ledger:
            key = f"conflict:{earlier.text}|{claim.text}"
            if key not in already_probed and _conflicts(earlier, claim):
                label = LABELS.get(claim.kind, "这个数字")
                return key, (f"前面你说{label}是「{earlier.text}」，这里又说「{claim.text}」，"
                             f"到底是哪个？为什么会不一样？")
        reason = implausible(claim)
        key = f"implausible:{claim.text}"
        if reason and key not in already_probed:
            return key, f"你提到「{claim.text}」，{reason}，这个结果是怎么测出来的？测试集有多大？"
    return None
