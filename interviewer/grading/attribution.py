"""Whom an answer says a key point's content of, when a rubric speaks of several sibling things.

A comparison question's points each open with their own subject ("Tool 是…", "Toolkit 是…", "输入侧审核…",
"输出侧审核…"). A fluent wrong answer keeps every word of a point and says it of the sibling: "Toolkit 指的是
单个可调用函数，带名称、描述和参数 schema" has all of the Tool point's words, and similarity credits it.
Who a clause speaks of is read from the sibling names it opens with (or, naming none, the last ones its
sentence named before it), which is plain string work: no embedding.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from interviewer.grading import signals
from interviewer.grading.verdicts import pieces

# A Latin name of a thing ("tool", "zero-1", "rmsnorm"), not a formula or a number.
LATIN_NAME = re.compile(r"[a-z][a-z0-9\-.]*[a-z0-9]", re.I)
# The content a clause must share with a point (bigrams, beside the sibling names) to say it at all:
# one shared bigram is a word in passing ("模型", "训练").
ATTRIBUTION_MIN_PIECES = 3
# What may stand before the sibling a clause opens with: a filler or a turn of up to two words ("然后",
# "而", "但是其实"); more, and the name is an object of the clause.
SUBJECT_LEAD_CHARS = 4
LEADING = " \t\n，,；;。嗯啊呃那就"
SENTENCE_END = signals.SENTENCE_MARK
PRONOUN = re.compile(r"它|其|该|这个|这种|这样|此")


# Characters that make Chinese siblings of one word: 输入 / 输出, 编码器 / 解码器, 前置 / 后置. Not any
# character: 多个 / 每个 / 多头 are one apart and the same thing.
SIBLING_CHARS = frozenset(
    frozenset(pair) for pair in (*signals.ANTONYM_CHARS, ("入", "出"), ("左", "右"), ("编", "解"), ("读", "写"),
                                 ("行", "列"), ("主", "从"), ("直", "间"), ("稠", "稀"), ("有", "无")))


def _one_apart(name: str, other: str) -> bool:
    """Two words the same but for one sibling character."""
    if len(name) != len(other):
        return False
    differing = [frozenset((a, b)) for a, b in zip(name, other, strict=True) if a != b]
    return len(differing) == 1 and differing[0] in SIBLING_CHARS


NUMBERED_NAME = re.compile(r"(.*?)[-\s]?(\d+)$")
SIBLING_SUFFIX = 2  # a shared ending that makes two Latin names siblings (MQA / GQA, encoder / decoder)
SIBLING_HEAD = 5  # ... with heads no longer than this (over / under, en / de): not two unrelated words


# Chinese names of one family may also share their head word and differ before it: 更新门 / 重置门,
# 零样本 / 少样本, 张量并行 / 流水线并行. Only names of three characters or more: two two-character words
# sharing one (输入 / 注入, 融合 / 混合) are as often two verbs as two things; those are siblings only one
# sibling character apart (左表 / 右表, see `_one_apart`).
CHINESE_NAME_CHARS = 3
CHINESE_HEAD_CHARS = 3  # what may stand before the shared head (流水线)
CJK_NAME = re.compile(r"[\u4e00-\u9fff]+")


def _shared_ending(name: str, other: str) -> int:
    """How many characters two names end alike."""
    shared = 0
    while shared < min(len(name), len(other)) and name[-1 - shared] == other[-1 - shared]:
        shared += 1
    return shared


def _shared_head(name: str, other: str) -> bool:
    if not (CJK_NAME.fullmatch(name) and CJK_NAME.fullmatch(other)) or min(len(name), len(other)) < CHINESE_NAME_CHARS:
        return False
    shared = _shared_ending(name, other)
    heads = (len(name) - shared, len(other) - shared)
    # One head shorter than the other is a longer name of its own only with two shared characters or more
    # ("张量并行" / "流水线并行"); of equal length one is enough ("更新门" / "重置门").
    return shared >= 1 and min(heads) > 0 and max(heads) <= CHINESE_HEAD_CHARS and (heads[0] == heads[1] or shared >= 2)


# Latin names of several parts: one family when they differ in one part only, the first or the last
# ("sys.path" / "sys.modules", "Prompt Tuning" / "Prefix Tuning").
NAME_PARTS = re.compile(r"[\s.\-_]+")


def _one_part_apart(name: str, other: str) -> bool:
    left, right = NAME_PARTS.split(name), NAME_PARTS.split(other)
    if len(left) < 2 or len(left) != len(right):
        return False
    return (left[:-1] == right[:-1]) != (left[1:] == right[1:])


def _kindred(name: str, other: str) -> bool:
    """Two values with one unit (6B / 175B); two names of one family as `_siblings` reads them, but for one
    holding the other; or two names sharing all parts but one (sys.path / sys.modules) or, in Chinese, a
    head word (更新门 / 重置门). Wider than `_siblings`: only what an answer says right after a name is read
    against these (`signals.said_of_a_sibling`), not whom a whole clause speaks of, which a shared head
    alone would too often mislead ("补全测试也行，…打乱顺序…")."""
    values = VALUE_NAME.fullmatch(name), VALUE_NAME.fullmatch(other)
    if values[0] and values[1]:
        return name != other and values[0].group(2) == values[1].group(2)  # 6B / 175B, 5B / 175B
    if name in other or other in name:
        return False  # one extends the other ("QLoRA 是在 LoRA 的基础上把底座量化"): what holds of one may hold of both
    return _siblings(name, other) or _one_part_apart(name, other) or _shared_head(name, other)


def _siblings(name: str, other: str) -> bool:
    """Two names of one family: a pair of the field (BN / LN, PPO / GRPO), numbered alike (ZeRO-1 /
    ZeRO-3), one extending the other (Tool / Toolkit, LoRA / QLoRA, LLMLingua / LLMLingua-2), or sharing
    an ending (MQA / GQA, overthinking / underthinking); in Chinese, one sibling character apart
    (输入 / 输出). Not an instance and its kind (AdaBoost / Boosting) nor two things merely both Latin
    (Transformer / BN)."""
    if name == other:
        return False
    if not (LATIN_NAME.fullmatch(name) and LATIN_NAME.fullmatch(other)):
        return _one_apart(name, other)
    groups = [{m.group for m in signals.mentions(word)} for word in (name, other)]
    if groups[0] & groups[1]:
        return True
    numbered = [NUMBERED_NAME.fullmatch(word) for word in (name, other)]
    if numbered[0] and numbered[1] and numbered[0].group(1) == numbered[1].group(1) and numbered[0].group(1):
        return True
    if name.startswith(other) or other.startswith(name):
        return True
    shared = _shared_ending(name, other)
    return shared >= SIBLING_SUFFIX and max(len(name), len(other)) - shared <= SIBLING_HEAD


def sibling_names(subjects: Sequence[str | None], texts: Sequence[str] = ()) -> dict[str, frozenset[str]]:
    """Per name a rubric's points are said of, its siblings among the others'. A rubric whose points
    open with no two siblings has none to confuse. `texts`: the points' texts, whose lists of names tell
    siblings apart too."""
    named = {subject.lower() for subject in subjects if subject}
    # Points opening with Latin names no other point names are items of one list ("LlamaIndex 专注…",
    # "Haystack 以…", "DSPy 用…") or a pair set apart ("SGLang 用基数树…", "vLLM 按块哈希…"): what one says
    # may be said of another, however unlike their names. Not a word every step names ("RL" in an RL
    # pipeline's points). (Pairs were left out at first, for fear of two points whose content overlaps; on
    # the spoken sets and labelled items taking them in changed only answers that swapped the two.)
    listed = {name for name in named if LATIN_NAME.fullmatch(name) and _opens_its_point_only(name, texts)}
    found = {name: frozenset(other for other in named if _siblings(name, other)
                             or (name in listed and other in listed and name not in other and other not in name))
             for name in named}
    return {name: others for name, others in found.items() if others}


def _naming(name: str, texts: Sequence[str]) -> list[tuple[int, list[int]]]:
    """The texts naming `name` (lower-cased, a whole word), each by its index with where it names it."""
    return [(index, found) for index, text in enumerate(texts) if (found := signals.term_positions(text.lower(), name))]


def _opens_its_point_only(name: str, texts: Sequence[str]) -> bool:
    """Exactly one of `texts` names `name`, and opens with it."""
    naming = _naming(name, texts)
    return len(naming) == 1 and naming[0][1][0] == 0


def positions_apart(text: str, name: str, others: Iterable[str]) -> list[int]:
    """Where `name` stands in lower-cased `text` by itself, not inside one of `others` ("R1" in "R1-Zero")."""
    spans = [(start, start + len(other)) for other in others if other != name
             for start in signals.term_positions(text, other)]
    return [start for start in signals.term_positions(text, name)
            if not any(s <= start and start + len(name) <= e for s, e in spans)]


def siblings_named(text: str, own: str, siblings: Iterable[str]) -> bool:
    """The text names one of `siblings` beside `own`: not inside it ("R1" in "R1-Zero 在基座上…")."""
    return any(positions_apart(text.lower(), name, (own,)) for name in siblings)


@dataclass(frozen=True)
class Attribution:
    clause: str  # the clause saying most of the point's content
    quote: str  # ... quoted from where its sibling is named, so the quote says whom it speaks of
    names: frozenset[str]  # the siblings it says it of
    negated: bool  # the clause holds an odd number of negations ("GRPO 不需要 critic")
    shared: int  # bigrams of the point's content it says
    inherited: bool  # the clause names no sibling itself; an earlier clause did


def _named(clause: str, siblings: Iterable[str]) -> frozenset[str]:
    """The siblings a clause speaks of: those it opens with ("然后 Toolkit 指的是…", "输出侧审核才是…"),
    not those it names later as an object ("每组共享一组 KV") or as what it compares with ("比 PPO 简单")."""
    lowered = clause.lower()
    lead = len(lowered) - len(lowered.lstrip(LEADING))
    # A name inside a longer sibling's is that one ("LLMLingua" in "LLMLingua-2").
    said = [(position, position + len(name), name)
            for name in siblings for position in positions_apart(lowered, name, siblings)]
    return frozenset(name for start, end, name in said
                     if start - lead <= SUBJECT_LEAD_CHARS and not signals.compared_mention(clause, start, end)
                     and not re.search(r"[，,、]", lowered[lead:start]))


# A Latin name as a rubric writes it, of one word or several capitalised ones ("Prefix Tuning").
NAME_IN_TEXT = re.compile(r"[A-Z][A-Za-z0-9_.\-]*[A-Za-z0-9](?:\s+[A-Z][A-Za-z0-9\-]*)+"
                          r"|[A-Za-z][A-Za-z0-9_.\-]*[A-Za-z0-9]")
# ... shaped as a name: a capital past its first letter, a digit or a joining mark. An English point's plain
# words ("retrieves", "Pretraining" opening it) are no names of things.
NAME_SHAPE = re.compile(r"(?<=.)[A-Z]|[0-9_.\-]")


# "第三步" and "第一步" are places in a sequence, not things: an answer may say the step's content without its
# number ("最后用 PPO").
ORDINAL = re.compile(r"第|[一二三四五六七八九十两]+[步个阶层]")


# A value with its unit, written as one name ("6B", "175B", "4bit"): two with one unit are told apart by
# what is said of each ("6B 的 RM 训练不稳").
VALUE_UNITS = r"(b|m|k|t|bit|bits|gb|mb|tb|kb)"
VALUE_NAME = re.compile(r"(\d+(?:\.\d+)?)\s?" + VALUE_UNITS)
VALUE_IN_TEXT = re.compile(r"(?<![A-Za-z0-9_.\-])\d+(?:\.\d+)?\s?" + VALUE_UNITS + r"(?![A-Za-z])", re.I)


def name_families(points: Sequence[str], terms: Iterable[str]) -> tuple[tuple[str, frozenset[str]], ...]:
    """The names a rubric's points speak of (Latin names, values with units, Chinese terms), each with its
    siblings among them (`_kindred`): what an answer may say of one instead of the other."""
    # Not symbols and identifiers ("W_Q", "d_model"): code and formulas name them in lists and assignments.
    names = {match.group().lower() for point in points for match in NAME_IN_TEXT.finditer(point)
             if NAME_SHAPE.search(match.group()) and "_" not in match.group()}
    names |= {match.group().lower() for point in points for match in VALUE_IN_TEXT.finditer(point)}
    names |= {term.lower() for term in terms if CJK_NAME.fullmatch(term) and len(term) >= 2 and not ORDINAL.match(term)}
    apart = _acronyms_apart(points)
    found = ((name, frozenset(other for other in names if _kindred(name, other)) | apart.get(name, frozenset()))
             for name in sorted(names))
    return tuple((name, others) for name, others in found if others)


ACRONYM = re.compile(r"(?<![A-Za-z0-9])[A-Z]{2,5}(?![A-Za-z0-9])")


def _acronyms_apart(points: Sequence[str]) -> dict[str, frozenset[str]]:
    """Acronyms each named by one point alone, in different points ("MSE" in the regression loss point,
    "MAE" in the next): the rubric says different things of each, however unlike their letters."""
    acronyms = {match.group().lower() for point in points for match in ACRONYM.finditer(point)}
    alone = {name: naming[0][0] for name in acronyms if len(naming := _naming(name, points)) == 1}
    return {name: frozenset(other for other, at in alone.items() if at != index) for name, index in alone.items()}


def said_content(points: Sequence[str], siblings: dict[str, frozenset[str]]) -> list[frozenset[str]]:
    """Per point, what it says beside whom it is said of: its bigrams less the sibling names'."""
    names = frozenset().union(*(pieces(name) for name in siblings))
    return [pieces(point) - names for point in points]


def distinctive_content(points: Sequence[str], subjects: Sequence[str | None],
                        siblings: dict[str, frozenset[str]]) -> list[frozenset[str]]:
    """Per point, what it says that the points of its subject's siblings do not, beside whom it is said
    of: "LN 对单个样本在特征维度上计算均值和方差" against "BN 对每个特征在 batch 维度上计算均值和方差"
    is 单个样本, since a clause about BN says 均值方差 as much."""
    said = said_content(points, siblings)
    found = []
    for index, subject in enumerate(subjects):
        others = siblings.get(subject.lower(), frozenset()) if subject else frozenset()
        theirs = [said[other] for other, name in enumerate(subjects) if name and name.lower() in others]
        found.append(said[index].difference(*theirs))
    return found


def attribution(unit: str, content: frozenset[str], own: str, siblings: frozenset[str]) -> Attribution | None:
    """The clause of `unit` saying most of a point's `content` of one of the `siblings` of its `own`
    subject, with whom it says it of; None when no such clause says enough of it, or says more of it
    than the clauses speaking of the point's own subject say between them. A clause naming no one speaks
    of whom the last clause named, unless its sentence named the point's own subject before: "QLoRA
    把底座量化到 4bit，LoRA 部分用 bf16 训，再加上双重量化" still speaks of QLoRA."""
    names_of = siblings | {own} if own else siblings
    best: Attribution | None = None
    names: frozenset[str] = frozenset()
    named_at = 0
    own_in_sentence = False
    # What the clauses said of the point's own subject say of its content between them: a point may be
    # said over two clauses ("把查询头分成几组，每组共享一组 KV").
    said_of_own: set[str] = set()
    for start, end in signals.clause_spans(unit) or [(0, len(unit))]:
        clause = unit[start:end]
        if start > 0 and SENTENCE_END.search(unit[max(0, start - 2) : start]):
            own_in_sentence = False
            # A new sentence speaks of no one in particular, unless it opens with a pronoun ("它也不需要…").
            if not PRONOUN.match(clause.lstrip(LEADING)):
                names = frozenset()
        said = _named(clause, names_of)
        if said:
            names, named_at = said, start
            own_in_sentence = own_in_sentence or own in said
        found = content & pieces(clause)
        if own in names:
            said_of_own |= found
        inherited = not said
        # A clause naming the point's own subject anywhere ("P-Tuning v2 或者 Prefix Tuning 是…") inherits
        # no one else.
        if (len(found) < ATTRIBUTION_MIN_PIECES or not names & siblings or own in names
                or (inherited and (own_in_sentence or (own and positions_apart(clause.lower(), own, siblings))))):
            continue
        if best is None or len(found) > best.shared:
            best = Attribution(clause, unit[named_at:end].strip(" ，,；;。"), names & siblings,
                               signals.negation_count(clause) % 2 == 1, len(found), inherited)
    return best if best is not None and best.shared > len(said_of_own) else None


# What a point compares its subject with: "相比 one-hot 维度低且稠密" speaks of embeddings against one-hot.
COMPARED_WITH = re.compile(r"(?:相比于?|相较于?|比起|不同于)\s*(?:([A-Za-z][A-Za-z0-9\-]*)(?![A-Za-z0-9\-])|"
                           r"([\u4e00-\u9fff]{2,6}?)(?=\s|[，,的]|而言|来说|$))")


def compared_with(point: str) -> str | None:
    """The thing a point compares its subject with, lower-cased; None if it compares with nothing."""
    match = COMPARED_WITH.search(point)
    return (match.group(1) or match.group(2)).lower() if match else None


def said_of_compared(unit: str, content: frozenset[str], compared: str) -> bool:
    """The clause of `unit` saying most of a point's content opens with what the point compares its
    subject with: "跟 one-hot 比，one-hot 维度等于词表大小，又高又稀疏" describes one-hot, so its 高 and
    稀疏 deny nothing of "相比 one-hot 维度低且稠密"."""
    return attribution(unit, content, "", frozenset({compared})) is not None
