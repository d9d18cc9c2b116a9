"""Offline signals that tell a statement from its opposite, in Chinese and English.

Similarity says an answer talks about a key point; these say whether it says the same thing:

- negation scope: which words a negation (不/没/无/非/未/无需/不能/并非/而不是/去掉; not/no/never/
  without/cannot) covers, up to the end of its clause or a turn ("而是", "but");
- contrast pairs of the field (BN/LN, L1/L2, encoder/decoder, 训练/推理, 增加/减少 …): which side of a
  pair each shared word is said about, so "L2 产生稀疏解" is a swap of "L1 产生稀疏解";
- numbers, units and formulas (2 vs 16 字节, 4-bit vs 16-bit, √d_k vs d_k).

Everything here is pure: functions of the two texts (and the tokenizer that finds their words).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from interviewer.grading.detectors import CN_NUMBER, parse_number

# Contrast groups: each tuple is one group, each inner tuple one side (its synonyms). Mentions of
# different sides of a group are mutually exclusive claims about the same thing.
CONTRAST_GROUPS: tuple[tuple[tuple[str, ...], ...], ...] = (
    (("bn", "batchnorm", "batch norm", "batch normalization", "批归一化", "批量归一化"),
     ("ln", "layernorm", "layer norm", "layer normalization", "层归一化")),
    (("l1",), ("l2",)),
    (("bagging",), ("boosting",)),
    (("inner join", "内连接"), ("left join", "left outer join", "左连接", "左外连接"), ("right join", "右连接")),
    (("encoder-only", "仅编码器", "纯编码器"), ("decoder-only", "仅解码器", "纯解码器"),
     ("encoder-decoder", "编码器-解码器", "编解码器", "seq2seq")),
    (("encoder", "编码器"), ("decoder", "解码器")),
    (("训练", "training", "train"), ("推理", "inference", "解码阶段")),
    (("并行", "parallel", "同时计算"), ("串行", "serial", "sequential", "逐个", "顺序计算")),
    (("稀疏", "sparse"), ("稠密", "dense")),
    (("在线", "online"), ("离线", "offline")),
    (("增加", "增大", "提高", "提升", "变大", "上升", "更多", "升到", "升为", "升高", "放大", "扩大", "加剧",
      "increase", "increases", "larger", "more", "raise", "raises"),
     ("减少", "减小", "降低", "变小", "下降", "更少", "降到", "降为", "缩小", "缓解", "节省", "decrease", "decreases",
      "reduce", "reduces", "smaller", "fewer", "less", "lower", "lowers")),
    (("梯度爆炸", "exploding gradient", "exploding gradients"),
     ("梯度消失", "vanishing gradient", "vanishing gradients")),
    (("prefill", "预填充"), ("decode", "解码阶段")),
    (("训练后量化", "ptq", "post-training quantization"), ("量化感知训练", "qat", "quantization-aware training")),
    (("交叉编码器", "cross-encoder", "cross encoder"), ("双塔", "bi-encoder", "bi encoder", "双编码器")),
    (("全局最优", "global optimum", "global minimum"), ("局部最优", "local optimum", "local minimum")),
    (("凸函数", "convex"), ("非凸", "non-convex", "nonconvex")),
    (("奖励", "reward", "rewards"), ("惩罚", "penalize", "penalizes", "penalty")),
    # 半精度 names fp16 and bf16 alike: no side.
    (("fp32", "单精度", "float32"), ("fp16", "float16"), ("bf16", "bfloat16"), ("int8", "8bit", "8-bit"),
     ("int4", "4bit", "4-bit", "nf4")),
    (("加性", "additive"), ("选择性", "selective"), ("重参数化", "reparameterization", "reparameterized")),
    (("子词", "subword"), ("词级", "word-level", "字符级", "character-level")),
    (("对称", "symmetric"), ("不对称", "非对称", "asymmetric")),
    (("均值", "mean"), ("方差", "variance", "标准差"), ("偏差",)),
    (("缩放", "scale", "scaling", "γ", "gamma"), ("平移", "shift", "β", "beta")),
    (("词表", "vocabulary"), ("序列长度", "sequence length", "上下文长度")),
    (("之前", "before"), ("之后", "after")),
    (("前向", "forward"), ("反向", "backward")),
    (("同步", "synchronous"), ("异步", "asynchronous")),
    (("有监督", "supervised"), ("无监督", "unsupervised", "自监督", "self-supervised")),
    (("pre-norm", "pre-ln", "prenorm", "前置归一化"), ("post-norm", "post-ln", "postnorm", "后置归一化")),
    (("欠拟合", "underfitting"), ("过拟合", "overfitting")),
    (("高偏差", "high bias"), ("高方差", "high variance")),
    (("精确率", "查准率", "precision"), ("召回率", "查全率", "recall")),
    (("生成式", "generative"), ("判别式", "discriminative")),
    (("on-policy", "同策略"), ("off-policy", "异策略")),
    (("ppo",), ("dpo",), ("grpo",)),
    (("mha", "多头注意力"), ("mqa",), ("gqa",)),
    (("绝对位置", "absolute position"), ("相对位置", "relative position")),
    (("上三角", "upper triangular"), ("下三角", "lower triangular")),
    (("最大化", "maximize", "maximise"), ("最小化", "minimize", "minimise")),
    (("sigmoid",), ("softmax",)),
    (("bpe",), ("wordpiece",), ("unigram",)),
    (("column", "columns", "按列", "每一列", "每列", "逐列"), ("row", "rows", "按行", "每一行", "每行", "逐行")),
    (("左填充", "left padding", "left-padding"), ("右填充", "right padding", "right-padding")),
    (("乘法", "相乘", "multiply", "multiplies", "multiplicative"), ("加法", "相加", "add", "adds", "additive")),
    (("旋转", "rotation", "rotate"), ("平移", "translation")),
    (("bert",), ("gpt", "gpt-2", "gpt-3", "gpt-4"), ("t5",), ("llama",), ("qwen",), ("chatglm", "glm"),
     ("mistral",), ("deepseek",), ("clip",), ("vit",)),
    (("where",), ("having",)),
    (("kl 散度", "kl divergence", "kl"), ("交叉熵", "cross entropy", "cross-entropy")),
    (("教师强制", "teacher forcing"), ("自回归生成",)),
    (("memory-bound", "memory bound", "访存受限", "带宽受限", "显存带宽受限", "访存瓶颈", "带宽瓶颈"),
     ("compute-bound", "compute bound", "计算受限", "算力受限", "计算瓶颈", "算力瓶颈")),
    # Who gives the feedback: RLHF's people or RLAIF's model ("用 AI 反馈替代人工标注").
    (("人工标注", "人工反馈", "人类反馈", "人类标注", "human feedback"), ("ai 反馈", "ai 标注", "ai feedback")),
    (("保守",), ("激进",)),
    (("尖锐", "sharp", "sharper", "peaked"), ("平坦", "flat", "flatter")),
    (("长期记忆", "long-term memory"), ("短期记忆", "short-term memory")),
    (("system 消息", "system message", "系统消息"), ("user 消息", "user message", "用户消息"),
     ("tool 消息", "tool message", "工具消息"), ("assistant 消息", "assistant message", "助手消息")),
    (("高温", "高温度", "high temperature"), ("低温", "低温度", "low temperature")),
    (("预训练", "pretraining", "pre-training", "pretrain"), ("微调", "fine-tuning", "finetuning", "fine-tune")),
    (("线性", "linear", "linearly"), ("平方", "二次", "quadratic", "quadratically")),
    (("局部", "local"), ("全局", "global")),
    (("开源", "open-source", "open source"), ("闭源", "closed-source", "closed source")),
    # Predicates the field states one way or the other ("高质量配对数据稀缺" / "…其实很充足").
    (("稀缺", "稀少", "匮乏", "scarce"), ("充足", "充裕", "abundant")),
    (("收缩", "shrink", "shrinks"), ("扩张", "expand", "expands")),
    (("定长", "固定长度", "fixed-length"), ("变长", "可变长度", "variable-length")),
    (("静态", "static"), ("动态", "dynamic")),
    (("连续", "continuous"), ("离散", "discrete")),
    (("可微", "differentiable"), ("不可微", "non-differentiable")),
    (("白盒", "white-box"), ("黑盒", "black-box")),
    (("可变对象", "mutable"), ("不可变对象", "immutable")),
    (("值传递", "pass by value"), ("引用传递", "pass by reference")),
    (("进程", "process", "processes"), ("线程", "thread", "threads"), ("协程", "coroutine", "coroutines")),
    (("cpu 密集", "计算密集", "cpu-bound"), ("io 密集", "i/o 密集", "io-bound", "i/o-bound")),
    # Thresholds: "10B 以上" / "10B 以下".
    (("以上", "超过", "大于", "高于", "above"), ("以下", "小于", "低于", "below")),
    # Where in a sequence: attention sinks sit at its start, not its end.
    (("开头", "起始", "最前面", "beginning"), ("末尾", "结尾", "最后面", "the end")),
    (("无损", "lossless"), ("有损", "lossy")),
    (("有放回", "with replacement", "自助采样", "bootstrap"), ("无放回", "不放回", "without replacement")),
    (("上采样", "upsample", "upsampling", "upsampled"), ("下采样", "downsample", "downsampling", "downsampled")),
    # Consistent or not ("分布不一致" is "分布不一样", against "分布是一致的"). A bare 一样 / 相同 is not a
    # side: "输出确实一样" says what is the same, not that two things agree.
    (("一致", "consistent"), ("不一致", "不一样", "不相同", "不太一样", "不太一致", "inconsistent")),
)

# Verbs that leave something out or lack it ("去掉了减均值", "省掉奖励模型", "缺少在线探索"): they negate
# their object, never what the clause said before them.
REMOVAL_WORDS = (r"避免|去掉|去除|省去|省掉|省了|省略|免去|跳过|移除|摒弃|抛弃|取消|舍弃|缺少|缺乏|忽略|忽视|"
                 r"\b(?:without|eliminates?|removes?|drops?|avoids?|skips?|lacks?)\b(?!-)")
REMOVAL_CUE = re.compile(REMOVAL_WORDS, re.I)
# A negation or a removal. Words that merely start with 不/无/非/未 (不同, 不断, 无论, 非常, 未来) are not
# negations.
NEGATION_CUE = re.compile(
    # "为什么不除以 d_k？" asks about the negated thing; it does not deny it.
    r"(?<!为什么)(?<!为什么要)(?<!为何)(?<!为啥)(?<!why )(?<!why do)(?:"
    r"并不|并非|而不是|而非|不是|不用|不需要|不需|不必|不能|不会(?!变)|不要|不可|不再|不一定|不做|(?<!差)不"
    r"(?!同|一样|一致|相同|太一样|太一致|太相同|断|过|错|少|仅|管|久|如|然|停|足|良|光|只|止|论|外|妨|变|会变)|没有?|无需|无须|无(?!论|损|关|限|穷|数|监督)|"
    r"非(?!常|线性|零|负|凸|对称|结构化|自回归|监督)|未(?!来|知|登录)|"
    # "别在小数据上训太久": the imperative; not 区别, 类别, 特别, 分别, 识别, 别的, 别人 …
    r"(?<![区类特分识级个性辨告差鉴判甄派组])别(?![的人名处样])|" + REMOVAL_WORDS + "|"
    # not in a compound: "Skip-gram", "no-op"
    r"\b(?:not|no|never|none|neither|nor|cannot|instead of|rather than)\b(?!-)|n't)",
    re.I,
)
# A negation that heads an English noun phrase.
LATIN_NEGATION = re.compile(r"\b(?:no|without|not|never)\b", re.I)
# The candidate's own uncertainty ("我记得不是很清楚", "记不清了", "不太确定"): it denies nothing said.
# An A-not-A question ("是不是", "有没有", "能不能") asks; it denies nothing either.
HEDGE = re.compile(r"(?:不是很|不太|不大|不怎么|不)(?:清楚|确定|记得)|记不(?:太|大)?(?:清|住|得)|没记住|"
                   r"([\u4e00-\u9fff])[不没]\1|\b(?:not sure|don't remember|do not remember)\b", re.I)
# Words of vagueness: many, some, rather, a factor, it matters, take care ("微调的方式有很多种", "要注意一些限制").
# (detectors.VAGUE is another thing: an unquantified claim on a project card, "效果挺好".)
VAGUE_WORDS = re.compile(r"很多|好几|一些|有些|比较|挺|等等|之类|一个因素|也是一种|有关系|有影响|会影响|很重要|要注意|"
                   r"\b(?:something|kind of|sort of|not sure|stuff like that)\b", re.I)
# The candidate saying they do not remember ("具体反向怎么处理的我记不太清了", "vLLM 默认怎么分我不太确定"): such a
# clause states nothing of a knowledge point, for or against. (On a project point, not knowing one's own
# base model is an answer: the authors label it contradicted.)
FORGOTTEN = re.compile(r"记不(?:太|大)?(?:清|住|得)|没记住|"
                       r"(?<!承认)(?:不是很|不太|不大|不怎么)(?:清楚|确定|记得)(?!性)")


# ... said by the candidate of themselves, or of what they cannot recall ("具体…", "怎么…"): "RNN 记不住长期依赖"
# and "模型不太确定时就拒答" are content.
FORGETTING_SPEAKER = re.compile(r"我|具体|怎么|什么|哪|多少|细节|其他|其余|这块|那块|那边|这边")


def _forgotten(clause: str) -> bool:
    return bool(FORGOTTEN.search(clause) and FORGETTING_SPEAKER.search(clause))


def without_forgotten_clauses(sentence: str) -> str:
    """The sentence without its clauses saying the candidate does not remember; "" if that is all it says."""
    spans = clause_spans(sentence)
    if not spans:
        return sentence  # marks only ("……"): nothing said, nothing to drop
    # Each clause with the marks after it; the sentence keeps its own closing marks.
    segments = [(sentence[start:end], sentence[end:following])
                for (start, end), following in zip(spans, [*(start for start, _ in spans[1:]), len(sentence)],
                                                   strict=True)]
    kept = [segment for segment in segments if not _forgotten(segment[0])]
    if len(kept) == len(segments):
        return sentence
    if not kept:
        return ""
    return ("".join(clause + marks for clause, marks in kept[:-1]) + kept[-1][0] + segments[-1][1]).strip()


# What ends a condition ("缺少验证时", "不固定的话"), not a word holding 时 ("时间", "实时", "同时").
CONDITION_END = r"(?<=[\u4e00-\u9fff])(?<![实同及准按临暂随定])时(?![间序刻延长效])|的时候|的话"
# A condition, where it opens or ends: "参数不固定的话，…", "如果不固定，…".
CONDITION = re.compile(CONDITION_END + r"|时候|如果|要是|假如|一旦|\bif\b|\bunless\b", re.I)


# Where a negation's reach ends: a clause mark, a turn to what holds instead, what then follows
# ("不需要任何训练就能直接用": 直接用 is not negated) or the end of a condition.
SCOPE_END = re.compile(r"[，,；;。！？!?：:、\n]|而是|但是|但|而|却|只是|只|反而|就(?=能|可以|可|会|行|够|直接)|"
                       r"也(?=能|可以|会|行|够)|"
                       # the end of a condition: "缺少验证时整体成功率下降" does not negate 成功率
                       + CONDITION_END + "|"
                       # a relative clause: "没匹配上的那些列填 NULL" says what the columns are
                       r"的(?=那些|这些|那个|这个|那种|这种)|"
                       r"\b(?:but|however|whereas|while|instead|only|rather)\b", re.I)
CJK_CHAR = re.compile(r"[\u4e00-\u9fff]")

CLAUSE_MARK = re.compile(r"[，,；;。！？!?：:\n]+|(?<=[A-Za-z0-9)])\.(?=\s|$)")

UNITS: dict[str, str] = {
    "字节": "byte", "bytes": "byte", "byte": "byte", "bit": "bit", "bits": "bit", "位": "bit", "比特": "bit",
    "%": "%", "个百分点": "%", "倍": "x", "x": "x", "×": "x", "gb": "gb", "g": "gb", "mb": "mb", "tb": "tb",
    "ms": "ms", "毫秒": "ms", "s": "s", "秒": "s", "分钟": "min", "min": "min", "小时": "h", "h": "h", "天": "day",
    "days": "day", "day": "day", "b": "billion", "billion": "billion", "亿": "亿", "万": "万", "k": "k",
    "m": "million", "million": "million", "层": "layer", "layers": "layer", "头": "head", "heads": "head",
    "维": "dim", "dim": "dim", "dims": "dim", "token": "token", "tokens": "token", "张": "card", "卡": "card",
    "epoch": "epoch", "epochs": "epoch", "轮": "epoch",
    # Binary prefixes read as their decimal ones: a value in one is not contradicted by its twin in the other.
    "kib": "kb", "kb": "kb", "mib": "mb", "gib": "gb", "tib": "tb", "flops": "flops", "tflops": "tflops",
}
_UNIT_ALTERNATIVES = "|".join(sorted((re.escape(unit) for unit in UNITS), key=len, reverse=True))
# A measure word may stand between a number and its unit ("16 个字节", "3 个 epoch").
NUMBER = re.compile(r"(?<![A-Za-z_\d.])(\d+(?:\.\d+)?)(?!\d)\s*(?:-\s*)?(?:个\s*)?(" + _UNIT_ALTERNATIVES
                    + r")?(?![A-Za-z])", re.I)
# A multiple of a size symbol: "8d/3", "4d", "2n" (the FFN's hidden size as a multiple of d_model).
MULTIPLE = re.compile(r"(?<![A-Za-z_\d.])(\d+(?:\.\d+)?)(?:\s*/\s*(\d+))?\s?([dnlr])(?:\s*/\s*(\d+))?(?![A-Za-z\d_])")
# Scaled by a square root or not: "√d_k", "根号 d_k", "sqrt(d_k)" against "d_k".
SQRT = re.compile(r"(?:√|根号\s*|sqrt\s*\(?\s*)(d_?k|d|n)", re.I)
# Dividing (or scaling) by d_k itself, not by its square root.
BARE_DK = re.compile(r"(?:除以|除|/|divided by|scale[sd]? by)\s*(d_?k)(?!\w)", re.I)


@dataclass(frozen=True)
class Mention:
    group: int
    side: int
    start: int
    end: int
    compared: bool = False  # named as what something is compared with ("相比 PPO"): not what is spoken of


def _pattern(term: str) -> str:
    escaped = re.escape(term).replace(r"\ ", r"\s*")
    if re.match(r"[a-z0-9]", term):
        return r"(?<![a-z0-9])" + escaped + r"(?![a-z0-9])"
    return escaped


@lru_cache(maxsize=64)
def _contrast_regex(extra: tuple[tuple[str, ...], ...] = ()) -> tuple[re.Pattern[str], dict[str, tuple[int, int]]]:
    """One regex for every contrast term, longest first, and the (group, side) each term names.
    `extra` are a key point's own contrast sets (each a tuple of mutually exclusive terms)."""
    owner: dict[str, tuple[int, int]] = {}
    groups = list(CONTRAST_GROUPS) + [tuple((term,) for term in terms) for terms in extra]
    for group_index, group in enumerate(groups):
        for side_index, side in enumerate(group):
            for term in side:
                owner.setdefault(term.lower(), (group_index, side_index))
    alternatives = sorted(owner, key=len, reverse=True)
    # A term matched with other spacing ("pre-ln" for "pre - ln") is found by its letters alone.
    for term, entry in list(owner.items()):
        owner.setdefault(re.sub(r"\s+", "", term), entry)
    return re.compile("|".join(_pattern(term) for term in alternatives), re.I), owner


def mentions(text: str, extra: tuple[tuple[str, ...], ...] = ()) -> list[Mention]:
    return list(_mentions(text, extra))


# The same key point and answer sentences are read many times per answer (once per key point they are
# compared with); one pass of the big contrast regex each is enough.
# A side named as what something is compared with ("相比 PPO 训练稳定很多", "像 PPO 那样", "unlike PPO"):
# the clause speaks of something else.
COMPARED_BEFORE = re.compile(r"(?:相比于?|相较于?|比起|对比|不像|不同于|像|(?<![对相好无])比|"
                             r"\b(?:than|unlike|compared (?:to|with)))\s*$", re.I)
COMPARED_AFTER = re.compile(r"^\s*(?:那样|那种|一样|相比|比)")


def _compared(text: str, start: int, end: int) -> bool:
    return bool(COMPARED_BEFORE.search(text[max(0, start - 6) : start]) or COMPARED_AFTER.match(text[end : end + 4]))


# A side of a pair that names a thing, not the side: "预训练权重" are the weights LoRA freezes, said in
# fine-tuning as much as in pretraining.
NAMING_COMPOUNDS = re.compile(r"预训练(?:好)?的?(?:权重|模型|参数|底座|基座)|pre-?trained (?:weights|model|parameters)",
                              re.I)


@lru_cache(maxsize=4096)
def _mentions(text: str, extra: tuple[tuple[str, ...], ...]) -> tuple[Mention, ...]:
    regex, owner = _contrast_regex(extra)
    naming = [match.span() for match in NAMING_COMPOUNDS.finditer(text)]
    found = []
    for match in regex.finditer(text):
        if any(start <= match.start() < end for start, end in naming):
            continue
        key = re.sub(r"\s+", " ", match.group().lower())
        entry = owner.get(key) or owner.get(key.replace(" ", ""))
        if entry is not None:
            found.append(Mention(entry[0], entry[1], match.start(), match.end(),
                                 _compared(text, match.start(), match.end())))
    return tuple(found)


def clause_spans(text: str, mark: re.Pattern[str] = CLAUSE_MARK) -> list[tuple[int, int]]:
    """(start, end) of each clause (or of each segment `mark` cuts): whole clauses, never cut inside a
    word."""
    return list(_clause_spans(text, mark))


@lru_cache(maxsize=16384)  # every signal cuts the same point and unit into clauses again
def _clause_spans(text: str, mark: re.Pattern[str]) -> tuple[tuple[int, int], ...]:
    spans, start = [], 0
    for match in mark.finditer(text):
        if text[start : match.start()].strip():
            spans.append((start, match.start()))
        start = match.end()
    if text[start:].strip():
        spans.append((start, len(text)))
    return tuple(spans)


# How far a negation reaches at most: the phrase right after it ("没标注的文本" negates 标注, not what
# the clause says later), in characters of Chinese or words of English.
SCOPE_CHARS = 8
# Negated, these judge the clause before them rather than say a property of their own: "没必要", "不可行".
# ("没用" may be "did not use": only "没有用" judges.)
VERDICT_PREDICATE = re.compile(r"(?:太|怎么|是很|很|大)?(?:必要|需要|行|对|可能|可行|成立|重要|有用|管用|靠谱|合理|"
                               r"所谓|有效|值得|划算|推荐|建议)(?:的|了|啊|吧|呀)*")
# A verdict followed by a turn ("这样不行，但是…", "不行而…") is a concession, not a verdict on its clause.
VERDICT_TURNS = frozenset({"而", "但", "却", "而是", "但是", "只是", "只", "反而"})
USELESS = re.compile(r"用(?:的|了|啊|吧|呀)*")
# A reference judging its subject badly itself ("外推效果急剧下降", "测试集上表现差"): a negated verdict on
# the same thing ("实际上不行") agrees with it.
NEGATIVE_EVALUATION = re.compile(r"下降|变差|(?<![偏误方残时相])差(?![异距值分别])|不好|不佳|失效|崩|受限|限制|"
                                 r"不足|不够|不稳|困难|难以|退化|恶化|变慢|更慢")
COMPLEMENT = re.compile(r"[上下了动到起出开住完来去](?=就|的|了|时|[，,。；;！？!?\s]|$)")
SCOPE_WORDS = 5
# Words that carry a negation without a cue: "零额外延迟", "免训练", "绕开遗忘", "non-thinking" ("别动太多" has
# the cue 别).
NEGATIVE_WORD = re.compile(r"零|免|绕开|绕过|规避|防止|避开|杜绝|消除|抑制|\bzero\b|\bnon-?", re.I)
# A negation that only makes a compound ("非思考模式", "无监督") names a thing rather than denies one.
COMPOUND_NEGATION = frozenset({"非", "无"})


def denies_by_a_word(text: str) -> bool:
    """`text` denies something with a negation of its own, not only by compounds such as "非思考"."""
    return any(match.group() not in COMPOUND_NEGATION for match in _negations(text))


ATTRIBUTE_END = re.compile(r"的(?=[\u4e00-\u9fffA-Za-z])")
BARE_PREDICATE_CHARS = 2  # "存在", "稳定", "准确": a predicate with no object of its own
PASSIVE_VERB = re.compile(r"\s*[\u4e00-\u9fff]{1,2}")  # the verb after 被, where the reach's budget cut it off


def _judges(cue: re.Match[str], rest: str, end: re.Match[str] | None) -> bool:
    """The negation and what follows it in its reach (ending at `end`) make a verdict ("没必要", "不可行",
    "没有用"), not a concession a turn follows ("不行，但是…")."""
    if end is not None and end.group() in VERDICT_TURNS:
        return False
    said = rest.strip()
    # The cue may hold the predicate's first character ("不必要", "不可能"); not "LN 不需要", which says
    # what LN does without.
    held = cue.group() in ("不必", "不可") and VERDICT_PREDICATE.fullmatch(cue.group()[1:] + said)
    return bool(VERDICT_PREDICATE.fullmatch(said) or held or (cue.group() == "没有" and USELESS.fullmatch(said)))


# "这些正则化用处不大", "角色设定其实作用不大", "泄露影响不大": a verdict that what the clause said before
# matters little, as "没必要" is.
LITTLE_USE = re.compile(r"(?:用处|作用|意义|帮助|影响|好处|价值|收益|增益)(?:其实|也|都|并)?$")
LITTLE = re.compile(r"大|明显|多")


def _little_use(text: str, cue: re.Match[str]) -> bool:
    return (cue.group() == "不" and LITTLE.match(text, cue.end()) is not None
            and LITTLE_USE.search(text, 0, cue.start()) is not None)


# "跟曝光偏差没有关系", "decode 的算术强度和 batch 没关系", "跟 prompt 长度关系不大": a relation denied
# denies both things its clause relates.
RELATION_WITH = re.compile(r"跟|和|与|同")
_RELATION_NOUN = r"(?:什么|啥|任何|太大|多大)?关系"
RELATION = re.compile(_RELATION_NOUN)


def _relation_denied(text: str, cue: re.Match[str]) -> tuple[int, int] | None:
    """The relation the cue denies: from the word that relates (跟, 和…) to where the denial begins; None
    if it denies no relation."""
    if cue.group() in ("没", "没有") and RELATION.match(text, cue.end()):
        before = cue.start()
    elif cue.group() == "不" and LITTLE.match(text, cue.end()) and text.endswith("关系", 0, cue.start()):
        before = cue.start() - len("关系")
    else:
        return None
    clause_start = (_clause_of(cue.start(), clause_spans(text)) or (0, 0))[0]
    # From the word that relates: "LN 跟 batch 没关系" denies a relation of LN's, not LN.
    related = RELATION_WITH.search(text, clause_start, before)
    return (related.start(), before) if related else None


@lru_cache(maxsize=8192)
def verdict_negations(text: str) -> tuple[tuple[int, int], ...]:
    """The clauses of `text` a negated verdict judges ("训练阶段做安全对齐其实没必要"): each clause's span."""
    found = []
    clauses = clause_spans(text)
    for match in _negations(text):
        end_match = SCOPE_END.search(text, match.end())
        if _judges(match, text[match.end() : end_match.start() if end_match else len(text)], end_match):
            clause = _clause_of(match.start(), clauses)
            if clause is not None:
                found.append(clause)
    return tuple(found)


@lru_cache(maxsize=8192)
def _judged_badly_alike(reference: str, clause: str) -> bool:
    """The reference's segment sharing most with a clause the candidate judges negatively judges the same
    thing badly itself ("外推效果急剧下降" against "但实际上不行")."""
    wanted = _segment_pieces(clause)
    segments = [reference[start:end] for start, end in clause_spans(reference, BINDING_MARK)] or [reference]
    nearest = max(segments, key=lambda segment: len(_segment_pieces(segment) & wanted))
    return bool(NEGATIVE_EVALUATION.search(nearest)) and not negation_count(nearest) % 2


def negated_spans(text: str) -> list[tuple[int, int]]:
    """The reach of every negation: the phrase after the cue, never past its clause or a turn."""
    return list(_negated_spans(text))


# Polarity and swaps read the same key point and answer unit for every point they are compared with.
@lru_cache(maxsize=4096)
def _negated_spans(text: str) -> tuple[tuple[int, int], ...]:
    spans = []
    for match in _negations(text):
        end_match = SCOPE_END.search(text, match.end())
        end = end_match.start() if end_match else len(text)
        # "不是 A 而是 B" / "not A but B": the negation covers A only.
        rest = text[match.end() : end]
        # A bare 不 / 没 with a bare predicate before "的" makes an attribute: "不存在的论文" are papers.
        # Not a verb and its object: "不偏离冻结的参考模型" denies 参考模型.
        attribute = ATTRIBUTE_END.search(rest) if match.group() in ("不", "没") else None
        if attribute is not None and len(rest[: attribute.start()].strip()) <= BARE_PREDICATE_CHARS:
            rest = rest[: attribute.start()]
        words = list(re.finditer(r"[A-Za-z0-9_\-]+|[\u4e00-\u9fff]", rest))
        budget, cut = 0.0, len(rest)
        for word in words:
            budget += 1 if CJK_CHAR.match(word.group()) else SCOPE_CHARS / SCOPE_WORDS
            if budget > SCOPE_CHARS:
                cut = word.start()
                break
        # A passive's verb ends the event denied: "避免长回答 token 权重被稀释" denies 稀释 too.
        if rest[:cut].rstrip().endswith("被") and (verb := PASSIVE_VERB.match(rest, cut)) is not None:
            cut = verb.end()
        # A potential complement ("对不上就填 NULL", "记不住") denies only its result, not what follows.
        if match.group() == "不" and COMPLEMENT.match(text, match.end()) and match.start() > 0 \
                and CJK_CHAR.match(text[match.start() - 1]):
            cut = 1
        start = match.start()
        # A verdict on what the clause said before it ("训练阶段做安全对齐其实没必要", "这种做法不可行"):
        # it denies all of that, not a predicate of its own.
        if _judges(match, rest, end_match) or _little_use(text, match):
            clause = _clause_of(match.start(), clause_spans(text))
            start = clause[0] if clause is not None else start
        # "跟曝光偏差没有关系": a relation denied denies what it is denied with.
        related = _relation_denied(text, match)
        if related is not None:
            start = min(start, related[0])
        spans.append((start, match.end() + cut))
    return tuple(spans)


# Clause parity counts the negations of the same clauses once per key point they are compared with.
@lru_cache(maxsize=8192)
def _negations(text: str) -> tuple[re.Match[str], ...]:
    """The negation cues of a text, but those inside a hedge."""
    hedges = [match.span() for match in HEDGE.finditer(text)]
    return tuple(match for match in NEGATION_CUE.finditer(text)
                 if not any(start <= match.start() < end for start, end in hedges))


def negation_count(text: str) -> int:
    return len(_negations(text))


@lru_cache(maxsize=8192)
def _term_regex(term: str) -> re.Pattern[str]:
    return re.compile(_pattern(term), re.I)


def term_positions(text: str, term: str) -> list[int]:
    """Where `term` occurs in `text` (see `_positions`)."""
    return list(_positions(text, term))


def compared_mention(text: str, start: int, end: int) -> bool:
    """The span names what something is compared with ("比 PPO 简单", "相比 BN"), not what is spoken of."""
    return _compared(text, start, end)


# Asked of the same texts and words hundreds of thousands of times per batch (every signal reads them).
@lru_cache(maxsize=65536)
def _positions(text: str, term: str) -> tuple[int, ...]:
    """Where `term` occurs; a Latin term only as a whole word ("q" is not in "query")."""
    term = term.lower()
    if term and not _NEEDS_REGEX.search(term):
        # Chinese words (most terms) have no case, spacing or word boundary: plain search, no pattern
        # compiled per word. Non-overlapping, as a regex finds them.
        found, start = [], text.find(term)
        while start >= 0:
            found.append(start)
            start = text.find(term, start + len(term))
        return tuple(found)
    return tuple(match.start() for match in _term_regex(term).finditer(text))


# What `_pattern` treats specially: a term opening with a letter or digit (whole words only), spacing,
# and letters of either case.
_NEEDS_REGEX = re.compile(r"^[a-z0-9]|\s|[^\W\d_](?<=[^\u3400-\u9fff])")


LETTER = re.compile(r"(?<![A-Za-z0-9_])([A-Za-zγβαλθσ])(?![A-Za-z0-9_])")


def anchors(reference: str, candidate: str, reference_terms: Iterable[str], candidate_terms: Iterable[str],
            stop: frozenset[str] = frozenset()) -> list[str]:
    """Words both texts use: the tokenizer's terms of either found in the other (segmentation differs
    between texts), and single letters (Q, K, V, γ, β) that name things in formulas."""
    found = {term for term in reference_terms if _positions(candidate, term)}
    found |= {term for term in candidate_terms if _positions(reference, term)}
    letters = {m.lower() for m in LETTER.findall(reference)} & {m.lower() for m in LETTER.findall(candidate)}
    return sorted((found | letters) - stop)


COMPOUND_EXTRA_CHARS = 2  # what a compound adds to a word to name another thing ("奖励" → "奖励模型")


def said_alone(words: Iterable[str], reference: str, candidate: str, candidate_terms: Iterable[str]) -> list[str]:
    """Of the words both texts share, those the candidate says other than inside a longer word of its
    own that the reference does not say: a negation of "奖励模型" denies nothing about "奖励" (reward,
    reward model), nor "不用重复计算" about 计算. A word one character longer is mostly the same word
    ("我负责", "验证集"). Only this way round: a candidate saying less ("概率" for "概率分布") still
    speaks of it. For polarity only; a compound still says which side its word is on."""
    candidate_terms = [word.lower() for word in candidate_terms]
    kept = []
    for term in words:
        # Cheap containment first: most shared words sit inside no longer word of the candidate.
        compounds = [word for word in candidate_terms if len(word) >= len(term) + COMPOUND_EXTRA_CHARS
                     and term in word and not _positions(reference, word)]
        if not compounds:
            kept.append(term)
            continue
        longer = [(place, place + len(word)) for word in compounds for place in _positions(candidate, word)]
        if any(not any(start <= position and position + len(term) <= end for start, end in longer)
               for position in _positions(candidate, term)):
            kept.append(term)
    return kept


def _denied(mention: Mention, spans: Sequence[tuple[int, int]]) -> bool:
    """A negation before the mention reaches it: not a side whose own word holds the cue ("不对称")."""
    return any(start < mention.start < end for start, end in spans)


def _inside(position: int, spans: Sequence[tuple[int, int]]) -> bool:
    return any(start <= position < end for start, end in spans)


def _negated_term(text: str, term: str, spans: Sequence[tuple[int, int]],
                  focus: tuple[int, int] | None = None) -> bool | None:
    """Whether `term` is said under a negation in `text`: most of its mentions, or with a `focus` clause
    those in it, else the mention nearest to it. None if absent. Double negation ("并不是不需要") counts
    as none."""
    positions = _positions(text, term)
    if not positions:
        return None
    votes = {position: sum(start <= position < end for start, end in spans) % 2 == 1 for position in positions}
    if focus is not None and not _in_focus(positions, focus) and len(set(votes.values())) > 1:
        # Said both ways outside the clause that speaks to the other text ("高频不插值、低频全插值"): the
        # text takes no one side of the word.
        return None
    read = [votes[position] for position in _mentions_read(positions, focus)]
    return sum(read) * 2 > len(read)


def _in_focus(positions: Sequence[int], focus: tuple[int, int]) -> list[int]:
    return [position for position in positions if focus[0] <= position < focus[1]]


def _mentions_read(positions: Sequence[int], focus: tuple[int, int] | None) -> list[int]:
    """The mentions of a word read for its polarity: all; with a `focus` clause those in it, else the one
    nearest to it."""
    if focus is None:
        return list(positions)
    return _in_focus(positions, focus) or [
        min(positions, key=lambda position: min(abs(position - focus[0]), abs(position - focus[1])))]


@dataclass(frozen=True)
class PolarityResult:
    anchors: int  # shared words compared
    mismatched: int  # of them, said with the opposite polarity
    parity_flip: bool  # an odd number of negations more in one text than the other
    denied: int = 0  # of the mismatched words, those the candidate negates (not the reference)


def _with_topics(text: str, spans: list[tuple[int, int]], shared: Sequence[str]) -> list[tuple[int, int]]:
    """A negation whose reach holds none of the shared words also covers what its clause said before
    it, its topic: "计算量其实没少" negates 计算量 as "而不是减少计算量" does. A removal does not:
    "RMSNorm 就是去掉减均值那一步" says nothing against RMSNorm."""
    places = [position for term in shared for position in _positions(text, term)]
    clauses = clause_spans(text)
    widened = []
    for start, end in spans:
        clause = _clause_of(start, clauses)
        if (clause is None or any(start <= position < end for position in places)
                or REMOVAL_CUE.match(text, start)):
            widened.append((start, end))
        else:
            widened.append((clause[0], end))
    return widened


def polarity(reference: str, candidate: str, shared: Iterable[str], extra: tuple[tuple[str, ...], ...] = (),
             candidate_terms: Iterable[str] | None = None) -> PolarityResult:
    """Do the words both texts share stand under a negation in one and not in the other? A word counts
    as said the other way only if it still is when negations also cover their topic (`_with_topics`):
    "不保存中间激活" and "中间激活不存了" say the same; and only if both say it of the same side of a
    pair: "DPO 不用训奖励模型" is the contrast with "PPO 需先训练奖励模型", said correctly. With the
    candidate's `candidate_terms`, a word it says only inside a longer word of its own is not compared
    (`said_alone`)."""
    shared = list(shared) if candidate_terms is None else said_alone(shared, reference, candidate, candidate_terms)
    reference_spans, candidate_spans = negated_spans(reference), negated_spans(candidate)
    reference_topics = _with_topics(reference, reference_spans, shared)
    candidate_topics = _with_topics(candidate, candidate_spans, shared)
    # A word said twice in other senses ("不减均值了 … 平方的均值") is read where each text speaks to
    # the other: the clause sharing most words with it.
    left_focus, right_focus = _clause_sharing_most(reference, shared), _clause_sharing_most(candidate, shared)
    found: tuple[list[Mention], list[Mention]] | None = None
    anchors = mismatched = denied = 0
    readings = [(term, _negated_term(reference, term, reference_spans, left_focus),
                 _negated_term(candidate, term, candidate_spans, right_focus)) for term in shared]
    # A negation of the candidate's that denies a word the reference denies too is the reference's own
    # negation said again: the other words in its reach are its phrase ("no extra inference latency"
    # against "…, adding no latency"), not denials of their own.
    # Only an English negation of a noun phrase ("no …", "without …") is read so: a Chinese one's reach
    # holds its verb ("不需要 prompt 和标注回答"), which agrees with any other and would hide what it denies.
    agreeing = [(start, end) for start, end in candidate_spans
                if LATIN_NEGATION.match(candidate, start)
                and any(left and right and not NEGATION_CUE.search(term)
                        and any(start <= place < end for place in _positions(candidate, term))
                        for term, left, right in readings)]
    for term, left, right in readings:
        if left is None or right is None:
            continue
        anchors += 1
        left_topic = _negated_term(reference, term, reference_topics, left_focus)
        right_topic = _negated_term(candidate, term, candidate_topics, right_focus)
        # "输出分布 KL 我一般不看": an act denied of the object the clause opens with denies it, as "不看输出
        # 分布 KL" would; not against a point denying the word itself ("不保存中间激活").
        object_denied = (not right and right_topic
                         and not any(_inside(place, reference_topics) for place in _positions(reference, term))
                         and _act_denied_of_topic(candidate, term, candidate_spans, candidate_topics))
        if not object_denied and (left == right or left_topic == right_topic):
            continue
        if right and agreeing and all(_inside(place, agreeing) for place in _positions(candidate, term)):
            continue
        if left and _topic_of_a_shared_denial(reference, candidate, term, shared, reference_spans, candidate_spans):
            continue
        found = found or pair_mentions(reference, candidate, extra)
        if right and _negation_withdrawn(reference, candidate, term, shared, candidate_spans):
            continue
        if not (_about_other_sides(reference, candidate, term, *found)
                or _only_compared(reference, term, found[0]) or _only_compared(candidate, term, found[1])
                or (not object_denied
                    and _both_clauses_negated(reference, candidate, term, shared, left_focus, right_focus))):
            mismatched += 1
            denied += bool(right or object_denied)
    flip = _clause_flip(reference, candidate, shared)
    return PolarityResult(anchors, mismatched, flip, denied)


def _negated_clause_of(text: str, term: str, focus: tuple[int, int] | None, *, removals: bool) -> str | None:
    """The clause where `text` says `term` (the mention `_negated_term` reads), if it holds an odd number
    of negations; without `removals`, not counting removals, which deny their object only ("RMSNorm 就是
    LayerNorm 去掉减均值那一步")."""
    positions = _positions(text, term)
    clause = _clause_of(_mentions_read(positions, focus)[0], clause_spans(text)) if positions else None
    if clause is None:
        return None
    said = text[clause[0] : clause[1]]
    count = sum(removals or not REMOVAL_CUE.match(cue.group()) for cue in _negations(said))
    return said if count % 2 else None


SAME_EVENT_WORDS = 2  # shared words two negated clauses hold for one event said in both ("长回答", "token", "稀释")


def _both_clauses_negated(reference: str, candidate: str, term: str, shared: Sequence[str],
                          left_focus: tuple[int, int] | None, right_focus: tuple[int, int] | None) -> bool:
    """Both texts say `term` in a negated clause about the same event: the reach differs by where each puts
    its subject ("避免长回答 token 权重被稀释", "长回答的 token 不会被稀释"), not by what each denies. One
    word in common is not an event: "可合并无延迟" and "没法合并回原权重" deny different things."""
    left = _negated_clause_of(reference, term, left_focus, removals=True)
    right = _negated_clause_of(candidate, term, right_focus, removals=False)
    return (left is not None and right is not None
            and sum(bool(_positions(left, word)) and bool(_positions(right, word)) for word in shared)
            >= SAME_EVENT_WORDS)


# A denied act with nothing after it but its clause's end: "…我一般不看", "…一般不用特别核查", "…配比不用刻意平衡".
_DENIED_BARE_ACT = re.compile(r"(?:不用|不需要|不必|没必要|无需|不要|不)(?:特别|刻意|专门|单独|再|去|怎么)?"
                              r"(?:看|管|查|核查|检查|关注|考虑|评估|测|做|存|保存|加|平衡|处理)(?:了|的)?\s*$")


def _act_denied_of_topic(text: str, term: str, spans: Sequence[tuple[int, int]],
                         topics: Sequence[tuple[int, int]]) -> bool:
    """`term` stands in the topic its clause opens with, and the clause ends denying an act on it."""
    clauses = clause_spans(text)
    for (start, _), (topic_start, _) in zip(spans, topics, strict=True):
        clause = _clause_of(start, clauses)
        if topic_start == start or clause is None or not _DENIED_BARE_ACT.search(text, start, clause[1]):
            continue
        # The topic is what follows a time, a condition or a copula ("前向的时候大部分中间激活不存了", "重计算就是
        # 中间激活不存了" deny 中间激活).
        opening = max((found.end() for found in CONDITION.finditer(text, topic_start, start)), default=topic_start)
        opening = max(opening, text.rfind("是", opening, start) + 1)
        if any(opening <= place < start for place in _positions(text, term)):
            return True
    return False


def _topic_of_a_shared_denial(reference: str, candidate: str, term: str, shared: Sequence[str],
                              reference_spans: Sequence[tuple[int, int]],
                              candidate_spans: Sequence[tuple[int, int]]) -> bool:
    """`term` stands in its clause before a negation whose reach holds a word the reference denies together
    with it: "数据上不用成对了" says "不需要成对数据", with 数据 as the denial's topic."""
    reaches = [(start, end) for start, end in reference_spans
               if any(start <= place < end for place in _positions(reference, term))]
    partners = [word for word in shared if word != term and any(
        start <= place < end for start, end in reaches for place in _positions(reference, word))]
    if not partners:
        return False
    clauses = clause_spans(candidate)
    partner_places = [place for word in partners for place in _positions(candidate, word)]
    for place in _positions(candidate, term):
        clause = _clause_of(place, clauses)
        if clause is not None and any(place < start < clause[1] and any(start <= at < end for at in partner_places)
                                      for start, end in candidate_spans):
            return True
    return False


def _clause_sharing_most(text: str, words: Sequence[str]) -> tuple[int, int] | None:
    """The clause of `text` holding most of `words` (the first of equals); None without words."""
    if not words:
        return None
    return max(clause_spans(text) or [(0, len(text))],
               key=lambda span: sum(bool(_positions(text[span[0] : span[1]], word)) for word in words))


CORRECTION = ("而是", "而要", "而用", "反而")  # what opens the clause that corrects a negated one ("不用 A，而是 B")
# ... and, with what follows it, the correction itself; also "而在", "只是" ("没有彻底解决，只是缓解") and "而"
# alone, but not "而且".
_REST_OF_CLAUSE = r"(?P<said>[^，,；;。！？!?\n]*)"
CORRECTING = re.compile(r"[，,\s]*(?:" + "|".join((*CORRECTION, "而在", "只是")) + r"|而(?!且))" + _REST_OF_CLAUSE)
# "不能把开头 token 踢掉，否则困惑度会崩": advice against doing something, with what doing it causes.
OTHERWISE = re.compile(r"[，,\s]*(?:否则|不然|要不然|要不)" + _REST_OF_CLAUSE)
# "它不像 LayerNorm 那样先减均值": what follows is said of LayerNorm, and denied only of "它"; the thing
# compared with comes right after the cue.
UNLIKE = re.compile(r"不像|不同于")
COMPARED_THING = re.compile(r"\s*([A-Za-z][\w\-]*|[\u4e00-\u9fff]{2,6}?)"
                            r"(?=\s*(?:那样|那么|一样|只|是|的|[A-Za-z\u4e00-\u9fff]))")


def _negation_withdrawn(reference: str, candidate: str, term: str, shared: Sequence[str],
                        spans: Sequence[tuple[int, int]]) -> bool:
    """The candidate negates `term` without denying what the point says of it, in one of these ways.
    - It corrects the negated alternative with what the point says: "路由不是随机选，也不是把 token 丢给
      所有专家，而是打分后只留 top-k" asserts the point's 打分 and top-k. A correction saying less of the
      point than the denied part ("不是有放回采样，而是无放回采样") still denies it.
    - It says the word of the thing compared with, which the point is about: "WordPiece 不像 BPE 只看频次"
      says BPE looks at frequency only, as the point "BPE 每次合并频次最高的符号对" does.
    - It advises against an action whose consequence it states with the point's words: "不能把开头 token
      踢掉，否则困惑度会崩" against "淘汰开头 token 会导致困惑度崩溃".
    - It denies the opposite of what the point says (`denies_the_opposite`): "LEFT JOIN 不会丢左表的行";
      or judges badly what the point judges badly itself: "实际上不行" against "外推效果急剧下降"; or
      prefers one of two things the point names without taking either (`_picks_between`)."""
    clauses = clause_spans(candidate)
    lowered = reference.lower()
    for position in _positions(candidate, term):
        span = next(((start, end) for start, end in spans if start <= position < end), None)
        clause = _clause_of(position, clauses)
        if span is None or clause is None:
            continue
        # What holds instead, after the negation, in its clause or the next ("而是…").
        after = CORRECTING.match(candidate, span[1]) or CORRECTING.match(candidate, clause[1])
        if after is not None:
            said, denied = after.group("said"), candidate[clause[0] : span[1]]
            asserted = [word for word in shared if _positions(said, word) and not _positions(denied, word)
                        and not _negated_term(said, word, negated_spans(said))]
            # The clause's subject, before the negation, is what the correction is said of, not what it
            # denies: "GBDT 也不是拟合真实标签，而是拟合负梯度" denies 拟合 only.
            subject = _openers(candidate[clause[0] : span[0]], shared)
            if asserted and len(asserted) >= sum(bool(_positions(denied, word)) for word in shared
                                                 if word not in subject):
                return True
        for match in UNLIKE.finditer(candidate, clause[0], position + 1):
            compared = COMPARED_THING.match(candidate, match.end(), clause[1])
            if compared and compared.group(1).lower() in lowered:
                return True
        consequence = OTHERWISE.match(candidate, clause[1])
        if consequence is not None and any(word != term and _positions(consequence.group("said"), word)
                                           for word in shared):
            return True
        if denies_the_opposite(reference, candidate[clause[0] : clause[1]], candidate[span[0] : span[1]]):
            return True
        if clause in verdict_negations(candidate) and _judged_badly_alike(reference, candidate[clause[0] : clause[1]]):
            return True
        if _picks_between(reference, candidate, clause, span, shared):
            return True
    return False


PREFERENCE = re.compile(r"而不是|而非|\b(?:rather than|instead of)\b", re.I)


def _picks_between(reference: str, candidate: str, clause: tuple[int, int], span: tuple[int, int],
                   shared: Iterable[str]) -> bool:
    """"选 Chat 版而不是 Base 版" prefers one of two things a point names side by side without taking
    either ("说明 Base 与 Chat 版本的选择考虑"): the rejected one is no denial of the point."""
    if not PREFERENCE.match(candidate, span[0]):
        return False
    before, rejected = candidate[clause[0] : span[0]], candidate[span[0] : span[1]]
    preferred = [word for word in shared if _positions(before, word)]
    others = [word for word in shared if _positions(rejected, word)]
    lowered = reference.lower()
    if BOTH.search(lowered):
        return False  # "BN 和 LN 都有 γ、β" holds of both: preferring one denies it of the other
    return any(_side_by_side(lowered, x.lower(), y.lower()) for x in preferred for y in others if x != y)


BOTH = re.compile(r"都|两者|二者|\bboth\b")


SIDE_BY_SIDE = r"\s*(?:与|和|或|、|/|还是|vs\.?|versus|and|or)\s*"


def _side_by_side(text: str, x: str, y: str) -> bool:
    """`text` names x and y as alternatives joined by a conjunction ("Base 与 Chat 版本")."""
    return any(re.search(re.escape(a) + r"[^\s，,。；;与和或、/]{0,3}" + SIDE_BY_SIDE + re.escape(b), text)
               for a, b in ((x, y), (y, x)))


def _clause_flip(reference: str, candidate: str, shared: Iterable[str]) -> bool:
    """The two clauses, one from each text, that say most of the same words differ in negation
    (counted by parity): catches negations placed after their subject ("线上指标不用作为依据"). The
    clauses are matched to each other, not each to the other whole text: "DPO 直接用偏好对优化，不需要
    显式奖励模型" and "DPO 不用单独训奖励模型，直接拿偏好对算 loss" agree clause by clause. Where
    several pairs say equally much, one differing is enough."""
    words = list(shared)
    if not words:
        return False

    def said(text: str, other: str) -> list[tuple[int | None, frozenset[str]]]:
        """Per clause: its negations and the words it says. A clause the next one corrects ("不用当前
        batch，而是用训练时累计的…") names what is not so: read against a plain clause it denies nothing
        the texts share, read against a denial ("避免少量数据重复多轮") it says the same; its negations
        (None) take no side. A clause before "否则" counts none. Nor are negations counted that deny the
        opposite of what the other text says ("不会丢左表的行" against "保留左表所有行")."""
        clauses = [text[start:end] for start, end in clause_spans(text)] or [text]
        return [(None if following.lstrip().startswith(CORRECTION) else 0 if OTHERWISE.match(following)
                 else max(0, sum(not denies_the_opposite(other, clause, clause[start:end])
                                 and not _picks_between(other, clause, (0, len(clause)), (start, end), words)
                                 for start, end in negated_spans(clause))
                          - (len(judged) if (judged := verdict_negations(clause))
                             and _judged_badly_alike(other, clause) else 0)),
                 frozenset(word for word in words if _positions(clause, word)))
                for clause, following in zip(clauses, [*clauses[1:], ""], strict=True)]

    pairs = [(len(left_words & right_words), left, right)
             for left, left_words in said(reference, candidate) for right, right_words in said(candidate, reference)]
    most = max(count for count, _, _ in pairs)
    if most < 2:
        return False  # the clauses do not say enough of the same to compare
    return any(left is not None and right is not None and (left - right) % 2 == 1
               for count, left, right in pairs if count == most)


def _clause_of(position: int, spans: Sequence[tuple[int, int]]) -> tuple[int, int] | None:
    return next(((start, end) for start, end in spans if start <= position < end), None)


SENTENCE_MARK = re.compile(r"[。！？!?；;\n]+|(?<=[A-Za-z0-9)])\.(?=\s|$)")


def _associated_side(text: str, position: int, group: int, found: Sequence[Mention],
                     spans: Sequence[tuple[int, int]]) -> int | None:
    """The side of `group` the word at `position` is said about: the nearest mention in its clause,
    not counting a side it is compared with."""
    clause = _clause_of(position, spans)
    if clause is None:
        return None
    near = [m for m in found if m.group == group and clause[0] <= m.start < clause[1]
            and not (m.start <= position < m.end) and not m.compared]
    # A clause naming several sides of a pair ("LLaMA、Qwen 等") says the word about all of them.
    if not near or len({m.side for m in near}) > 1:
        return None
    return min(near, key=lambda m: abs(m.start - position)).side


TOPIC_LEAD_CHARS = 3  # what may come before a clause's topic ("标准 DPO", "而 PPO")


def _subject_side(text: str, position: int, group: int, found: Sequence[Mention]) -> int | None:
    """The side a word is said of as its subject: named before it in its clause, else the side that
    opens an earlier clause of its sentence (in "DPO 不用训奖励模型，也不用在线采样" 在线采样 is said of DPO).
    A side named after the word ("检查能力是否下降") is what is said, not what it is said of."""
    def before(span: tuple[int, int] | None) -> list[Mention]:
        if span is None:
            return []
        return [m for m in found if m.group == group and span[0] <= m.start and m.end <= position
                and not m.compared]

    clauses = clause_spans(text)
    named = before(_clause_of(position, clauses))
    if named:
        return named[-1].side if len({m.side for m in named}) == 1 else None
    # The sentence's topic: a side opening one of its clauses ("标准 DPO 为离线训练").
    opening = [m for m in before(_clause_of(position, clause_spans(text, SENTENCE_MARK)))
               if (clause := _clause_of(m.start, clauses)) is not None
               and len(text[clause[0] : m.start].strip()) <= TOPIC_LEAD_CHARS]
    return opening[0].side if opening else None


# Clefts that say whom something holds of: "交叉注意力才是 QKV 都来自同一序列", "降偏差的是 Bagging".
CLEFT_ONLY = re.compile(r"^(?P<holder>[^，,；;。]{1,16}?)\s*(?:才是|才会|才能|才)(?P<said>.+)$")
CLEFT_IDENTIFIES = re.compile(r"^(?P<said>.+?)的(?:是|就是|其实是)\s*(?P<holder>[^，,；;。]{1,16})$")
CLEFT_SHARED_WORDS = 2  # what a cleft must say of the point's to be read against it
# Holders that name nothing: a pronoun ("这样才能恢复训练") or an emphasis ("真正…的是").
DEMONSTRATIVE = re.compile(r"^(?:这|那|它|其|此|该|哪|真正|只有|只)")
# Turns before a cleft's holder ("反而 Agent 才是…"). Not `OPENING_FILLER`: its 那 is a pronoun holder here
# ("那才是…").
CLEFT_LEAD = re.compile(r"^(?:\s|嗯|然后|而且|而|但是|但|其实|所以|另外|反而|反倒)*")


def subject_of(text: str, words: Iterable[str]) -> str | None:
    """The word a text opens with: of `words`, the one said first (the longest of those said there)."""
    found = [(position, -len(word), word) for word in words for position in _positions(text, word)[:1]]
    return min(found)[2] if found else None


def attributed_elsewhere(reference: str, candidate: str, shared: Iterable[str], subject: str | None) -> bool:
    """The candidate says what the reference says of its subject, but of something else, in a cleft:
    "自注意力的 QKV 来自同一序列" against "交叉注意力才是 QKV 都来自同一个序列". A cleft naming the
    subject itself ("LN 才是对单个样本归一化") agrees."""
    if subject is None:
        return False
    words = [word for word in shared if word != subject and subject not in word and word not in subject]
    for start, end in clause_spans(candidate):
        clause = candidate[start:end].strip()
        for pattern in (CLEFT_ONLY, CLEFT_IDENTIFIES):
            match = pattern.match(clause)
            if match is None:
                continue
            holder, said = CLEFT_LEAD.sub("", match.group("holder"), count=1).strip(), match.group("said")
            if not holder or negation_count(clause) or DEMONSTRATIVE.match(holder) or _positions(holder, subject):
                continue
            said_words = [word for word in words if _positions(said, word) and not _positions(holder, word)]
            if len(said_words) < CLEFT_SHARED_WORDS:
                continue
            # The holder must name something else than the reference says these words of: not a pronoun,
            # not a word of the reference said with them or with its subject ("β 大的时候"). A name the
            # reference sets apart ("Chain 流程由代码预先固定，区别于由模型动态决策的 Agent") is another
            # thing: "Agent 才是代码预先固定的流程".
            named = [word for word in words if _positions(holder, word)]
            if named and any(_positions(ref_clause, subject) or sum(
                    bool(_positions(ref_clause, word)) for word in said_words) >= CLEFT_SHARED_WORDS
                    for ref_clause in _clauses_naming(reference, named)):
                continue
            return True
    return False


def _clauses_naming(text: str, words: Sequence[str]) -> list[str]:
    """The clauses of a text that name one of `words`."""
    return [clause for start, end in clause_spans(text)
            if any(_positions(clause := text[start:end], word) for word in words)]


def _only_compared(text: str, term: str, found: Sequence[Mention]) -> bool:
    """`term` is a side the text only compares with ("缺少 PPO 那样的在线探索" lacks exploration, not PPO)."""
    compared = [m for m in found if m.compared]
    return bool(compared) and all(any(m.start <= position < m.end for m in compared)
                                  for position in _positions(text, term))


def _names_a_side(term: str, group: int, reference: str, ref_found: Sequence[Mention], candidate: str,
                  cand_found: Sequence[Mention]) -> bool:
    """`term` is (part of) a side of `group` as either text names it: it is no word said about a side."""
    return any(m.group == group and (term in text[m.start:m.end].lower() or text[m.start:m.end].lower() in term)
               for text, found in ((reference, ref_found), (candidate, cand_found)) for m in found)


def _about_other_sides(reference: str, candidate: str, term: str, ref_found: Sequence[Mention],
                       cand_found: Sequence[Mention]) -> bool:
    """The two texts say `term` of different sides of a pair: "DPO 不用训奖励模型" does not deny "PPO 需先
    训练奖励模型"."""
    return _said_of_other_sides(reference, _positions(reference, term), ref_found, candidate,
                                _positions(candidate, term), cand_found, term)


def _said_of_other_sides(reference: str, ref_positions: Sequence[int], ref_found: Sequence[Mention],
                         candidate: str, cand_positions: Sequence[int], cand_found: Sequence[Mention],
                         term: str = "", skip_group: int | None = None) -> bool:
    """What each text says at these positions, it says of a different side of some pair (other than
    `skip_group`): each text names one subject there, and not the same."""
    for group in {m.group for m in ref_found} & {m.group for m in cand_found}:
        if group == skip_group or (term and _names_a_side(term, group, reference, ref_found, candidate, cand_found)):
            continue  # "下降" against "提升不会下降"
        lefts = {side for position in ref_positions
                 if (side := _subject_side(reference, position, group, ref_found)) is not None}
        rights = {side for position in cand_positions
                  if (side := _subject_side(candidate, position, group, cand_found)) is not None}
        if len(lefts) == 1 and len(rights) == 1 and lefts != rights:
            return True
    return False


# One-character antonyms. Said with the same neighbour where the key point has the other ("下降很小" /
# "下降很大", "长序列" / "短序列", "更大的学习率" / "更小的学习率"), the answer states the opposite of
# the point with no contrast pair authored for it. The neighbour ties the two to the same thing: a bare
# 大 or 小 is in too many words (大模型, 大概) to mean anything alone.
ANTONYM_CHARS: tuple[tuple[str, str], ...] = (
    ("大", "小"), ("高", "低"), ("长", "短"), ("多", "少"), ("快", "慢"), ("强", "弱"), ("远", "近"), ("早", "晚"),
    ("前", "后"), ("深", "浅"), ("宽", "窄"), ("粗", "细"), ("增", "减"), ("升", "降"), ("正", "负"), ("轻", "重"),
    ("新", "旧"), ("密", "疏"), ("硬", "软"), ("显", "隐"), ("静", "动"), ("难", "易"), ("优", "劣"), ("单", "双"),
    ("上", "下"), ("内", "外"), ("同", "异"), ("全", "偏"),
)
_ANTONYM = {a: b for pair in ANTONYM_CHARS for a, b in (pair, pair[::-1])}
# Neighbours that tie an antonym to nothing in particular ("的", "是"); degree words ("更", "很") do tie it.
_LOOSE_NEIGHBOURS = frozenset("的是了在和与就也都会要把被将对为从到时中其而及或并则所以得地着过个一这那有")
_DEGREE_WORDS = frozenset("更越较很太最偏")


def negations_of_the_same_words(text: str, other: str, shared: Sequence[str]) -> bool:
    """Each negation of `text` and of `other` is first of a shared word the other negates too ("不会押宝在一个
    注意力分布上" and "不押宝在一种注意力分布上"). Only what each negation is of is compared: the ends of
    their reach differ with the wording."""
    return _negations_held(text, other, shared) and _negations_held(other, text, shared)


def _negations_held(text: str, other: str, shared: Sequence[str]) -> bool:
    spans, other_spans = negated_spans(text), negated_spans(other)
    if not spans:
        return False
    for start, end in spans:
        found = [(position, word) for word in shared for position in _positions(text[start:end], word)]
        if not found:
            return False
        word = min(found)[1]
        if not any(start_o <= position < end_o for position in _positions(other, word)
                   for start_o, end_o in other_spans):
            return False
    return True


def is_particle_piece(piece: str) -> bool:
    """A Chinese bigram holding a particle ("的变", "了一"): no content word of its own."""
    return bool(set(piece) & _LOOSE_NEIGHBOURS)


def _beside_its_antonym(text: str, index: int) -> bool:
    """The antonym at `index` is said as one word with its pair ("前后", "大小"): a measure, not a side."""
    return _ANTONYM[text[index]] in text[max(0, index - 1) : index + 2]


def _antonym_contexts(text: str, index: int) -> list[str]:
    """The two-character words the antonym at `index` forms with its neighbours, as patterns with "{}"
    where the antonym goes ("很{}" for 很小)."""
    found = []
    if index > 0 and CJK_CHAR.match(text[index - 1]) and (
            text[index - 1] in _DEGREE_WORDS or text[index - 1] not in _LOOSE_NEIGHBOURS):
        found.append(text[index - 1] + "{}")
    if index + 1 < len(text) and CJK_CHAR.match(text[index + 1]) and text[index + 1] not in _LOOSE_NEIGHBOURS:
        found.append("{}" + text[index + 1])
    return found


def _says_other_side_of(reference: str, candidate: str, start: int, context: str, other: str) -> bool:
    """The candidate's "误差高" at `start` is said of a thing the reference too gives the other side, a few
    characters on: "测试误差高出不少" against "训练误差低但测试误差明显更高" is its other half, not "误差低"
    turned round ("训练误差高" is)."""
    thing = candidate[max(0, start - 2) : start]
    if not context.endswith("{}") or not CJK_PAIR.fullmatch(thing):
        return False
    return re.search(re.escape(thing + context[:-2]) + "[\u4e00-\u9fff]{0,3}" + other, reference) is not None


# Read for the feature row and again where a stated verdict is checked for a firm swap.
@lru_cache(maxsize=4096)
def antonym_flips(reference: str, candidate: str) -> int:
    """How many of the reference's one-character antonyms the candidate says the other way round, with
    the same neighbour and not negated ("下降并不大" agrees with "下降很小"). A pair said as one word
    ("前后", "大小") names a measure, not a side; a reference saying both sides states a contrast."""
    reference_negated, candidate_negated = negated_spans(reference), negated_spans(candidate)
    flips = set()
    for index, char in enumerate(reference):
        other = _ANTONYM.get(char)
        if other is None or _inside(index, reference_negated) or _beside_its_antonym(reference, index):
            continue
        for context in _antonym_contexts(reference, index):
            said, opposite = context.format(char), context.format(other)
            if opposite in reference or said in candidate:
                continue
            for match in re.finditer(re.escape(opposite), candidate):
                position = match.start() + context.index("{}")
                around = candidate[max(0, position - 1) : position + 2]
                if not _inside(position, candidate_negated) and char not in around \
                        and not _says_other_side_of(reference, candidate, match.start(), context, other):
                    flips.add(said)
    return len(flips)


# Numbered siblings ("ZeRO-1" / "ZeRO-3", "stage 1" / "stage 2", "Llama 2" / "Llama 3"): different things
# of one family, a contrast group of their own. Stems of one or two letters are the authored pairs'
# (L1/L2, fp16/bf16) or too short to tell a family.
NUMBERED = re.compile(r"(?<![A-Za-z0-9])([A-Za-z]{3,})[-\s]?(\d{1,2})(?![\dA-Za-z.])")
NUMBERED_GROUP = 10_000  # group ids past the authored groups and a point's own contrast sets


def numbered_siblings(reference: str, candidate: str, ref_found: Sequence[Mention] = (),
                      cand_found: Sequence[Mention] = ()) -> tuple[list[Mention], list[Mention]]:
    """Mentions of numbered siblings in each text, for the families named with two or more numbers
    across both; none where an authored contrast term already covers the span (int8 / int4)."""
    numbers: dict[str, set[str]] = {}
    for text in (reference, candidate):
        for match in NUMBERED.finditer(text):
            numbers.setdefault(match.group(1).lower(), set()).add(match.group(2))
    families = sorted(stem for stem, seen in numbers.items() if len(seen) > 1)
    if not families:
        return [], []

    def of(text: str, found: Sequence[Mention]) -> list[Mention]:
        result = []
        for match in NUMBERED.finditer(text):
            stem = match.group(1).lower()
            if stem in families and not any(m.start < match.end() and match.start() < m.end for m in found):
                result.append(Mention(NUMBERED_GROUP + families.index(stem), int(match.group(2)),
                                      match.start(), match.end(), _compared(text, match.start(), match.end())))
        return result

    return of(reference, ref_found), of(candidate, cand_found)


# Relations whose two sides are ordered: "A 取代 B", "从 A 变为 B", "A 优于 B". The same relation with the sides
# of a pair the other way round ("Post-LN 加 LayerNorm 取代 Pre-Norm") says the opposite.
ORDERED_RELATION = re.compile(r"取代|代替|替代|换成|变为|变成|转为|改为|优于|好于|强于|胜过|先于|早于|"
                              r"\b(?:replaces?|replaced|outperforms?|instead of)\b", re.I)
_RELATION_CLASS = {word: name for name, words in (
    ("replace", ("取代", "代替", "替代", "replace", "replaces", "replaced", "instead of")),
    ("become", ("换成", "变为", "变成", "转为", "改为")),
    ("better", ("优于", "好于", "强于", "胜过", "outperform", "outperforms")),
    ("earlier", ("先于", "早于"))) for word in words}
_RELATION_REACH = 24  # characters searched on each side of a relation for the sides it orders


def _ordered_sides(text: str, extra: tuple[tuple[str, ...], ...]) -> set[tuple[str, int, int, int]]:
    """(relation, group, side before, side after) for each ordered relation between two sides of a pair in
    one sentence of `text`."""
    found = mentions(text, extra)
    ordered = set()
    for match in ORDERED_RELATION.finditer(text):
        if NEGATION_CUE.search(text[max(0, match.start() - 3) : match.start()]):
            continue  # "并不优于": the relation denied, not reversed
        start, stop = _clause_of(match.start(), clause_spans(text, SENTENCE_MARK)) or (0, len(text))
        before = [m for m in found if max(start, match.start() - _RELATION_REACH) <= m.start and m.end <= match.start()]
        after = [m for m in found if match.end() <= m.start < min(stop, match.end() + _RELATION_REACH)]
        for group in {m.group for m in before} & {m.group for m in after}:
            left = [m for m in before if m.group == group][-1]
            right = next(m for m in after if m.group == group)
            if left.side != right.side:
                ordered.add((_RELATION_CLASS.get(match.group().lower(), match.group().lower()), group, left.side,
                             right.side))
    return ordered


def relation_reversed(reference: str, candidate: str, extra: tuple[tuple[str, ...], ...] = ()) -> bool:
    """The candidate states one of the reference's ordered relations with its two sides the other way round,
    and never the reference's way."""
    own, said = _ordered_sides(reference, extra), _ordered_sides(candidate, extra)
    return any((relation, group, right, left) in said and (relation, group, left, right) not in said
               for relation, group, left, right in own)


def pair_mentions(reference: str, candidate: str, extra: tuple[tuple[str, ...], ...] = ()
                  ) -> tuple[list[Mention], list[Mention]]:
    """Each text's mentions of sides of a pair: the field's pairs, `extra` and the numbered siblings
    the two texts name between them."""
    ref_found, cand_found = mentions(reference, extra), mentions(candidate, extra)
    ref_numbered, cand_numbered = numbered_siblings(reference, candidate, ref_found, cand_found)
    return ref_found + ref_numbered, cand_found + cand_numbered


# Words whose antonym character is part of a fixed meaning, not a side ("大模型", "少样本", "上下文"),
# and pairs said as one word that name a measure ("大小", "长度"): masked before antonym bindings are read.
FIXED_ANTONYM_WORDS = re.compile(
    r"缺少|大模型|小模型|大语言模型|少样本|多样本|多任务|多模态|多轮|多头|多卡|单卡|单张|多步|上下文|下游|上游|上三角|下三角|"
    r"高质量|大量|少量|多种|多个|大概|大约|大多|多数|少数|大家|上亿|下一|上一|以上|以下|线上|线下|上线|上述|正在|"
    r"正是|正常|正确|同时|同样|相同|不同|内容|外部|显存|显卡|显著|明显|动态|静态|深度|长度|大小|高低|多少|长短|快慢|"
    r"强弱|前后|上下|内外|轻重|新增|最新|全部|全量|全参|重新|重要|重复|加重|偏差|偏好|正则|负责|负载")
BINDING_PIECES = 2  # bigrams a candidate segment must share with the reference's to be read against it


def _segment_sides(segment: str) -> set[str]:
    """The antonym characters a segment says as a side (not in a fixed word, not beside their antonym)."""
    masked = FIXED_ANTONYM_WORDS.sub(lambda match: "_" * len(match.group()), segment)
    return {char for index, char in enumerate(masked)
            if char in _ANTONYM and not _beside_its_antonym(masked, index)}


def _segment_pieces(segment: str) -> set[str]:
    compact = re.sub(r"\s+", "", segment.lower())
    return {compact[i : i + 2] for i in range(len(compact) - 1)}


# Read for the feature row and again where a stated verdict is checked for a firm swap.
@lru_cache(maxsize=4096)
def antonym_bindings(reference: str, candidate: str) -> int:
    """How many of the reference's segments (clauses, list items) the candidate says with the antonym:
    its segment sharing most of what the reference's says beside the antonym carries the other side
    ("低频维度全插值" against "高频维度全插值", "低一点输出更确定" against "温度调高输出更确定"), with
    the same negation parity (a negated antonym agrees)."""
    candidate_segments = [(segment, _segment_pieces(segment), _segment_sides(segment))
                          for start, end in clause_spans(candidate, BINDING_MARK)
                          if (segment := candidate[start:end].strip())]
    flips = 0
    for start, end in clause_spans(reference, BINDING_MARK):
        segment = reference[start:end]
        own = _segment_sides(segment)
        for side in own:
            other = _ANTONYM[side]
            if other in own:
                continue
            rest = {piece for piece in _segment_pieces(segment) if side not in piece}
            shares = [len(rest & found) for _, found, _ in candidate_segments]
            if not shares or max(shares) < BINDING_PIECES:
                continue
            nearest = [entry for entry, share in zip(candidate_segments, shares, strict=True) if share == max(shares)]
            parity = negation_count(segment) % 2
            if all(other in sides and side not in sides and negation_count(text) % 2 == parity
                   for text, _, sides in nearest):
                flips += 1
    return flips


# Opposites of more than one character, each a pair of word classes: a negated one says the other ("不会丢
# 左表的行" keeps them, "模型之间不依赖彼此" are independent, "并不是两套参数" shares one set).
OPPOSITE_WORDS: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = (
    (("保留", "留下", "保存", "留着"), ("丢", "删", "扔", "淘汰", "踢掉", "舍弃")),
    (("并行",), ("串行", "依次", "逐个", "一个一个")),
    (("共享", "共用", "同一套"), ("各自", "两套", "各一套", "分别用")),
    (("独立",), ("依赖",)),
    (("精确", "等价", "无损"), ("近似", "有损")),
    (("增加", "提高", "提升", "升高", "调高", "增大", "变大", "变多", "放大", "加大", "上升", "增长"),
     ("减少", "降低", "下降", "调低", "减小", "变小", "变少", "缩小", "减弱")),
)


def _word_sides(text: str) -> set[tuple[int, int]]:
    """The (pair, side) of every opposite word a text says."""
    return {(pair, side) for pair, classes in enumerate(OPPOSITE_WORDS)
            for side, words in enumerate(classes) if any(word in text for word in words)}


def _said_alike(reach: str, segment: str, char: str) -> bool:
    """`char` stands in `reach` beside the same neighbour as somewhere in `segment` ("短序" in both)."""
    return any(pair in segment for index, found in enumerate(reach) if found == char
               for pair in (reach[max(0, index - 1) : index + 1], reach[index : index + 2])
               if len(pair) == 2 and CJK_PAIR.fullmatch(pair))


@lru_cache(maxsize=8192)
def denies_the_opposite(reference: str, clause: str, reach: str) -> bool:
    """A negation whose `reach` (in `clause`) holds the opposite of what a segment of the reference says
    without negation, of the same thing (the clause shares BINDING_PIECES bigrams with the rest of the
    segment): a double negation that agrees with the reference ("AdaBoost 不会降低分错样本的权重"
    against "提高错分样本的权重", "LEFT JOIN 不会丢左表的行" against "保留左表所有行")."""
    reach_chars, reach_words = _segment_sides(reach), _word_sides(reach)
    if not reach_chars and not reach_words:
        return False
    pieces = _segment_pieces(clause)
    for start, end in clause_spans(reference, BINDING_MARK):
        segment = reference[start:end]
        if negation_count(segment) % 2:
            continue
        chars, words = _segment_sides(segment), _word_sides(segment)
        # The reach's antonym must not be one the segment says itself, word for word: "不能靠短序列训练" denies
        # the "短序列训练" of "可用短序列训练达到长序列训练效果", not its 长.
        said = [side for side in chars if _ANTONYM[side] in reach_chars and side not in reach_chars
                and not _said_alike(reach, segment, _ANTONYM[side])]
        said += ["".join(words_of) for pair, side in words
                 if (pair, 1 - side) in reach_words and (pair, side) not in reach_words
                 for words_of in [OPPOSITE_WORDS[pair][side]]]
        if not said:
            continue
        rest = {piece for piece in _segment_pieces(segment) if not any(char in piece for char in "".join(said))}
        if len(rest & pieces) >= BINDING_PIECES:
            return True
    return False


@lru_cache(maxsize=4096)
def says_antonym(reference: str, candidate: str) -> bool:
    """The candidate says something of the reference with the antonym, by neighbour, by segment or by
    the direction of a "越…越…" correlation. Cached: features and wrong-claim evidence ask it of the
    same point and unit."""
    return (antonym_flips(reference, candidate) > 0 or antonym_bindings(reference, candidate) > 0
            or correlation_flipped(reference, candidate))


# What a point says something can, will or must do ("可合并", "需要执行校验"), and an answer denying that very
# act ("没法合并回原权重", "不需要再执行校验"): on the labelled items the fitted model had called 7 such units
# stated, all contradicted, and no correct statement reads so. A modal the point negates itself ("不能回退")
# is not one; nor is an A-not-A question ("能不能合并").
_MODAL_ACT = re.compile(r"(?<![不无没非未需])(?:可以|可|能够|能|会|需要|需|要|必须|应该|应)([\u4e00-\u9fff]{2})")
# Cues denying need or possibility, shared by both readings below (longest first where one holds another).
NEED_OR_CAN_DENIALS = ("不需要", "不需", "不用", "不必", "没必要", "无需", "不能", "不会", "没法", "无法", "不要")


def _cues(*extra: str) -> str:
    return "|".join(sorted((*NEED_OR_CAN_DENIALS, *extra), key=len, reverse=True))


_DENIED_ACT = re.compile(r"(?<![能可会要需])(?:" + _cues("不可以", "不可", "没办法", "不应该", "不应")
                         + r")(?:再|被|去|直接|完全)?([\u4e00-\u9fff]{2})")


# What follows when a condition is not met: "参数不固定的话，结果是没法复现的", "要固定参数，否则没法复现".
OTHERWISE_OPENS = re.compile(r"\s*(?:否则|不然|要不然|otherwise)", re.I)


def _consequence_of_a_failed_condition(text: str, position: int) -> bool:
    """The denial at `position` says what happens when a condition fails: a double negation ("…不固定的话，
    结果是没法复现的") or an "otherwise" ("要固定参数，否则没法复现"), which affirms what the condition needs."""
    clauses = clause_spans(text)
    clause = _clause_of(position, clauses)
    if clause is None:
        return False
    if OTHERWISE_OPENS.match(text, clause[0]):
        return True
    # The condition is the clause right before the denial's, or opens the denial's own clause.
    previous = [span for span in clauses if span[1] <= clause[0]][-1:]
    return any(CONDITION.search(text, start, end) and NEGATION_CUE.search(text, start, end)
               for start, end in [*previous, (clause[0], position)])


# A potential complement of inability: "做不了", "合并不了", "做不到"; not "不了解", "不到位", "不到 1%".
_UNABLE = r"不(?:了(?![解却结])|到(?![位\s\d一二三两几百千万半])|成(?![熟功本立]))"
# What is unable as an attribute or a condition: "验证不了的再用…", "验证不了再用…", "做不到的话…".
_ATTRIBUTE_AFTER = re.compile(r"的[\u4e00-\u9fffA-Za-z]|\s*(?:再|就|才|时|的话|的时候)")
# Another that can, later in the sentence: "区分不了，BERT 那种就可以".
_CAN = re.compile(r"(?<![不没])(?:可以|能够|就能|才能|就行|没问题)")


@lru_cache(maxsize=4096)
def denies_the_act(reference: str, candidate: str) -> bool:
    """The candidate denies what the reference says can, will or must be done, with the same verb; not as
    the consequence of a condition not met (`_consequence_of_a_failed_condition`)."""
    acts = {match.group(1) for match in _MODAL_ACT.finditer(reference)}
    if not acts:
        return False
    denials = [(match.group(1), match.start()) for match in _DENIED_ACT.finditer(candidate)]
    # Unable as a complement of the verb itself: "合并不了", "类比运算是做不了的". Not what is unable as an
    # attribute or a condition ("验证不了再用奖励模型") nor beside another that can ("区分不了，BERT 那种就可以").
    sentences = clause_spans(candidate, SENTENCE_MARK)
    for act in acts:
        for match in re.finditer(rf"(?:{re.escape(act)}|{re.escape(act[0])}){_UNABLE}", candidate):
            sentence_end = (_clause_of(match.start(), sentences) or (0, len(candidate)))[1]
            if not _ATTRIBUTE_AFTER.match(candidate, match.end()) and not _CAN.search(candidate, match.end(),
                                                                                      sentence_end):
                denials.append((act, match.start()))
    return any(act in acts and not _consequence_of_a_failed_condition(candidate, position)
               for act, position in denials)


# A denial of need or possibility right before a word the reference says without negation ("…测攻击成功率就够
# 了，不需要看拒答率" against "用 XSTest 等测拒答率"), or of being or existing ("返回的不是 AIMessage", "不存在
# 幻觉问题"), perhaps across a verb ("不能传消息列表"). Not after a modal (能不能, 需不需要), permission ("也可以
# 不用单任务 Adapter") or a consequence ("RMSProp 用指数移动平均，所以不会衰减到 0" is RMSProp's, not a denial
# of "AdamW 解耦权重衰减"); not a hedge ("不是说…", "不是所有…"). On the labelled items the fitted model had
# called 28 such units stated: all were contradicted. The plain denials, on the spoken answers of the twelfth
# session: 7 wrong answers caught, 1 right one ("预测出来的是词而不是标签") called contradicted.
HEDGE_AFTER_NOT = r"说|很|所有|只|唯一|简单|每|一定|太|完全|单纯|直接"  # "不是说…", "并不是所有…"
NOT_A_HEDGE = rf"不是(?!{HEDGE_AFTER_NOT})"
_DENIAL = re.compile(r"(?<![能可会要需以是而还尚])(?:"
                     + _cues(rf"并不(?![需用必能会要]|是(?:{HEDGE_AFTER_NOT}))", NOT_A_HEDGE,
                             "并没有", "不存在", "不涉及")
                     + r")(?:专门|特意|刻意|单独|额外|特别)?(?:涉及|再|去|看|做|用|管|加|被|是|传|放|靠|给|带|算|拿)?")
CJK_PAIR = re.compile(r"[\u4e00-\u9fff]{2}")
# Particles that make a character pair no word ("把显" in "把显存留在…"); not 一, 有, 会, 要, which open or
# close words a point affirms ("统一", "有效", "要求").
_WORD_PARTICLES = _LOOSE_NEIGHBOURS - frozenset("一有会要")
# A clause saying the point's words differ or are unrelated ("与当前策略分布不一致", "与 batch 无关"): the
# candidate's "不是当前策略生成的", "跟 batch 没关系" agree.
UNLIKE_PREDICATE = re.compile(rf"不(?:一致|一样|相同|同)|无关|没有?{_RELATION_NOUN}|关系不大")
DENIAL_CORRECTED = ("而是", "而要", "而用")
COMPARED_WITH = re.compile(r"(?:优于|好于|强于|胜过|胜于|不如|而不是|而非|相比于?|相较于?|比起|\brather than|"
                           r"\binstead of|\bthan)\s*[^，,；;。\s]{0,6}$", re.I)
DENIED_WORD_REACH = 8  # characters after a denial searched for the reference's word
EXCESS = re.compile(r"(?:太|过)(?:多|大|长|高|久|深|频繁)|过度|过量")  # "不能重复太多遍"
HEDGED_CONSEQUENCE = re.compile(r"越|就(?:越|一定|能|会|完|够|结束)")  # "不是…越低就越好", "不是重复一次就完了"
_LOOSE_DENIAL_BEFORE = 4  # characters before a reference word searched for a negation of its own ("难以并行")


def _said_against(reference: str, place: int, spans: Sequence[tuple[int, int]],
                  clauses: Sequence[tuple[int, int]]) -> bool:
    """The reference's word at `place` is said under a negation of its own ("难以并行"), in a clause judging it
    badly ("直接算相似度效果差"), or as what its clause says differs or is unrelated ("与当前策略分布不一致")."""
    before = reference[max(0, place - _LOOSE_DENIAL_BEFORE) : place]
    clause_start, clause_end = _clause_of(place, clauses) or (0, 0)
    return (_inside(place, spans) or NEGATION_CUE.search(before) is not None or "难以" in before
            # what the point compares with, not what it says: 随机 in "效果优于随机初始化"
            or COMPARED_WITH.search(reference, clause_start, place) is not None
            or NEGATIVE_EVALUATION.search(reference[clause_start:clause_end]) is not None
            or UNLIKE_PREDICATE.search(reference[place:clause_end]) is not None)


def _opens_with_a_word(text: str, words: Iterable[str]) -> bool:
    """`text` opens with one of `words`, a Latin word whole: "prompt-response 对" does not open with "prompt"."""
    return any(text.startswith(word) and not (word[0].isascii() and re.match(r"[a-z0-9\-]", text[len(word) :]))
               for word in words)


@lru_cache(maxsize=4096)
def denies_a_point_word(reference: str, candidate: str, extra: tuple[tuple[str, ...], ...] = ()) -> bool:
    """The candidate denies, right after a cue of need or possibility, a word the reference affirms. `extra`:
    the reference's own contrast sets, beside the field's pairs."""
    reference, candidate = reference.lower(), candidate.lower()
    spans = negated_spans(reference)
    affirmed: set[str] = set()
    words = set(re.findall(r"[a-z][a-z0-9\-.]+", reference))
    # Two Chinese characters make a word here unless one is a particle ("把显" in "把显存留在…").
    words |= {pair for i in range(len(reference) - 1) if CJK_PAIR.fullmatch(pair := reference[i : i + 2])
              and not set(pair) & _WORD_PARTICLES}
    clauses = clause_spans(reference)
    for word in words:
        if not any(_said_against(reference, match.start(), spans, clauses)
                   for match in re.finditer(re.escape(word), reference)):
            affirmed.add(word)
    # A denial said of another side of a pair the reference names one side of ("fp16 要配 loss scaling，…，bf16
    # 一般也不用 loss scaling") is that side's, not a denial of the reference's.
    own_sides = {(mention.group, mention.side) for mention in mentions(reference, extra)}
    named, sentences = mentions(candidate, extra), clause_spans(candidate, SENTENCE_MARK)
    clauses_of_candidate, reaches = clause_spans(candidate), negated_spans(candidate)
    for match in _DENIAL.finditer(candidate):
        sentence_start, sentence_end = _clause_of(match.start(), sentences) or (0, len(candidate))
        clause_start, clause_end = _clause_of(match.start(), clauses_of_candidate) or (0, sentence_end)
        reach = _clause_of(match.start(), reaches)
        # "不是 A，而是 B" picks B over A: a contrast of the candidate's own, not a denial of the point.
        # Nor is "不是攻击成功率越低就越好", a hedge on a correlation; nor "过拟合也不是训练误差高" against
        # "训练误差低", the opposite denied (the point said again).
        if any(word in candidate[match.end() : sentence_end] for word in DENIAL_CORRECTED) \
                or ("不是" in match.group() and HEDGED_CONSEQUENCE.search(candidate[match.end() : clause_end])) \
                or (reach is not None and denies_the_opposite(reference, candidate[clause_start:clause_end],
                                                              candidate[reach[0] : reach[1]])) \
                or _consequence_of_a_failed_condition(candidate, match.start()):
            continue
        named_before = [mention for mention in named if sentence_start <= mention.start < match.start()]
        if named_before and (named_before[-1].group, named_before[-1].side) not in own_sides \
                and any(group == named_before[-1].group for group, _ in own_sides):
            continue
        denied = candidate[match.end() : match.end() + DENIED_WORD_REACH].lstrip()
        word = next((word for word in affirmed if _opens_with_a_word(denied, (word,))), None)
        if word is None:
            continue
        # "中间的片段没法复用，只能从开头一致的部分复用": the act restricted, not denied. "不能重复太多遍"
        # against "过多重复会过拟合": the excess denied, as the reference warns of it.
        rest_of_sentence = candidate[match.end() : sentence_end]
        if (re.search(r"只(?:能|有|会|可以)[^，,；;。！？!?]*?" + re.escape(word), rest_of_sentence)
                or (EXCESS.search(candidate, match.end(), clause_end) and EXCESS.search(reference))):
            continue
        return True
    # "主要是为了加快收敛，跟防遗忘没什么关系": a relation denied (as `negated_spans` reads it) to a word the
    # reference affirms. Not a relation between two other things: "参数量跟序列多长没关系" relates 参数量.
    for cue in NEGATION_CUE.finditer(candidate):
        if (relation := _relation_denied(candidate, cue)) is None:
            continue
        clause_start = (_clause_of(cue.start(), clauses_of_candidate) or (0, 0))[0]
        relating = candidate[clause_start : relation[0]].strip()
        related = candidate[relation[0] + 1 : relation[1]].strip()
        if _opens_with_a_word(related, affirmed) and (not relating or any(word in relating for word in affirmed)):
            return True
    return False


# "A 越大，B 越小": each 越 (not the trend "越来越") with the word it grades (one antonym character, or up to
# two characters); what comes before it in its clause, fillers left out, is what is graded.
_GRADED = re.compile(r"(?<!越来)越(?!来越)((?:(?!越)[\u4e00-\u9fff]){1,2}|[A-Za-z]+)")
_GRADE_FILLERS = re.compile(r"反而|反倒|就会|就越|就|也|则|会|其实|的话|呢")
# A graded word's side: the antonym pair (or opposite-word class) it belongs to, and which of the two it says.
_Side = tuple[str, str]


@dataclass(frozen=True)
class _Graded:
    subject: frozenset[str]  # Chinese character pairs and Latin words of what is graded
    word: str
    side: _Side | None
    negated: bool


def _graded_word(word: str) -> tuple[str, _Side | None]:
    if word[0] in _ANTONYM:
        word = word[0]
    chars, found = _segment_sides(word), _word_sides(word)
    if len(chars) == 1:  # "越接近" grades 近
        char = next(iter(chars))
        return word, ("".join(sorted((char, _ANTONYM[char]))), char)
    if len(found) == 1:
        pair, side = next(iter(found))
        return word, (f"words {pair}", str(side))
    return word, None


def _opposed(left: _Side | None, right: _Side | None) -> bool:
    return left is not None and right is not None and left[0] == right[0] and left[1] != right[1]


def _correlations(text: str) -> list[tuple[_Graded, _Graded]]:
    """The graded words of each sentence as (cause, effect) pairs, each with the next (a first one paired with
    every later one read "…越近距离越近，反过来语义越远距离越远" as turned round)."""
    pairs: list[tuple[_Graded, _Graded]] = []
    for sentence in (text[start:end] for start, end in clause_spans(text, SENTENCE_MARK)):
        negated = negated_spans(sentence)
        graded: list[_Graded] = []
        start = 0
        for match in _GRADED.finditer(sentence):
            before = re.split(r"[，,]", sentence[start : match.start()])[-1]
            before = _GRADE_FILLERS.sub("", before)
            # Chinese character pairs and whole Latin words: "cache" and "batch" share no subject.
            subject = frozenset(piece for piece in _segment_pieces(before) if CJK_PAIR.fullmatch(piece)) \
                | frozenset(re.findall(r"[a-zα-ω_]+", before.lower()))
            word, side = _graded_word(match.group(1))
            graded.append(_Graded(subject, word, side, _inside(match.start(), negated)))
            start = match.start(1) + len(word)
        pairs.extend(itertools.pairwise(graded))
    return pairs


# "比 FP16 慢" / "比 FP16 快很多": one thing compared with the same named thing, the other way round. The
# comparand is a Latin name or a short Chinese word; the comparison one antonym character (or 好 / 差).
COMPARISON = re.compile(r"(?<![对相好无])比(?!较|例|如|值|重|特|率)\s*([A-Za-z][A-Za-z0-9\-.]*|[\u4e00-\u9fff]{1,4}?)"
                        r"\s*(?:更|要|还|会|都)?\s*([快慢高低强弱长短好差]|大(?!概|约|幅|致)|小(?!时)|多(?!少)|少)")
_COMPARED_OPPOSITE = {**_ANTONYM, "好": "差", "差": "好"}


def _comparisons(text: str) -> set[tuple[str, str]]:
    negated = negated_spans(text)
    return {(match.group(1).lower(), match.group(2)) for match in COMPARISON.finditer(text)
            if not _inside(match.start(2), negated) and "不" not in text[max(0, match.start() - 2) : match.start()]}


@lru_cache(maxsize=4096)
def comparison_flipped(reference: str, candidate: str) -> bool:
    """The candidate compares with the thing the reference compares with, the other way round: "LLM.int8()
    一般比 FP16 快很多" against "…常比 FP16 慢". A reference saying both ways states a contrast."""
    said, compared = _comparisons(reference), _comparisons(candidate)
    turned = {(name, _COMPARED_OPPOSITE[word]) for name, word in said} - said
    # An answer also saying the point's own comparison compares two things ("总参数比稠密模型多，…计算比稠密模型少").
    return bool(turned & compared) and not said & compared


@lru_cache(maxsize=4096)
def correlation_flipped(reference: str, candidate: str) -> bool:
    """The candidate grades what the reference grades, in the opposite direction: one of the two graded
    words said with its antonym and the other the same ("语义越近，向量距离反而越远" against "语义越近距离
    越近"), or the pair negated in one text only. Both words flipped state the same correlation."""
    if "越" not in reference or "越" not in candidate:
        return False
    for cause, effect in _correlations(reference):
        for said_cause, said_effect in _correlations(candidate):
            # What is graded must be the same: where both texts name it, by a shared word, and somewhere.
            subjects = [(own.subject, said.subject) for own, said in ((cause, said_cause), (effect, said_effect))
                        if own.subject and said.subject]
            if not subjects or any(not own & said for own, said in subjects):
                continue
            flips = 0
            for own, said in ((cause, said_cause), (effect, said_effect)):
                if _opposed(own.side, said.side):
                    flips += 1
                elif own.side != said.side or (own.side is None and own.word != said.word):
                    break
            else:
                # "并非越大越好": a negation before the cause reaches the whole correlation.
                if (flips + cause.negated + said_cause.negated) % 2:
                    return True
    return False


def takes_points_side(point: str, claim: str, candidate: str, extra: tuple[tuple[str, ...], ...] = ()) -> bool:
    """Of a pair all three name, the candidate names only the point's side and the claim another: the
    candidate says the point, not the claim ("对每一行做 softmax" against "对每一列做归一化")."""
    point_found, claim_found, cand_found = mentions(point, extra), mentions(claim, extra), mentions(candidate, extra)
    for group in {m.group for m in point_found} & {m.group for m in claim_found} & {m.group for m in cand_found}:
        point_sides = {m.side for m in point_found if m.group == group}
        claim_sides = {m.side for m in claim_found if m.group == group}
        cand_sides = {m.side for m in cand_found if m.group == group}
        if len(point_sides) == 1 and cand_sides == point_sides and not claim_sides & point_sides:
            return True
    return False


@dataclass(frozen=True)
class SwapResult:
    agree: int  # shared words said about the same side of a contrast pair
    swapped: int  # shared words said about the other side
    substituted: bool  # the reference names one side only, the candidate only another side


def swaps(reference: str, candidate: str, shared: Iterable[str],
          extra: tuple[tuple[str, ...], ...] = ()) -> SwapResult:
    """Compare which side of each contrast pair the shared words are attached to."""
    ref_mentions, cand_mentions = pair_mentions(reference, candidate, extra)
    if not ref_mentions or not cand_mentions:
        return SwapResult(0, 0, False)
    ref_spans, cand_spans = clause_spans(reference), clause_spans(candidate)
    ref_negated, cand_negated = negated_spans(reference), negated_spans(candidate)
    agree = swapped = 0
    groups = {m.group for m in ref_mentions} & {m.group for m in cand_mentions}
    shared_terms = list(shared)
    for group in groups:
        for term in shared_terms:
            if _names_a_side(term, group, reference, ref_mentions, candidate, cand_mentions):
                continue
            ref_positions, cand_positions = _positions(reference, term), _positions(candidate, term)
            if not ref_positions or not cand_positions:
                continue
            # A word said about both sides ("维度" in "BN 在 batch 维度，LN 在特征维度") tells nothing.
            ref_bound = {position: side for position in ref_positions
                         if (side := _associated_side(reference, position, group, ref_mentions, ref_spans)) is not None}
            cand_bound = {position: side for position in cand_positions
                          if (side := _associated_side(candidate, position, group, cand_mentions, cand_spans))
                          is not None}
            lefts, rights = set(ref_bound.values()), set(cand_bound.values())
            if len(lefts) != 1 or len(rights) != 1:
                continue
            if lefts == rights:
                agree += 1
                continue
            # Said of different subjects, the other side is no swap: "BN 训练和推理不一样" against "LN 训练
            # 推理计算一致".
            if _said_of_other_sides(reference, list(ref_bound), ref_mentions, candidate, list(cand_bound),
                                    cand_mentions, skip_group=group):
                continue
            # The other side with the opposite polarity is the contrast itself, said correctly: "L1 把
            # 权重压到 0" does not contradict "L2 通常不会恰好为 0".
            left_negated = _negated_term(reference, term, ref_negated)
            right_negated = _negated_term(candidate, term, cand_negated)
            if left_negated is not None and right_negated is not None and left_negated != right_negated:
                continue
            # The other side named only to be denied ("不会降低…的权重") is the point's side, said right.
            if all(_denied(m, cand_negated) for m in cand_mentions if m.group == group and m.side in rights):
                continue
            swapped += 1
    substituted = False
    for group in groups:
        ref_sides = {m.side for m in ref_mentions if m.group == group}
        # A side the candidate names only to deny it ("不会降低…权重") is not the side it takes.
        cand_sides = {m.side for m in cand_mentions if m.group == group and not _denied(m, cand_negated)}
        if len(ref_sides) == 1 and cand_sides and not (ref_sides & cand_sides) and not _said_of_other_sides(
                reference, [m.start for m in ref_mentions if m.group == group], ref_mentions,
                candidate, [m.start for m in cand_mentions if m.group == group], cand_mentions, skip_group=group):
            substituted = True
    return SwapResult(agree, swapped, substituted)


def substituted_in_place(reference: str, candidate: str, extra: tuple[tuple[str, ...], ...] = ()) -> bool:
    """The candidate names another side of a pair where the reference names its only side, held by the same
    words: "分布会变得更尖锐" for "分布过于平坦", "那一路相加" for "另一路…逐元素相乘". Not another side
    said of something else ("推理不会变慢" beside "训练低秩旁路"), nor one the candidate denies."""
    ref_found, cand_found = mentions(reference, extra), mentions(candidate, extra)
    cand_negated = negated_spans(candidate)
    for group in {m.group for m in ref_found}:
        ref_sides = {m.side for m in ref_found if m.group == group}
        if len(ref_sides) != 1:
            continue
        # Not a side that is the other's negation ("不一致"): that is a negation, read as one.
        taken = [m for m in cand_found if m.group == group and not _denied(m, cand_negated)
                 and candidate[m.start] not in "不非无"]
        if not taken or any(m.side in ref_sides for m in taken):
            continue
        held = frozenset().union(*(_holder(reference, m.start, m.end) for m in ref_found if m.group == group))
        if any(_holder(candidate, m.start, m.end) & held for m in taken):
            return True
    return False


SCALE = {"万": ("", 1e4), "亿": ("", 1e8), "k": ("", 1e3), "million": ("", 1e6), "billion": ("params", 1e9)}


# "8.4×10²²", "5.6 x 10^22", "8.4e22": one value, not 8.4 times something. A sign after it ("7e9 × 2e12")
# is no unit.
_SUPERSCRIPTS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁻", "0123456789-")
SCIENTIFIC = re.compile(r"(?<![\w.])(\d+(?:\.\d+)?)(?:\s*[×xX*]\s*10\s*(?:\^|\*\*)?\s*([⁰¹²³⁴⁵⁶⁷⁸⁹⁻]+|-?\d+)"
                        r"|e([-+]?\d+))(?:\s*(?![×xX*])(" + _UNIT_ALTERNATIVES + r"))?(?![A-Za-z])", re.I)


def numbers(text: str) -> set[tuple[float, str]]:
    """(value, unit) pairs, magnitudes folded in ("12.8 万" is 128000, "32K" 32000, "8.4×10²²"); no unit
    is ""."""
    found = set()
    for match in SCIENTIFIC.finditer(text):
        power = match.group(2).translate(_SUPERSCRIPTS) if match.group(2) else match.group(3)
        value = float(match.group(1)) * 10.0 ** int(power)
        found.add((float(f"{value:.6g}"), UNITS.get((match.group(4) or "").lower(), "")))
    text = SCIENTIFIC.sub(" ", text)
    for match in MULTIPLE.finditer(text):
        value = float(match.group(1)) / float(match.group(2) or 1) / float(match.group(4) or 1)
        if value:  # to two places: "2.67d" is 8d/3
            found.add((round(value, 2), "×" + match.group(3)))
    text = MULTIPLE.sub(" ", text)
    for match in NUMBER.finditer(text):
        unit = UNITS.get((match.group(2) or "").lower(), "")
        value = float(match.group(1))
        if unit in SCALE:
            unit, factor = SCALE[unit]
            value *= factor
        found.add((round(value, 6), unit))
    return found


@dataclass(frozen=True)
class NumberResult:
    supported: float  # share of the reference's numbers (with units) the candidate states
    conflict: bool  # the candidate gives a different value in a unit the reference uses
    formula_conflict: bool  # √d_k against d_k, or a formula written the other way round (q/p for p/q)
    plain_conflict: bool = False  # plain numbers on both sides, none in common


# "p(x)/q(x)", "p − q", "Q·K": two short symbols (maybe with arguments) around an operator whose order
# matters. The same pair the other way round ("q(x)/p(x)") is a different formula.
_SYMBOL = r"[A-Za-zα-ωπθ](?:_?\w{0,3})?(?:\([^()]{0,8}\))?"
ORDERED = re.compile(rf"(?<![A-Za-z0-9_])({_SYMBOL})\s*([/−\-])\s*({_SYMBOL})(?![A-Za-z0-9_(])")


def _ordered_pairs(text: str) -> set[tuple[str, str, str]]:
    return {(left.lower().replace(" ", ""), operator.replace("−", "-"), right.lower().replace(" ", ""))
            for left, operator, right in ORDERED.findall(text)}


def reversed_formula(reference: str, candidate: str) -> bool:
    """The candidate writes a formula of the reference the other way round (q/p for p/q, q − p for
    p − q) and never the reference's way."""
    ref, cand = _ordered_pairs(reference), _ordered_pairs(candidate)
    return any((right, operator, left) in cand and (left, operator, right) not in cand
               for left, operator, right in ref if left != right)


# The root kept in words or as a power ("除以 d_k 的平方根", "d_k^0.5").
ROOT_IN_WORDS = re.compile(r"根号|开方|平方根|sqrt|square root|\^\s*0\.5|\*\*\s*0\.5|1/2\s*次方", re.I)
_ROOT_CONTEXT = (4, 3)  # characters kept before and after a root sign when looking for it dropped


def dropped_root(reference: str, candidate: str) -> bool:
    """The candidate writes the reference's formula without one of its roots ("erf(x/2)" for "erf(x/√2)")."""
    ref, cand = re.sub(r"\s+", "", reference), re.sub(r"\s+", "", candidate)
    if ROOT_IN_WORDS.search(cand):
        return False
    before, after = _ROOT_CONTEXT
    for match in re.finditer("√", ref):
        left, right = ref[max(0, match.start() - before) : match.start()], ref[match.end() : match.end() + after]
        if len(left) >= 2 and right and left + right in cand and left + "√" + right not in cand:
            return True
    return False


def number_agreement(reference: str, candidate: str,
                     others: frozenset[tuple[float, str]] = frozenset()) -> NumberResult:
    """`others`: values other points of the rubric give; the candidate giving one is no conflict."""
    ref, cand = numbers(reference), _without_theirs(numbers(candidate), others)
    with_units = {pair for pair in ref if pair[1]}
    supported = len(with_units & cand) / len(with_units) if with_units else 0.0
    plain_ref, plain_cand = {v for v, u in ref if not u}, {v for v, u in cand if not u}
    plain_conflict = bool(plain_ref and plain_cand and not plain_ref & plain_cand)
    conflict = False
    for unit in {unit for _, unit in with_units}:
        ref_values = {value for value, u in ref if u == unit}
        cand_values = {value for value, u in cand if u == unit}
        if cand_values and not (cand_values & ref_values):
            conflict = True
    ref_sqrt, cand_sqrt = bool(SQRT.search(reference)), bool(SQRT.search(candidate))
    # Only the candidate dividing by d_k where the reference takes its root conflicts. A reference
    # dividing by d_k itself states what would go wrong ("除以 d_k 会把方差压到 1/d_k"), which an answer
    # dividing by √d_k does not deny.
    formula_conflict = (ref_sqrt and not cand_sqrt and bool(BARE_DK.search(candidate))
                        and not ROOT_IN_WORDS.search(candidate)) or reversed_formula(reference, candidate) \
        or dropped_root(reference, candidate)
    return NumberResult(supported, conflict, formula_conflict, plain_conflict)


# "约 110GB" for 112GB, "五十几 G" for 50GB say the reference's value roughly; 4 for 6, 256 for 512 do not.
VALUE_TOLERANCE = 0.15
# A value in Chinese numerals with its unit ("一百一十多 G", "五十几 G").
_SPOKEN_VALUE = re.compile(rf"({CN_NUMBER})\s*(?:个\s*)?({_UNIT_ALTERNATIVES})(?![A-Za-z])", re.I)


def _spoken_numbers(text: str) -> set[tuple[float, str]]:
    """`numbers` and the values written in Chinese numerals."""
    found = set(numbers(text))
    for match in _SPOKEN_VALUE.finditer(text):
        value, _ = parse_number(match.group(1))
        unit = UNITS.get(match.group(2).lower(), "")
        if value is not None and unit:
            found.add((value, unit))
    return found


def _near(value: float, values: Iterable[float]) -> bool:
    return any(abs(value - other) <= VALUE_TOLERANCE * abs(other) for other in values)


def _without_theirs(found: set[tuple[float, str]], others: frozenset[tuple[float, str]]) -> set[tuple[float, str]]:
    """`found` without the values (with units) that `others`, other points of the rubric, give."""
    return {(value, unit) for value, unit in found
            if not unit or not _near(value, [other for other, other_unit in others if other_unit == unit])}


def gives_another_value(reference: str, clause: str, answer: str,
                        others: frozenset[tuple[float, str]] = frozenset()) -> bool:
    """The clause gives a value in a unit of the reference far from every value the reference has, and the
    answer never gives the reference's value in that unit: "每 token 是 256 KiB" for "每 token 512 KiB",
    "4 × 参数量 × token 数" for "6 × 参数量 × token 数". A value the reference holds elsewhere is one of
    its parts ("梯度 2 字节" beside "16 字节：…各 2"), and one of `others` (values the rubric's other points
    give) is theirs ("权重约 16GB" beside "剩约 50GB"): neither is another value."""
    ref = numbers(reference)
    units = {unit for _, unit in ref if unit}
    if not units:
        return False
    said = _without_theirs(numbers(clause), others)
    ref_values = {value for value, _ in ref} | {float(digits) for digits in re.findall(r"\d+(?:\.\d+)?", reference)}
    whole: set[tuple[float, str]] | None = None  # the answer's values, read once a clause gives another
    for unit in units:
        given = [value for value, u in said if u == unit]
        if not given or any(_near(value, ref_values) for value in given):
            continue
        whole = _spoken_numbers(answer) if whole is None else whole
        wanted = [value for value, u in ref if u == unit]
        if not any(_near(value, wanted) for value, u in whole if u == unit):
            return True
    return False


# The number of a name, not a value: "GPT-4", "ZeRO-1", "DeepSeek-V3", "E4M3", "Qwen2.5", "Llama 3".
NAMED_NUMBER = re.compile(r"[A-Za-z]-?\d[\w.]*|\b[A-Z][A-Za-z]+ \d+(?:\.\d+)?\b")
# An exponent ("(2N)^(1/4)") is part of a formula, often said in words ("2N 的四分之一次方").
EXPONENT = re.compile(r"\^\s*(?:\([^()]*\)|[-−]?\d+(?:\.\d+)?)")
HOLDER_CHARS = 8  # characters on each side of a plain value read as what holds it ("激活是按 1×32 的块")


def _blanked(text: str) -> str:
    """`text` with names, exponents and scientific values blanked out, positions kept."""
    for pattern in (NAMED_NUMBER, EXPONENT, SCIENTIFIC):
        text = pattern.sub(lambda match: " " * len(match.group()), text)
    return text


def _plain_holders(text: str) -> list[tuple[float, frozenset[str]]]:
    """Each number without a unit, with what holds it: the Latin words and Chinese bigrams around it
    that are not mere particles."""
    blank = _blanked(text)
    found = []
    for match in NUMBER.finditer(blank):
        if match.group(2):
            continue
        found.append((float(match.group(1)), _holder(blank, match.start(), match.end())))
    return found


def _holder(text: str, start: int, end: int) -> frozenset[str]:
    """What holds the words at text[start:end]: the Latin words and Chinese bigrams of its clause within
    HOLDER_CHARS on each side, but mere particles."""
    before, after = max(0, start - HOLDER_CHARS), end + HOLDER_CHARS
    while before and text[before - 1].isascii() and (text[before - 1].isalnum() or text[before - 1] == "_"):
        before -= 1  # a Latin word whole ("d_ff 设成 1024")
    # Within its clause: what the clause before or after says holds something else.
    left, right = CLAUSE_MARK.split(text[before:start])[-1], CLAUSE_MARK.split(text[end:after])[0]
    around = (left + " " + right).lower()
    return frozenset(piece for chunk in re.findall(r"[a-zα-ω_]+|[\u4e00-\u9fff]+", around)
                     for piece in ([chunk] if not CJK_CHAR.match(chunk)
                                   else [chunk[i : i + 2] for i in range(len(chunk) - 1)])
                     if not set(piece) <= _LOOSE_NEIGHBOURS)


def gives_another_plain_value(reference: str, clause: str, answer: str,
                              others: frozenset[tuple[float, str]] = frozenset()) -> bool:
    """The clause gives a plain value where the point gives another, held by the same words ("激活按 1×32"
    for "激活 1×128 块", "group size 4096" for "group size 128", "大概是 4·L·d" for "约 12·L·d²"), none of
    the point's, and the point's value is said nowhere in the answer, in any unit ("8192 个 token" gives
    "8K 序列"). A value another point of the rubric gives is that point's."""
    wanted = _plain_holders(reference)
    if not wanted:
        return False
    wanted_values = [value for value, _ in wanted]
    theirs = [value for value, unit in others if not unit]
    given = _plain_holders(clause)
    if any(_near(value, wanted_values) for value, _ in given) or not any(
            not _near(value, theirs) and any(holder & own for _, own in wanted) for value, holder in given):
        return False
    return not any(_near(value, wanted_values) for value, _ in _spoken_numbers(_blanked(answer)))


# A value as a list gives it: a number, a block shape ("1×128"), maybe a unit ("38.5GB", "12Ψ"); not the
# number of a name ("ZeRO-1", "Llama 3" are names).
VALUE = re.compile(r"(?<![A-Za-z\d.\-_])(?<![A-Za-z] )\d+(?:\.\d+)?(?:\s*[×xX*]\s*\d+(?:\.\d+)?)?"
                   r"\s*(?:gb|mb|tb|ψ|%|倍|字节|bit)?", re.I)
VALUE_HOLDER_PIECES = 1  # what a holder must share with the reference's to be read as the same one ("梯度")


def _value_bindings(text: str) -> list[tuple[str, frozenset[str]]]:
    """Per segment of a list ("参数 2Ψ、梯度 2Ψ、优化器状态 12Ψ") holding one value: the value and what
    holds it, the segment's other pieces (bigrams, Latin words, the digits of names)."""
    found = []
    for start, end in clause_spans(text, BINDING_MARK):
        segment = text[start:end]
        values = [re.sub(r"\s+", "", match.group()).lower().replace("x", "×").replace("*", "×")
                  for match in VALUE.finditer(segment)]
        if len(values) == 1:
            holder = VALUE.sub(" ", segment).lower()
            found.append((values[0], frozenset(_segment_pieces(holder) | set(re.findall(r"[a-z]+|\d+", holder)))))
    return found


def values_exchanged(reference: str, candidate: str) -> bool:
    """The candidate gives two of the reference's values to each other's holders: "ZeRO-1 每卡 14GB，ZeRO-3
    反而 38.5GB" against "ZeRO-1 约 38.5GB、ZeRO-3 约 14GB", "梯度 12Ψ、优化器状态 2Ψ" against "梯度 2Ψ、
    优化器状态 12Ψ". A value is given to another's holder when what holds it in the candidate shares more
    with the reference's holder of another value than with any holder of its own; both ways round, or it
    is one wrong number, not an exchange."""
    ref = _value_bindings(reference)
    if len({value for value, _ in ref}) < 2:
        return False
    given: set[tuple[str, str]] = set()  # (the reference's value of that holder, the value given it)
    for value, holder in _value_bindings(candidate):
        own = [len(holder & pieces) for ref_value, pieces in ref if ref_value == value]
        if not own:
            continue
        overlap, taken = max((len(holder & pieces), ref_value) for ref_value, pieces in ref if ref_value != value)
        if overlap >= VALUE_HOLDER_PIECES and overlap > max(own):
            given.add((taken, value))
    return any((value, taken) in given for taken, value in given)


def other_subject(claim: str, clause: str, context: str = "", extra: tuple[tuple[str, ...], ...] = ()) -> bool:
    """The clause speaks of another side of a contrast pair than the claim does: "PPO 要先训奖励模型"
    is not the wrong claim "DPO 也要先训奖励模型", and "BN 对 batch 维度归一化" is not "LN 对 batch 维度
    归一化". Where the clause names no side of a pair its claim names, its sentence (`context`) is read."""
    claim_found = mentions(claim, extra)
    # A side named as what is compared with ("比 PPO 简单") is not what the clause speaks of.
    clause_found = [m for m in mentions(clause, extra) if not m.compared]
    context_found = [m for m in mentions(context, extra) if not m.compared] if context else []
    for group in {m.group for m in claim_found}:
        claim_sides = {m.side for m in claim_found if m.group == group}
        if len(claim_sides) != 1:
            continue  # the claim compares the sides itself ("DPO 和 PPO 一样…")
        sides = {m.side for m in clause_found if m.group == group} or {
            m.side for m in context_found if m.group == group}
        if sides and not sides & claim_sides:
            return True
    return False


# Finer than clauses for role bindings: a list joined by "、" ("一份验证、其余训练") and the steps of a
# sequence ("先调用 iter() 再调用 next()") each bind their own words.
BINDING_MARK = re.compile(r"[，,；;。！？!?：:\n、]+|(?<=[A-Za-z0-9)])\.(?=\s|$)|(?=再|然后|接着|最后|之后再)")
# Words that order steps: shared by both texts, they bind like any other word ("先 … 再 …").
ORDER_WORDS = ("首先", "先", "再", "然后", "接着", "最后")


Bindings = tuple[dict[str, frozenset[int]], set[str]]  # word -> its segments; words opening one


def _binding_segments(text: str, words: Sequence[str], fine: bool) -> Bindings:
    """The segments (clauses, or the finer segments) each word is said in, not counting where it is
    only part of a longer shared word ("iter" in "StopIteration"); and the words that open their
    segment (its subject, mostly). Words said in more than two segments are left out: they bind to
    nothing in particular."""
    spans = clause_spans(text, BINDING_MARK if fine else CLAUSE_MARK)

    def segment(position: int) -> int:
        return next((index for index, (left, right) in enumerate(spans) if left <= position < right), -1)

    found = {word: [(p, p + len(word)) for p in _positions(text, word)] for word in words}
    where: dict[str, frozenset[int]] = {}
    first: dict[int, tuple[int, str]] = {}
    for word, places in found.items():
        longer = [place for other, others in found.items() if len(other) > len(word) for place in others]
        own = [(p, segment(p)) for p, end in places if not any(left <= p and end <= right for left, right in longer)]
        own = [(position, index) for position, index in own if index >= 0]  # not on a mark
        segments = frozenset(index for _, index in own)
        if 0 < len(segments) <= 2:
            where[word] = segments
        for position, index in own:
            first[index] = min(first.get(index, (position, word)), (position, word))
    return where, {word for _, word in first.values()}


def _latin(word: str) -> bool:
    return not CJK_CHAR.search(word)


def exchanged(reference: str, candidate: str, shared: Iterable[str], strict: bool = False) -> bool:
    """Two things trade what is said about them: the reference binds a with c and b with d (each pair
    in its own clause), the candidate a with d and b with c ("Causal LM 每个位置都算损失；Prefix LM 只在
    生成部分算" against "Prefix LM 每个位置都算损失；Causal LM 只在生成部分算"). Needs no list of
    contrast pairs: any words the two texts share can trade places."""
    return _exchanged(reference, candidate, tuple(shared), strict)


# Features and the trade rule ask it of the same point and unit.
@lru_cache(maxsize=4096)
def _exchanged(reference: str, candidate: str, shared: tuple[str, ...], strict: bool) -> bool:
    words = [word for word in shared if len(word) > 1 or not CJK_CHAR.match(word)]
    words += [word for word in ORDER_WORDS if word in reference and word in candidate and word not in words]
    if len(words) < 4:
        return False
    openers = _openers(reference, words) & _openers(candidate, words)
    for fine in (False, True):
        left = _binding_segments(reference, words, fine)
        right = _binding_segments(candidate, words, fine)
        if _traded(left, right, [word for word in words if word in left[0] and word in right[0]], openers, strict):
            return True
    return False


# What may stand before the word a clause opens with: fillers and turns, nothing said of anything.
OPENING_FILLER = re.compile(r"(?:\s|嗯|啊|然后|而且|而|那么|那|但是|但|其实|就是|所以|另外)*")


def _openers(text: str, words: Sequence[str]) -> set[str]:
    """The words a clause of `text` opens with, after nothing but a filler ("然后 SFT…")."""
    found = set()
    for start, end in clause_spans(text):
        clause = text[start:end].lower()
        lead = OPENING_FILLER.match(clause)
        assert lead is not None  # a starred group matches the empty string
        # Not a filler itself ("就是" is shared by half the answers) nor a one-letter symbol ("x", "β").
        placed = [(positions[0], word) for word in words
                  if len(word) > 1 and not OPENING_FILLER.fullmatch(word) and (positions := _positions(clause, word))]
        # One character may lead into the word itself ("预训练" holds the shared "训练").
        if placed and min(placed)[0] - lead.end() <= 1:
            found.add(min(placed)[1])
    return found


def _traded(left: Bindings, right: Bindings, common: list[str], openers: set[str], strict: bool = False) -> bool:
    """Some first–second and b–d are bound in the reference (and first–d, b–second not), the other way
    round in the candidate. `openers`: the words opening a clause in both texts; `strict`, only they
    trade (not two items of a list, "优化器状态、梯度、参数")."""
    if len(common) < 4:
        return False
    (left_where, left_leads), (right_where, right_leads) = left, right

    def bound(where: dict[str, frozenset[int]], x: str, y: str) -> bool:
        return bool(where[x] & where[y])

    def parallel(x: str, y: str) -> bool:
        """Alike (two model names, 先/再) and each opening its clause in one of the texts, or unlike
        ("预训练" / "SFT") but opening clauses in both: what tells two things trading roles from a
        sentence merely built another way."""
        return {x, y} <= openers or (not strict and _latin(x) == _latin(y)
                                     and ({x, y} <= left_leads or {x, y} <= right_leads))

    pairs = [(x, y) for i, x in enumerate(common) for y in common[i + 1:] if bound(left_where, x, y)]
    for i, (a, c) in enumerate(pairs):
        for b, d in pairs[i + 1:]:
            if len({a, b, c, d}) < 4:
                continue
            for first, second in ((a, c), (c, a)):
                # The bindings first: cheap set tests that rule out almost every pair.
                if (bound(right_where, first, d) and bound(right_where, b, second)
                        and not bound(right_where, first, second) and not bound(right_where, b, d)
                        and not bound(left_where, first, d) and not bound(left_where, b, second)
                        and (parallel(first, b) or parallel(second, d))):
                    return True
    return False


# What a name binds: the words after it in its clause, up to the next name of its family, within this many
# characters ("Pre-LN 的训练稳定性", "sys.path 查找模块").
BINDING_CHARS = 14
# ... at least this many of the point's words: one shared word is a word in passing.
BINDING_MIN_WORDS = 2
# Two names side by side ("ZeRO-1 和 ZeRO-2 跟数据并行一样") are said of together, neither instead of the other.
NAMES_JOINED = re.compile(r"\s*(?:和|与|、|跟|及|或|/|,|，)\s*")


def _name_spans(text: str, name: str) -> list[tuple[int, int]]:
    return [(start, start + len(name)) for start in _positions(text, name)]


# A word made of both characters of an antonym pair ("多少", "大小") says neither.
_PAIR_WORD = re.compile("|".join(f"{a}{b}|{b}{a}" for a, b in ANTONYM_CHARS))


def _said_after(text: str, span: tuple[int, int], stops: Sequence[int], words: Iterable[str],
                clauses: Sequence[tuple[int, int]], whole_sentence: bool = False
                ) -> tuple[frozenset[str], tuple[int, int]]:
    """The words said of the name at `span`: after it in its clause (of `clauses`; with `whole_sentence`,
    clauses are sentences), up to the next of `stops` (where its family's names stand), and the stretch
    they were read in."""
    clause = _clause_of(span[0], clauses) or (0, len(text))
    reach = [clause[1], *(stop for stop in stops if stop > span[0])]
    if not whole_sentence:
        reach.append(span[1] + BINDING_CHARS)
    end = min(reach)
    stretch, plain = text[span[1] : end], _PAIR_WORD.sub("  ", text[span[1] : end])
    # A single antonym character counts on its own, not inside "多少" or "大小".
    return frozenset(word for word in words if word in (stretch if len(word) > 1 else plain)), (span[1], end)


def _polarity_of(stretch: str) -> int:
    """Negations and bad verdicts ("稳定性较差") of a stretch, by parity: what it says of its name either
    way."""
    return (negation_count(stretch) + len(NEGATIVE_EVALUATION.findall(stretch))) % 2


def said_of_a_sibling(reference: str, candidate: str, families: tuple[tuple[str, frozenset[str]], ...],
                      words: Iterable[str]) -> bool:
    """What the reference says right after one name, the candidate says after a sibling of that name and
    not after the name itself: "兼具 Pre-LN 的效果和 Post-LN 的训练稳定性" against "兼具 Post-LN 的效果和
    Pre-LN 的训练稳定性", "按 sys.modules 查找模块" against "按 sys.path 查找模块", "重置门决定保留多少旧
    状态" against "更新门决定保留多少旧状态". `families`: per name the rubric speaks of, its siblings.
    What is said of the sibling must hold a word the reference says of the name and not of the sibling
    ("计算一致" for LN, not "训练推理" both have), and be said plainly: with the reference's polarity (not
    "ORM 信号并不密集", "Post-LN 训练稳定性较差"), without the antonym of one of those words ("放在子层
    后面" against "前面"), not of a name compared with ("不像 ORM 那样") nor of two names side by side."""
    return _said_of_a_sibling(reference, candidate, families, frozenset(words))


# Features and the trade rule ask it of the same point and unit.
@lru_cache(maxsize=4096)
def _said_of_a_sibling(reference: str, candidate: str, families: tuple[tuple[str, frozenset[str]], ...],
                       words: frozenset[str]) -> bool:
    left, right = reference.lower(), candidate.lower()
    # Single characters of an antonym pair are predicates too ("低维旋转快、高维旋转慢").
    vocabulary = [word.lower() for word in words if len(word) > 1] + [char for char in _ANTONYM if char in left]
    left_clauses, right_clauses = clause_spans(left), clause_spans(right)
    right_sentences = clause_spans(right, SENTENCE_MARK)
    right_negated = negated_spans(right)
    for name, siblings in families:
        own_spans = _name_spans(left, name)
        if not own_spans or not any(_positions(right, sibling) for sibling in siblings):
            continue
        family = (name, *siblings)
        content = [word for word in vocabulary if not any(word in member or member in word for member in family)]
        left_stops = sorted(start for member in family for start, _ in _name_spans(left, member))
        right_names = sorted((span, member) for member in family for span in _name_spans(right, member))
        right_stops = [start for (start, _), _ in right_names]
        readings = [_said_after(left, span, left_stops, content, left_clauses) for span in own_spans]
        bound = frozenset().union(*(found for found, _ in readings))
        theirs = frozenset().union(*(_said_after(left, span, left_stops, content, left_clauses)[0]
                                     for sibling in siblings for span in _name_spans(left, sibling)))
        telling = bound - theirs
        if len(bound) < BINDING_MIN_WORDS or not telling:
            continue
        polarities = {_polarity_of(left[start:end]) for _, (start, end) in readings}
        # An antonym the point says itself ("保留多少旧状态、写入多少新候选状态") tells nothing apart.
        opposites = {_ANTONYM[char] for word in bound if len(word) == 1 or not _PAIR_WORD.search(word)
                     for char in word if char in _ANTONYM} - set(left)
        kept = max((len(_said_after(right, span, right_stops, content, right_sentences, whole_sentence=True)[0]
                        & bound) for span in _name_spans(right, name)), default=0)
        for index, (span, member) in enumerate(right_names):
            if member == name:
                continue
            # Two names side by side: the neighbour in the text, joined by a conjunction.
            neighbours = [right_names[k] for k in (index - 1, index + 1) if 0 <= k < len(right_names)]
            joined = any(other != member and (NAMES_JOINED.fullmatch(right[other_span[1] : span[0]])
                                              or NAMES_JOINED.fullmatch(right[span[1] : other_span[0]]))
                         for other_span, other in neighbours)
            if joined or _compared(right, *span) or _inside(span[0], right_negated):
                continue
            given, (start, end) = _said_after(right, span, right_stops, content, right_clauses)
            stretch = right[start:end]
            unpaired = _PAIR_WORD.sub("", stretch)
            if _polarity_of(stretch) not in polarities or any(char in unpaired for char in opposites):
                continue
            overlap = len(given & bound)
            if (overlap >= BINDING_MIN_WORDS and overlap >= len(bound) / 2 and overlap > kept
                    and given & telling):
                return True
    return False
