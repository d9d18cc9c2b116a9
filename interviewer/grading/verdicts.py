"""Per key point: stated, contradicted or absent, from signals combined by a small fitted model.

The signals for one key point and the answer's best-matching unit are similarity (calibrated), lexical
evidence, negation scope, contrast-pair swaps, numbers / units / formulas, the point's known
misconceptions and, for project / behavioural / opening points, the content detectors. A multinomial
logistic regression fitted by `benchmarks/fit_calibration.py` on labelled (key point, excerpt, verdict)
items turns them into the three probabilities; its coefficients live in `data/verdict_model.json`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, model_validator

from interviewer.grading import signals
from interviewer.grading.detectors import Finding
from interviewer.grading.models import Verdict

VERDICT_MODEL_PATH = Path(__file__).parent / "data" / "verdict_model.json"
CLASSES: tuple[Verdict, ...] = ("stated", "contradicted", "absent")
FEATURES: tuple[str, ...] = (
    "similarity",  # calibrated similarity of the best unit to the point (or an alias)
    "lexical",  # share of the point's terms the unit uses (1 for an alias)
    "sim_x_lex",
    "negation_mismatch",  # shared words negated in one text and not in the other (0/1)
    "negation_share",  # ... as a share of the shared words compared
    "negation_clause",  # the best-matching clauses differ in negation (parity)
    "swap",  # shared words said about the other side of a contrast pair, or two things trading places
    "swap_agree",  # shared words said about the same side
    "substituted",  # the point names one side of a pair, the answer only another
    "number_conflict",  # a different value in a unit the point uses
    "number_support",  # share of the point's numbers stated
    "formula_conflict",  # √d_k against d_k
    "plain_number_conflict",  # plain numbers on both sides, none in common
    "misconception",  # similarity to a known wrong claim about this point, said with its polarity
    "structural",  # the point is a project / behavioural / opening point
    "detected",  # share of the content kinds the structural point asks for that the answer contains
    "contra_x_sim",  # similarity × (negation mismatch or swap or number conflict): opposite claims on topic
    "structural_x_similarity",  # structure points match answers differently from knowledge points
    "structural_x_lexical",
    "has_wrong_claims",  # the point carries authored wrong claims (the next four are 0 without them)
    "wrong_similarity",  # calibrated similarity of the unit to the nearest of the point's wrong claims
    "wrong_margin",  # raw similarity to that wrong claim minus raw similarity to the point itself
    "wrong_distinctive",  # share of the pieces only that wrong claim has (not the point) the unit uses
    "point_distinctive",  # share of the pieces only the point has (not that wrong claim) the unit uses
    "wrong_negated",  # the unit negates that wrong claim ("并不需要…"): evidence for the point
    "wrong_projection",  # where the unit lies on the line from the point to that wrong claim (0 point, 1 claim)
    "wrong_support",  # positive margin or distinctive words, not negated: the unit says the wrong claim
)


# The features that come from a point's authored wrong claims: all 0 for a point without them (a custom
# question's derived rubric, a project point), which the model must also grade well.
WRONG_CLAIM_FEATURES = ("has_wrong_claims", "wrong_similarity", "wrong_margin", "wrong_distinctive",
                        "point_distinctive", "wrong_negated", "wrong_projection", "wrong_support")


def without_wrong_claims(rows: np.ndarray) -> np.ndarray:
    """The rows as they would read if the points had no wrong claims."""
    stripped = np.array(rows, dtype=np.float64, copy=True)
    stripped[:, [FEATURES.index(name) for name in WRONG_CLAIM_FEATURES]] = 0.0
    return stripped


class VerdictModel(BaseModel):
    """Softmax regression over FEATURES (standardised by mean / scale) into CLASSES."""

    model_config = ConfigDict(extra="forbid")

    features: list[str]
    classes: list[str]
    mean: list[float]
    scale: list[float]
    coef: list[list[float]]  # classes × features
    intercept: list[float]
    # Added to the contradicted log-odds: set on the training folds so that at most ~5% of correct
    # statements are called contradicted.
    contradiction_bias: float = 0.0
    fitted_on: int = Field(ge=0)
    held_out: dict[str, float] = Field(default_factory=dict)
    # Project / behavioural / opening points are fitted apart: they are met by the candidate's own story
    # (concrete content, no list of wrong claims), and sharing weights with knowledge points, whose
    # evidence is wording and polarity, made strong stories read as absent. None: one model for all.
    structural: VerdictModel | None = None

    @model_validator(mode="after")
    def _shape(self) -> VerdictModel:
        if tuple(self.features) != FEATURES or tuple(self.classes) != CLASSES:
            raise ValueError("verdict model was fitted on other features or classes; re-run fit_calibration.py")
        if len(self.coef) != len(CLASSES) or any(len(row) != len(FEATURES) for row in self.coef):
            raise ValueError("verdict model coefficients have the wrong shape")
        return self

    @classmethod
    def untrained(cls) -> VerdictModel:
        """All-zero coefficients: what the fit script grades with before it has fitted anything."""
        width = len(FEATURES)
        return cls(features=list(FEATURES), classes=list(CLASSES), mean=[0.0] * width, scale=[1.0] * width,
                   coef=[[0.0] * width for _ in CLASSES], intercept=[0.0] * len(CLASSES), fitted_on=0)

    def _logits(self, rows: np.ndarray) -> np.ndarray:
        x = (rows - np.asarray(self.mean)) / np.asarray(self.scale)
        return np.asarray(x @ np.asarray(self.coef).T + np.asarray(self.intercept))

    def probabilities(self, rows: np.ndarray) -> np.ndarray:
        logits = self._logits(rows)
        if self.structural is not None:
            mask = rows[:, FEATURES.index("structural")] > 0.5
            if mask.any():
                logits[mask] = self.structural._logits(rows[mask])
        logits[:, CLASSES.index("contradicted")] += self.contradiction_bias
        logits -= logits.max(axis=1, keepdims=True)
        exp = np.exp(logits)
        return np.asarray(exp / exp.sum(axis=1, keepdims=True))


def load_verdict_model(path: Path = VERDICT_MODEL_PATH) -> VerdictModel:
    return VerdictModel.model_validate_json(path.read_text(encoding="utf-8"))


# What a structural point asks for, read from its wording: the detector kinds that satisfy it.
STRUCTURAL_NEEDS: tuple[tuple[re.Pattern[str], frozenset[str]], ...] = (
    (re.compile(r"量化|数值|数据说明|指标提升|效果|收益|成效|最终|上线情况"),
     frozenset({"comparison", "number", "result", "star_result"})),
    (re.compile(r"基线|对比"), frozenset({"comparison", "baseline"})),
    (re.compile(r"指标"), frozenset({"metric"})),
    (re.compile(r"底座|模型的名称|参数规模|模型名称"), frozenset({"model", "model_size"})),
    (re.compile(r"资源|几张|卡|时长|多久"), frozenset({"hardware", "duration"})),
    (re.compile(r"性能|延迟|吞吐|QPS", re.I), frozenset({"metric", "number"})),
    (re.compile(r"数据来源|来源|数据构造|怎么来的"), frozenset({"data_source"})),
    (re.compile(r"数据规模|规模多大|条数|token 数"), frozenset({"data_size"})),
    (re.compile(r"问题|难题|困难|痛点|根因|原因|表现"), frozenset({"cause"})),
    (re.compile(r"解决|修复|方案|措施|改进|应对"), frozenset({"fix", "star_action"})),
    (re.compile(r"背景|经历|事例"), frozenset({"star_situation"})),
    (re.compile(r"行动|做法|具体路径"), frozenset({"star_action"})),
    (re.compile(r"结果|成长"), frozenset({"star_result", "result"})),
)


# Evidence kinds a detector reports under another name.
EVIDENCE_FINDINGS: dict[str, frozenset[str]] = {"action": frozenset({"star_action"})}


def structural_needs(point_text: str, evidence: Sequence[Sequence[str]] = ()) -> list[frozenset[str]]:
    """What meets a structural point: its authored evidence groups; for a point without them (a custom
    question's derived rubric), what its wording asks for."""
    if evidence:
        return [frozenset(kind for name in group for kind in EVIDENCE_FINDINGS.get(name, frozenset({name})))
                for group in evidence]
    return [kinds for pattern, kinds in STRUCTURAL_NEEDS if pattern.search(point_text)]


def detected_share(needs: Sequence[frozenset[str]], findings: Sequence[Finding]) -> tuple[float, Finding | None]:
    """How many of the point's needs the answer's findings meet, and the finding to quote."""
    if not needs:
        return 0.0, None
    kinds = {finding.kind for finding in findings}
    met = [need for need in needs if need & kinds]
    quote = next((finding for need in met for finding in findings if finding.kind in need), None)
    return len(met) / len(needs), quote


ENGLISH_STOP = frozenset({"the", "a", "an", "is", "are", "was", "were", "be", "to", "of", "in", "on", "at", "by",
                          "for", "with", "and", "or", "it", "its", "this", "that", "as", "can", "will", "does", "do",
                          "which", "when", "from", "into", "than", "then", "so"})


@dataclass(frozen=True)
class WrongClaimEvidence:
    """How close one answer unit comes to the nearest of a key point's authored wrong claims."""

    similarity: float = 0.0  # calibrated
    margin: float = 0.0  # raw similarity to the wrong claim minus raw similarity to the point
    distinctive: float = 0.0
    point_distinctive: float = 0.0
    projection: float = 0.0
    negated: bool = False
    present: bool = False  # the point has wrong claims at all


PIECE = re.compile(r"[\u4e00-\u9fff]+|[A-Za-z]+|\d+(?:\.\d+)?|[+\-−×/√^<>≤≥=%]")


# Bigrams of connectives and fillers ("因为", "就是", "的话", the copula before a verb in "CBOW 是用…"): what
# any sentence says them with, so they tell no wrong claim from its point ("快主要是因为 IO" is no sign of
# the claim "快是因为减少了 FLOPs").
FILLER_PIECES = frozenset({
    "因为", "是因", "所以", "但是", "就是", "也就", "可以", "这个", "那个", "一个", "主要", "要是", "其实", "然后",
    "如果", "的话", "还是", "只是", "这样", "那么", "什么", "怎么", "我们", "它们", "时候", "的时", "一下", "一般",
    "通常", "比如", "例如", "而且", "并且", "或者", "的是", "是在", "在于", "就能", "才能", "也是", "都是", "有点",
    "是用"})


def pieces(text: str) -> frozenset[str]:
    """What two close wordings differ by: Chinese character bigrams (single characters for one-character
    runs), Latin words, numbers and operators. Bigrams, not a tokenizer's words, because a wrong claim
    differs from its point by a character or two (最多/最低, 之前/之后) that segmentation may swallow."""
    found: set[str] = set()
    for match in PIECE.finditer(text.lower()):
        run = match.group()
        if "\u4e00" <= run[0] <= "\u9fff" and len(run) > 1:
            found.update(run[i : i + 2] for i in range(len(run) - 1))
        else:
            found.add(run)
    return frozenset(found - FILLER_PIECES)


def _share(wanted: frozenset[str], have: frozenset[str]) -> float:
    return len(wanted & have) / len(wanted) if wanted else 0.0


def wrong_claim_evidence(claims: Sequence[str], claim_pieces: Sequence[frozenset[str]], point_pieces: frozenset[str],
                         raw: np.ndarray, calibrated: np.ndarray, point_raw: float, unit_text: str,
                         unit_terms: set[str], question_pieces: frozenset[str] = frozenset(),
                         projections: np.ndarray | None = None, point_text: str = "",
                         contrasts: tuple[tuple[str, ...], ...] = ()) -> WrongClaimEvidence:
    """The wrong claim a unit leans to most: by what it shares with the claim and not with the point (and
    the reverse), then by similarity. Embeddings barely separate a point from its near-copy opposite
    ("频率最高" / "频率最低"); the pieces they differ by do. The question's own words ("KV cache") are the
    subject of both, so they tell neither apart. `projections`: per claim, where the unit's vector lies
    between the point's (0) and the claim's (1)."""
    if not claims:
        return WrongClaimEvidence()
    unit_pieces = pieces(unit_text)
    wrong_shares = np.array([_share(own - point_pieces - question_pieces, unit_pieces) for own in claim_pieces])
    point_shares = np.array([_share(point_pieces - own - question_pieces, unit_pieces) for own in claim_pieces])
    nearest = int(np.argmax(wrong_shares - point_shares + raw))
    claim = claims[nearest]
    shared = signals.anchors(claim, unit_text, [p for p in claim_pieces[nearest] if len(p) > 1], unit_terms,
                             ENGLISH_STOP)
    polarity = signals.polarity(claim, unit_text, shared, contrasts, unit_terms)
    negated = polarity.mismatched > 0 if polarity.anchors else False
    # A wrong claim that swaps the point's sides uses the point's own words: the unit says the opposite
    # of the claim when it ties them to the point's sides, not the claim's ("BERT 更擅长分类…，GPT 擅长
    # 生成" against "BERT 更擅长生成，GPT 更擅长分类"). Both ties are checked: one word tied to another
    # side ("直接推理" against "不需要训练就能直接扩") is too often a generic word.
    departs = False
    if point_text:
        against_claim = signals.swaps(claim, unit_text, shared, contrasts)
        point_shared = signals.anchors(point_text, unit_text, [p for p in point_pieces if len(p) > 1], unit_terms,
                                       ENGLISH_STOP)
        with_point = signals.swaps(point_text, unit_text, point_shared, contrasts)
        departs = ((against_claim.swapped > max(1, against_claim.agree) and with_point.agree > with_point.swapped)
                   or signals.takes_points_side(point_text, claim, unit_text, contrasts)
                   # "DPO 不需要奖励模型" is not the claim "PPO 不需要奖励模型"
                   or signals.other_subject(claim, unit_text, extra=contrasts)
                   # "Chain 的流程是写死的，…Agent 是让模型自己决定" trades the roles of the claim "Agent 的
                   # 流程是写死的，Chain 才是模型动态决策", and not those of the point
                   or (signals.exchanged(claim, unit_text, shared)
                       and not signals.exchanged(point_text, unit_text, point_shared))
                   # "越小分布越尖" against the claim "τ 越大分布越尖锐"
                   or (signals.says_antonym(claim, unit_text) and not signals.says_antonym(point_text, unit_text)))
    negated = negated or departs
    return WrongClaimEvidence(similarity=float(calibrated[nearest]), margin=float(raw[nearest]) - point_raw,
                              distinctive=float(wrong_shares[nearest]), point_distinctive=float(point_shares[nearest]),
                              projection=0.0 if projections is None else float(np.clip(projections.max(), -1.0, 2.0)),
                              negated=negated, present=True)


@dataclass(frozen=True)
class PointContext:
    """What one key point brings to the comparison, prepared once per rubric."""

    text: str
    terms: frozenset[str]
    contrasts: tuple[tuple[str, ...], ...]
    structural: bool
    needs: tuple[frozenset[str], ...]
    subject: str | None = None  # the word the point opens with: what it says something of
    # The names the rubric speaks of, each with its siblings (see attribution.name_families).
    families: tuple[tuple[str, frozenset[str]], ...] = ()
    # The values the rubric's other points give, with their units: an answer giving one of them ("权重约
    # 16GB") speaks of that point, not against this one ("剩约 50GB").
    others_values: frozenset[tuple[float, str]] = frozenset()


@dataclass(frozen=True)
class SwapReading:
    """How a unit binds a point's words to the sides of its pairs and names."""

    pairs: signals.SwapResult  # shared words said about the same or the other side of a contrast pair
    # Bound to the other side firmly enough that a close paraphrase's similarity must not outweigh it.
    firm: bool
    level: float  # the "swap" feature: 1, 0.5 for one shared word on the other side, or 0


def read_swap(point: PointContext, unit_text: str, unit_terms: set[str],
              shared: Sequence[str] | None = None) -> SwapReading:
    """Firm: two or more shared words said about the other side of a pair, two things trading places or
    values, what the point says of its subject said of another ("交叉注意力才是…") or of a sibling, an
    ordered relation reversed, a "越…越" correlation turned round, or the antonym by segment and by
    neighbour both ("噪声…是期望泛化误差的上界"). One antonym reading alone counts as a swap in the feature
    row but is not firm: "召回之后也不是直接用" holds 后 beside "检索前", "不能只喂新任务" denies the 新 it
    says. One shared word said about the other side ("权重" in "L1 把权重压到 0" against an L2 point) is
    weak evidence, mostly a generic word both sides use: half weight."""
    if shared is None:
        shared = signals.anchors(point.text, unit_text, point.terms, unit_terms, ENGLISH_STOP)
    pairs = signals.swaps(point.text, unit_text, shared, point.contrasts)
    bindings = signals.antonym_bindings(point.text, unit_text)
    flips = signals.antonym_flips(point.text, unit_text)
    firm = (pairs.swapped > max(1, pairs.agree) or signals.exchanged(point.text, unit_text, shared)
            or signals.values_exchanged(point.text, unit_text)
            or signals.attributed_elsewhere(point.text, unit_text, shared, point.subject)
            or signals.said_of_a_sibling(point.text, unit_text, point.families, point.terms | unit_terms)
            or signals.relation_reversed(point.text, unit_text, point.contrasts)
            or signals.correlation_flipped(point.text, unit_text)
            or signals.comparison_flipped(point.text, unit_text)
            or bindings > 1 or (bindings > 0 and flips > 0))
    level = 1.0 if firm or bindings or flips else 0.5 if pairs.swapped > pairs.agree else 0.0
    return SwapReading(pairs, firm, level)


def features(point: PointContext, unit_text: str, unit_terms: set[str], similarity: float, lexical: float,
             misconception: float, detected: float, wrong: WrongClaimEvidence | None = None) -> list[float]:
    """The feature row for one key point against one answer unit (order of FEATURES)."""
    shared = signals.anchors(point.text, unit_text, point.terms, unit_terms, ENGLISH_STOP)
    polarity = signals.polarity(point.text, unit_text, shared, point.contrasts, unit_terms)
    swap = read_swap(point, unit_text, unit_terms, shared)
    number = signals.number_agreement(point.text, unit_text, point.others_values)
    mismatch = polarity.mismatched > 0
    swapped = swap.level
    contra = max(float(mismatch or number.conflict or number.formula_conflict or polarity.parity_flip), swapped)
    wrong = wrong or WrongClaimEvidence()
    return [
        similarity,
        lexical,
        similarity * lexical,
        float(mismatch),
        polarity.mismatched / polarity.anchors if polarity.anchors else 0.0,
        float(polarity.parity_flip and polarity.anchors > 0),
        swapped,
        float(swap.pairs.agree > 0),
        float(swap.pairs.substituted),
        float(number.conflict),
        number.supported,
        float(number.formula_conflict),
        float(number.plain_conflict),
        misconception,
        float(point.structural),
        detected,
        similarity * contra,
        similarity * float(point.structural),
        lexical * float(point.structural),
        float(wrong.present),
        wrong.similarity,
        wrong.margin,
        wrong.distinctive,
        wrong.point_distinctive,
        float(wrong.negated),
        wrong.projection,
        0.0 if wrong.negated else max(0.0, wrong.margin) + wrong.distinctive - wrong.point_distinctive,
    ]


# A unit that negates a third or more of the words it shares with the point, in the clause that says most
# of them, and holds the negation itself, denies the point outright ("它不依赖 batch 大小", "它其实不会
# 饱和"): the fitted model, leaning on similarity, called such units stated. Chosen on the first round,
# where at this share no unit the authors labelled stated was among them; lower shares took in hedges said
# both ways ("并非越大越好" / "不是说越多就一定越好").
NEGATED_OUTRIGHT_SHARE = 0.3


def denies_outright(point: PointContext, unit_text: str, unit_terms: set[str], row: np.ndarray) -> bool:
    """The unit negates the point itself, not a point holding a negation ("不可约误差") that the unit leaves
    out; or, holding no negation of its own, says plainly what the point denies ("参数少训练自然就快" for
    "参数少不等于训练快"), unless the point's only negations make compounds ("非思考模式")."""
    if not (row[FEATURES.index("negation_mismatch")] and row[FEATURES.index("negation_clause")]):
        return False
    negates = row[FEATURES.index("negation_share")] >= NEGATED_OUTRIGHT_SHARE
    affirms = (not signals.negation_count(unit_text) and not signals.NEGATIVE_WORD.search(unit_text)
               and signals.denies_by_a_word(point.text))
    if not (negates or affirms):
        return False
    shared = signals.anchors(point.text, unit_text, point.terms, unit_terms, ENGLISH_STOP)
    reading = signals.polarity(point.text, unit_text, shared, point.contrasts, unit_terms)
    return (negates and reading.denied > 0) or (affirms and reading.mismatched > reading.denied)


def trades_places(point: PointContext, unit_text: str, unit_terms: set[str]) -> bool:
    """The unit gives what the point binds to one thing to another and back: two things trading roles
    ("预训练用少量指令数据，SFT 用海量无标注文本") or values ("ZeRO-1 每卡 14GB，…，ZeRO-3 反而 38.5GB").
    Every word and value of the point is there, so similarity calls it stated. Only things opening their
    clauses in both texts trade here, not the items of a list ("优化器状态、梯度、参数"): on the labelled
    items such a trade marks a contradiction 26 times in 28. So does what the point says after one name,
    said after its sibling ("兼具 Post-LN 的效果和 Pre-LN 的训练稳定性", `signals.said_of_a_sibling`)."""
    if signals.values_exchanged(point.text, unit_text) or signals.said_of_a_sibling(
            point.text, unit_text, point.families, point.terms | unit_terms):
        return True
    shared = signals.anchors(point.text, unit_text, point.terms, unit_terms, ENGLISH_STOP)
    return signals.exchanged(point.text, unit_text, shared, strict=True)


def decide(model: VerdictModel, rows: np.ndarray) -> list[tuple[Verdict, np.ndarray]]:
    """The verdict for each row and the three probabilities behind it."""
    if not len(rows):
        return []
    probabilities = model.probabilities(rows)
    return [(CLASSES[int(np.argmax(row))], row) for row in probabilities]
