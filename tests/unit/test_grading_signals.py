"""The contradiction signals, the per-grader tokenizer and the verdict vocabulary (no embedding model)."""

from __future__ import annotations

import numpy as np
import pytest

from interviewer.grading import attribution, signals, verdicts
from interviewer.grading.embedding_grader import clause_windows
from interviewer.grading.models import GradeResult, KeyPointGrade
from interviewer.grading.text import Tokenizer
from rubrics.derive import derive_rubric
from rubrics.models import KeyPoint, Misconception, Rubric


def shared(left: str, right: str, tokenizer: Tokenizer) -> list[str]:
    return sorted(tokenizer.terms(left) & tokenizer.terms(right))


@pytest.fixture(scope="module")
def tokenizer() -> Tokenizer:
    return Tokenizer(["奖励模型", "减均值", "均方根", "稀疏解"])


@pytest.mark.parametrize(("point", "answer", "opposite"), [
    ("DPO 不需要显式训练奖励模型", "DPO 跟 PPO 差不多，两者都需要先训练奖励模型", True),
    ("DPO 不需要显式训练奖励模型", "DPO 直接在偏好数据上优化，不用训练奖励模型", False),
    ("DPO 不需要显式训练奖励模型", "DPO 并不是不需要奖励模型", True),  # double negation: it needs one
    ("推理时可把 BA 合并回原权重，没有额外推理延迟", "推理时不能合并回原权重，会有额外延迟", True),
    ("推理时可把 BA 合并回原权重，没有额外推理延迟", "推理前把 BA 合并回原权重，所以没有额外延迟", False),
    ("RMSNorm 去掉了减均值的步骤，只按均方根缩放", "RMSNorm 还是要先减均值，再除以均方根", True),
    ("RMSNorm 去掉了减均值的步骤，只按均方根缩放", "RMSNorm 不减均值，直接用均方根缩放", False),
    # A word said again in another sense is read where the answer speaks to the point.
    ("RMSNorm 去掉了减均值的步骤，只按均方根缩放", "RMSNorm 不减均值了，只用均方根缩放，也就是除以平方的均值开根号",
     False),
    ("RMSNorm 去掉了减均值的步骤，只按均方根缩放", "RMSNorm 还是要减均值，再用均方根缩放，也就是除以平方的均值开根号",
     True),
    ("LoRA freezes the pretrained weights", "LoRA does not freeze the pretrained weights", True),
    ("LoRA freezes the pretrained weights", "LoRA keeps the pretrained weights frozen", False),
    # A negation after its topic says what one before it says.
    ("重计算时不保存中间激活", "重计算就是中间激活不存了，反向时再算一遍", False),
    ("重计算时不保存中间激活", "重计算会把中间激活全部保存下来", True),
    # Said of another side of a pair with the other polarity: the contrast itself, said right.
    ("PPO 需先训练奖励模型，再用强化学习在线采样优化", "DPO 不用单独训奖励模型，相比 PPO 稳定很多，也不用在线采样", False),
    ("DPO 直接用偏好对优化，不需要奖励模型", "DPO 跟 PPO 一样也需要先训练奖励模型", True),
    # A point worded as an absence ("缺少") agrees with a negation of the same thing.
    ("标准 DPO 为离线训练，缺少 PPO 那样的在线探索", "DPO 是离线的，也不用在线采样", False),
    ("标准 DPO 为离线训练，缺少 PPO 那样的在线探索", "DPO 是在线训练，边采样边更新", True),
    # A removal negates its object, not what the clause said before it: the answer does not deny RMSNorm.
    ("LLaMA 用的是标准 LayerNorm 而不是 RMSNorm", "RMSNorm 就是 LayerNorm 去掉减均值那一步，LLaMA 系列都用它", True),
    # A condition ends what its negation covers.
    ("错误在 Agent 之间累积传播，缺少验证时整体成功率下降", "没有校验的话，整体成功率就是各环节成功率相乘", False),
    ("LEFT JOIN 保留左表所有行，右表无匹配时右表列填 NULL", "LEFT JOIN 保留左表的所有行，右表没匹配上的那些列填 NULL", False),
    # An alternative denied and corrected by what the point says ("不是 A，而是 B"); a correction saying
    # less of the point than the denied part still denies it.
    ("MoE 路由按门控打分选出 top-k 个专家", "路由不是随机选，也不是把 token 丢给所有专家，而是打分后只留 top-k", False),
    ("纯滑动窗口淘汰开头 token 会导致困惑度崩溃", "纯滑动窗口的问题不是淘汰开头 token，而是淘汰最近的 token 会让困惑度崩溃",
     True),
    # "X 不像 Y 那样…" says it of Y.
    ("BPE 每次合并出现频次最高的相邻符号对", "WordPiece 不像 BPE 只看频次，它看的是似然增益", False),
    ("Adam 为每个参数自适应调整学习率", "SGD 不像 Adam 那样给每个参数单独调学习率", False),
    ("Adam 为每个参数自适应调整学习率", "Adam 不像 SGD 那样给每个参数单独调学习率", True),
    # Advice against an action, with what doing it causes.
    ("纯滑动窗口淘汰开头 token 会导致困惑度崩溃", "所以纯滑动窗口不能把开头 token 踢掉，否则困惑度会崩", False),
    ("纯滑动窗口淘汰开头 token 会导致困惑度崩溃", "纯滑动窗口把开头 token 踢掉不会让困惑度崩", True),
    # A negated opposite agrees: not dropping rows keeps them, not lowering a weight raises it.
    ("LEFT JOIN 保留左表所有行，右表无匹配时右表列填 NULL", "LEFT JOIN 不会丢左表的行，右表对不上就填 NULL", False),
    ("LEFT JOIN 保留左表所有行，右表无匹配时右表列填 NULL", "LEFT JOIN 不会保留左表所有行，没匹配上的就丢了", True),
    ("AdaBoost 提高错分样本的权重", "AdaBoost 不会降低分错样本的权重，反而是调高", False),
    ("AdaBoost 提高错分样本的权重", "AdaBoost 不会提高分错样本的权重，反而降低", True),
    ("Prefix Decoder 共享一套参数，前缀内双向注意力", "Prefix Decoder 并不是两套参数，前缀和生成共用", False),
    # Preferring one of two things the point names side by side takes neither's side against it.
    ("说明 Base 与 Chat 版本的选择考虑", "选 Chat 版而不是 Base 版，是因为我们只有两万条数据", False),
    ("LN 对单个样本归一化", "LN 是对 batch 归一化而不是对单个样本", True),
    ("BN 和 LN 都有可学习的 γ、β", "BN 有可学习的 γ、β 而不是 LN", True),
    # The clause's subject is what the correction is said of, not what it denies.
    ("GBDT 每一轮拟合损失的负梯度", "GBDT 也不是拟合真实标签，而是拟合负梯度", False),
    ("复读机问题指模型反复输出相同的字、词、句子", "复读机问题不是说模型重复输出内容，而是指模型把用户输入原样复述一遍", True),
    # A negated verdict judges all its clause said before it; said of what the point judges badly, it agrees.
    ("训练阶段用安全数据做 SFT 和 DPO 对齐，让模型学会拒答", "训练阶段用安全数据做 SFT 和 DPO 对齐其实没必要", True),
    # ... as does a verdict that it matters little; what is said not to be large is no such verdict.
    ("用权重衰减、Dropout、早停等正则化，避免过度微调", "权重衰减、Dropout、早停这些正则化用处不大", True),
    ("评估泛化要用独立测试集并排查测试数据泄露", "评估直接用训练集的一部分就行，测试数据泄露影响不大", True),
    ("评估泛化要用独立测试集并排查测试数据泄露", "评估要用独立测试集，测试数据泄露一定要查", False),
    ("LN 对 batch 大小不敏感，小 batch 也能用", "LN 跟 batch 大小关系不大，小 batch 也能用", False),
    ("业务自有数据如日志、文档、工单，往往最有价值", "业务自有数据像日志、文档、工单其实价值不大", True),
    ("召回重在覆盖全和速度快", "召回重在精度，覆盖全不全无所谓", True),
    # An act denied of the object its clause opens with; not a state ("不统一"), nor against a point's own denial.
    ("看输出分布 KL 和答案翻转率，平均分相近不代表行为一致", "输出分布 KL 和答案翻转率我一般不看", True),
    ("使用前核查许可协议和测试集污染", "许可协议和测试集污染一般不用特别核查", True),
    ("不同链和集成的输入键、参数和能力支持不一致", "不同链、不同集成的输入键、参数也不统一", False),
    ("激活重算不保存中间激活，反向时重新前向计算", "前向的时候大部分中间激活不存了", False),
    # A relation denied denies what it is denied with.
    ("可用计划采样等方法缓解曝光偏差", "计划采样主要是用来加速训练的，跟曝光偏差没有关系", True),
    ("LN 不依赖 batch 大小", "LN 跟 batch 大小没什么关系", False),
    ("过拟合指训练集表现好但测试集或新数据上表现差", "过拟合就是训练集上效果很好，一到测试集或者新数据就不行了", False),
    # What the point denies together may be split into the denial's topic and its reach.
    ("KTO 不需要成对数据，只需要单条回答的好坏二元标签", "KTO 最大的特点就是数据上不用成对了", False),
    ("KTO 不需要成对数据，只需要单条回答的好坏二元标签", "KTO 的数据还是要成对，不用单条的标签", True),
])
def test_negation_scope_tells_a_statement_from_its_opposite(tokenizer: Tokenizer, point: str, answer: str,
                                                            opposite: bool) -> None:
    result = signals.polarity(point, answer, signals.anchors(point, answer, tokenizer.terms(point),
                                                             tokenizer.terms(answer)))
    assert result.anchors > 0
    assert (result.mismatched > 0) == opposite


def test_a_negated_compound_denies_nothing_about_its_modifier(tokenizer: Tokenizer) -> None:
    point, answer = "DPO 把奖励隐式表示为策略与参考模型的对数概率比", "DPO 不用单独训奖励模型"
    words = signals.anchors(point, answer, tokenizer.terms(point), tokenizer.terms(answer))
    assert "奖励" in words  # still shared, for which side a word is said of
    assert signals.polarity(point, answer, words, candidate_terms=tokenizer.terms(answer)).mismatched == 0
    assert signals.polarity(point, answer, words).mismatched == 1


def test_clauses_are_compared_with_the_clause_that_says_the_same() -> None:
    point = "DPO 直接用偏好对数据优化，不需要显式奖励模型"
    agreeing = "DPO 不用单独训奖励模型，直接拿 chosen 和 rejected 的偏好对算 loss"
    words = ["dpo", "偏好对", "奖励模型", "直接"]
    assert not signals.polarity(point, agreeing, words).parity_flip
    assert signals.polarity("DPO 不需要显式奖励模型", "DPO 还是需要显式奖励模型", words).parity_flip


@pytest.mark.parametrize(("text", "negations"), [
    ("我记得不是很清楚了", 0), ("具体型号我记不太清了", 0), ("判断是不是语义重复", 0), ("看它有没有用", 0),
    ("差不多 65 个小时", 0), ("MLP 本身不知道顺序", 1), ("它不会饱和", 1),
])
def test_hedges_and_questions_deny_nothing(text: str, negations: int) -> None:
    assert signals.negation_count(text) == negations


def test_a_negation_the_next_clause_corrects_denies_nothing_shared() -> None:
    point = "BN 推理用训练时滑动平均的均值方差，LN 训练推理计算一致"
    words = ["bn", "ln", "推理", "训练"]
    corrected = "BN 推理阶段不用当前 batch，而是用训练时候累计的 running mean，LN 就没这个问题，训练推理算法一样"
    assert not signals.polarity(point, corrected, words).parity_flip
    assert signals.polarity(point, "BN 推理阶段不用训练时候累计的 running mean，LN 训练推理算法一样", words).parity_flip


@pytest.mark.parametrize(("point", "answer", "elsewhere"), [
    ("自注意力的 Q、K、V 来自同一序列，建模序列内部依赖",
     "自注意力是 Q 来自一个序列，K 和 V 来自另一个序列；交叉注意力才是 QKV 都来自同一个序列", True),
    ("top_k 只在概率最高的 k 个 token 中采样", "top_k 是按累计概率取，top_p 才是固定取概率最高的 p 个 token", True),
    ("ChatPromptTemplate 由 system、human、ai 等角色消息模板组成",
     "ChatPromptTemplate 就是一整段字符串；按 system、human、ai 角色分消息的是 PromptTemplate", True),
    # The cleft names the point's own subject, a pronoun or a word of the point: it agrees.
    ("LayerNorm 对单个样本的特征维度做归一化", "BN 是跨样本的，LayerNorm 才是对单个样本的特征维度归一化", False),
    ("用 state_dict 保存模型和优化器的 checkpoint，便于恢复训练", "要用 state_dict 把模型和优化器都存下来，这样才能恢复训练",
     False),
    ("β 大则更保守、接近参考模型", "真正保守、接近参考模型的是 β 大的时候", False),
    # A name the point sets apart from what it says of its subject is something else.
    ("Chain 流程由代码预先固定，区别于由模型动态决策的 Agent",
     "Chain 其实是由模型动态决策下一步调用哪个组件，反而 Agent 才是代码预先固定的流程", True),
    ("Chain 流程由代码预先固定，区别于由模型动态决策的 Agent", "Chain 是代码预先固定的流程，Agent 才是由模型动态决策", False),
    # A turn alone before 才是 names no holder.
    ("Chain 流程由代码预先固定，区别于由模型动态决策的 Agent", "Chain 不靠模型临场决定，反而才是代码预先固定的流程", False),
    # ... but not one the point names beside its subject ("…到约束解码，后者能保证格式合法").
    ("方法由 prompt 加重试、JSON mode 到约束解码，后者能保证格式合法",
     "prompt 加重试并不能保证合法，JSON mode 也不一定符合 schema，真正能保证格式的是约束解码", False),
])
def test_a_cleft_saying_the_point_of_something_else_is_read_as_a_swap(point: str, answer: str, elsewhere: bool) -> None:
    tokenizer = Tokenizer(["自注意力", "交叉注意力", "top_k", "top_p", "ChatPromptTemplate", "PromptTemplate", "约束解码"])
    point_terms = tokenizer.terms(point)
    words = signals.anchors(point, answer, point_terms, tokenizer.terms(answer))
    assert signals.attributed_elsewhere(point, answer, words, signals.subject_of(point, point_terms)) is elsewhere


def test_pretrained_weights_name_a_thing_not_a_training_phase(tokenizer: Tokenizer) -> None:
    point = "LoRA 冻结预训练权重，只训练旁路新增的低秩矩阵"
    answer = "微调时的权重更新是低秩的，所以把原来的大权重冻住，加一个低秩支路，只训这个支路"
    words = signals.anchors(point, answer, tokenizer.terms(point), tokenizer.terms(answer))
    assert signals.mentions("冻结预训练权重") == [] and signals.mentions("预训练用下一个 token 预测")
    assert signals.swaps(point, answer, words).swapped == 0


def test_consistent_or_not_is_a_pair_and_differing_is_no_negation() -> None:
    point, claim = "训练与推理输入分布不一致，会产生曝光偏差", "训练和推理的输入分布是一致的，没有偏差"
    answer = "推理时只能用自己生成的词，训练和推理的输入分布不一样"
    words = ["分布", "推理", "训练", "输入"]
    assert signals.swaps(claim, answer, words).swapped > 1
    assert signals.swaps(point, answer, words).swapped == 0
    assert signals.negated_spans("分布不太一样") == [] and signals.negated_spans("分布不一样") == []


@pytest.mark.parametrize(("text", "negated", "kept"), [
    ("它编出一个根本不存在的论文", "存在", "论文"),  # an attribute: the papers are there, made up
    ("遇到过表格解析不好的问题", "好", "问题"),
    ("KL 约束策略不偏离冻结的参考模型太远", "参考模", None),  # a verb and its object
    ("DPO 不需要显式的奖励模型", "奖励模型", None),
])
def test_a_negated_attribute_does_not_deny_its_head(text: str, negated: str, kept: str | None) -> None:
    spans = signals.negated_spans(text)
    assert any(start <= text.index(negated) < end for start, end in spans)
    if kept is not None:
        assert not any(start <= text.index(kept) < end for start, end in spans)


def test_not_a_but_b_negates_only_a() -> None:
    spans = signals.negated_spans("LayerNorm 不是对 batch 维度，而是对特征维度归一化")
    text = "LayerNorm 不是对 batch 维度，而是对特征维度归一化"
    assert any(start <= text.index("batch") < end for start, end in spans)
    assert not any(start <= text.index("特征") < end for start, end in spans)


@pytest.mark.parametrize("text", ["那为什么不除以 d_k？", "why not divide by d_k?", "why don't we divide by d_k?"])
def test_a_question_about_a_negation_denies_nothing(text: str) -> None:
    assert signals.negated_spans(text) == []


def test_the_point_side_of_a_pair_is_not_the_claims() -> None:
    point, claim = "softmax 按行归一化得到注意力权重", "softmax 是对每一列做归一化的"
    assert signals.takes_points_side(point, claim, "对每一行做 softmax，得到权重")
    assert not signals.takes_points_side(point, claim, "softmax 是按列做的")
    assert not signals.takes_points_side(point, claim, "softmax 之后对 V 加权求和")


def test_what_follows_a_negated_phrase_is_not_negated() -> None:
    text = "PI 不需要任何训练就能直接扩到很长的上下文"
    spans = signals.negated_spans(text)
    assert any(start <= text.index("训练") < end for start, end in spans)
    assert not any(start <= text.index("直接") < end for start, end in spans)


@pytest.mark.parametrize(("point", "answer", "flipped"), [
    ("归一化以后可以用更大的学习率", "归一化以后一般要用更小的学习率", True),
    ("RNN 在长序列上容易梯度消失", "RNN 主要是短序列上容易梯度消失", True),
    ("剪枝后精度下降很小", "剪完以后精度下降很大，基本不能用", True),
    # The same said otherwise, or the antonym negated: no flip.
    ("RNN 在长序列上容易梯度消失", "序列一长，RNN 就容易梯度消失", False),
    ("剪枝后精度下降很小", "剪完以后精度下降并不大", False),
    ("剪枝后精度下降很小", "剪完以后精度下降很小，小模型也能用", False),
    # A pair said as one word names a measure ("前后"), not a side.
    ("最小化量化前后的输出误差", "让量化后的输出和原来尽量接近", False),
])
def test_an_antonym_with_the_same_neighbour_says_the_opposite(point: str, answer: str, flipped: bool) -> None:
    assert (signals.antonym_flips(point, answer) > 0) == flipped


@pytest.mark.parametrize(("point", "answer", "flipped"), [
    ("YaRN 高频维度不插值、低频维度全插值", "YaRN 是高频维度全插值，低频维度保持原样不插值", True),
    ("YaRN 高频维度不插值、低频维度全插值", "YaRN 分段处理：高频维度不插值，低频维度全插值，中间平滑过渡", False),
    ("温度调低输出更确定，调高更多样", "temperature 高一点输出更确定，低一点更多样", True),
    ("温度调低输出更确定，调高更多样", "我一般调 temperature，低一点输出更确定，高一点更多样", False),
    # A fixed word is no side ("大模型"), and a negated antonym agrees.
    ("小模型上 PEFT 可能不如全量微调", "换成大模型以后 PEFT 也可能不如全量微调", False),
    ("在提升效率的同时，任务效果下降很小", "提速的同时任务效果下降并不大", False),
])
def test_a_segment_said_with_the_antonym_says_the_opposite(point: str, answer: str, flipped: bool) -> None:
    assert (signals.antonym_bindings(point, answer) > 0) == flipped


@pytest.mark.parametrize(("point", "answer", "denied"), [
    ("LoRA 冻结原权重，训练低秩旁路 ΔW=BA，可合并无延迟", "这个旁路没法合并回原权重，推理一定会慢一点", True),
    ("换模型后要重新验证 prompt", "换了模型 prompt 直接沿用就行，不用重新验证", True),
    ("Bagging 各模型可并行训练", "Bagging 的模型不能并行训练，得一个接一个来", True),
    # The act said, a point that negates its own modal, an A-not-A question, another act denied.
    ("LoRA 训完可合并，推理无延迟", "训完把 BA 合并回原权重，推理就没有额外延迟", False),
    ("迭代器只能单向遍历一次，不能回退或重置", "迭代器不能回退，也不能重置", False),
    ("LoRA 训完可合并，推理无延迟", "面试官可能会问能不能合并，答案是可以", False),
    ("换模型后要重新验证 prompt", "不需要改代码，但换模型后要重新验证 prompt", False),
    # What follows when the condition fails affirms the condition: a double negation, an "otherwise".
    ("固定输入输出长度、并发和解码参数，保证结果可复现", "解码参数和并发不固定的话，结果是没法复现的", False),
    ("固定输入输出长度、并发和解码参数，保证结果可复现", "要把解码参数固定住，否则没法复现", False),
    ("固定输入输出长度、并发和解码参数，保证结果可复现", "解码参数固定了也没法复现", True),
    # A word holding 时 ("实时", "同时") is no condition.
    ("量化后的模型可部署到边缘设备", "实时性不够，没法部署到边缘设备", True),
    # Unable as the verb's own complement ("合并不了", "是做不了的"); not "不到 1%", not a condition or an
    # attribute ("合并不了再…", "做不了的任务"), not beside another that can.
    ("LoRA 训完可合并，推理无延迟", "LoRA 的旁路其实是合并不了的，推理会慢一点", True),
    ("语义相近的词距离近，可做类比运算", "词向量上这种类比运算是做不了的", True),
    ("LoRA 训完可合并，推理无延迟", "可训练参数不到 1%，训完合并回去就行", False),
    ("能验证就验证，否则用奖励模型打分", "验证不了再用奖励模型打分", False),
    ("BERT 等上下文嵌入可区分多义词", "静态词向量区分不了多义词，BERT 就可以", False),
])
def test_denying_what_the_point_says_can_be_done(point: str, answer: str, denied: bool) -> None:
    assert signals.denies_the_act(point, answer) == denied


@pytest.mark.parametrize(("point", "answer", "denied"), [
    ("用 XSTest、OR-Bench 等测拒答率，并与攻击成功率一起评估", "用 XSTest 测攻击成功率就够了，不需要看拒答率", True),
    ("大模型常用 warmup 加余弦或线性衰减的学习率调度", "大模型一般用恒定学习率，不用 warmup 也不用衰减", True),
    # The point negating the word itself, judging it badly, a particle pair, a longer Latin word, permission.
    ("比 Prefix Tuning 更简单，只在输入层加参数且无需重参数化", "它也不需要重参数化", False),
    ("未微调的 BERT 句向量各向异性，直接算相似度效果差", "没微调过的 BERT 句向量不能直接拿来算相似度", False),
    ("缓存分配器释放张量后把显存留在缓存池复用，不还给驱动", "释放 tensor 后并不会把显存还给驱动", False),
    ("PPO 阶段数据只需 prompt，不需要标注回答", "不需要 prompt-response 对，只要 prompt 就行", False),
    ("用兼容 OpenAI 接口的聚合服务，改模型名即可切换", "聚合服务的接口跟 OpenAI 并不兼容", True),
    # Said of the other side of a pair the point names one side of.
    ("fp16 范围小易溢出，需要 loss scaling", "fp16 容易溢出所以要配 loss scaling，bf16 一般也不用 loss scaling", False),
    ("fp16 范围小易溢出，需要 loss scaling", "fp16 范围小，但一般不用 loss scaling", True),
    ("第一阶段也可以用多任务联合训练的 Adapter", "第一阶段也可以不用单任务 Adapter，直接用多任务的", False),
    # Plain denials and a verb between the cue and the word.
    ("调用 invoke 传入字符串或消息列表，聊天模型返回 AIMessage", "只能传字符串，不能传消息列表，返回的不是 AIMessage", True),
    ("存在幻觉、知识截止、上下文长度有限和推理成本高等局限", "局限主要是推理成本高，它不存在幻觉问题", True),
    ("链的输出常是自由文本，下游难以可靠使用", "链的输出基本都是结构化对象，不会是自由文本", True),
    ("prompt 中明确要求只依据给定 context 回答", "prompt 中不要要求只依据给定 context 回答", True),
    # A contrast the candidate corrects ("不是 A，而是 B"), a hedge on a correlation, the point's words under
    # its own negative predicate ("与当前策略分布不一致").
    ("预训练用海量无标注文本，SFT 用少量高质量指令回答对", "SFT 不是用海量无标注语料，而是少量高质量的指令回答对", False),
    ("评估攻击成功率的同时监控过度拒答", "不是攻击成功率越低就越好，同时也要监控过度拒答", False),
    ("离线 DPO 的偏好数据与当前策略分布不一致，且没有探索", "数据本身是离线的，不是当前策略生成的，分布对不上", False),
    # A relation denied to the point's word; not a relation the point denies itself.
    ("可混入预训练或 SFT 数据做 PTX 损失防遗忘", "混 SFT 数据主要是为了加快收敛，跟防遗忘没什么关系", True),
    ("KV cache 约为 2×层数×KV 头数×头维度×长度×batch×字节数", "KV cache 跟层数没关系，只存最后一层", True),
    ("LN 与 batch 无关", "LN 跟 batch 没关系", False),
    ("LN 对每个样本在特征维上归一化，BN 在 batch 维上归一化", "LN 是在特征维上而不是 batch 维上归一化", False),
    ("推理时用 KV cache 避免重复计算", "推理时不用 KV cache", True),
    ("R1 的 RL 阶段用 GRPO", "R1 用 GRPO，跟 rlhf 没关系", False),
    ("评估攻击成功率的同时监控过度拒答", "并不是攻击成功率越低就越好，同时也要监控过度拒答", False),
    # What the point compares with is not a word it affirms.
    ("用词表嵌入或类别标签词初始化提示，效果优于随机初始化", "初始化最好不要随机，用词表的 embedding 去初始化效果更好", False),
    ("用词表嵌入或类别标签词初始化提示，效果优于随机初始化", "初始化不需要词表嵌入，随机就行", True),
    # The act restricted ("没法…，只能…"), its excess denied where the point warns of excess, "not only".
    ("只能复用从开头完全一致的前缀", "中间相同的片段没法复用，只能从开头完全一致的部分复用", False),
    ("只能复用从开头完全一致的前缀", "前缀缓存没法复用，每次都得重算", True),
    ("上采样重复次数需控制，过多重复会过拟合和记忆", "稀缺数据也不能重复太多遍，不然会过拟合", False),
    ("上采样重复次数需控制，过多重复会过拟合和记忆", "重复次数不需要控制，重复多少遍都不会过拟合", True),
    ("常陷入循环，一直重复直到达到最大生成长度", "它不是重复一两次就完了，一旦开始往往停不下来", False),
    # An adverb between the cue and the word.
    ("每行维护运行中的最大值、指数和", "不需要专门维护最大值，只记指数和", True),
])
def test_denying_a_word_the_point_affirms(point: str, answer: str, denied: bool) -> None:
    assert signals.denies_a_point_word(point, answer) == denied


@pytest.mark.parametrize(("point", "answer", "flipped"), [
    ("向量间距离反映语义相似度，语义越近距离越近", "语义越近，向量距离反而越远", True),
    ("采样温度影响结果，k 越大最优温度越高", "k 越大，最优温度反而越低", True),
    ("系数越大越保守提升越小", "KL 系数越小，越保守", True),
    ("自信息为 -log P(x_t|x_<t)，越容易预测的词信息量越低", "越容易预测的词，信息量越高", True),
    ("参数并非越大越好，需与数据量匹配", "参数肯定是越大越好", True),
    # Both sides turned round state the same correlation; a negation before the cause keeps it.
    ("采样温度影响结果，k 越大最优温度越高", "k 越小，最优温度就越低", False),
    ("参数并非越大越好，需与数据量匹配", "参数不是越大越好，要看数据量", False),
    ("距离越远惩罚越大", "两个 token 距离越远，ALiBi 给的惩罚越大", False),
    # Another thing graded, or a trend ("越来越"), is no correlation of the point's.
    ("K 越大计算开销越大", "数据越多，模型越稳", False),
    ("K 越大计算开销越大", "现在模型越来越大，计算开销越来越小", False),
    # The same correlation said again the other way round; Latin words sharing letters are not one subject.
    ("向量间距离反映语义相似度，语义越近距离越近", "语义越近距离越近，反过来语义越远距离越远，相似度越低", False),
    ("序列越长，KV cache 占用越大", "KV cache 跟序列长度成正比，越长越大，batch 越小能放的越长", False),
])
def test_a_correlation_said_the_other_way_round_is_an_antonym(point: str, answer: str, flipped: bool) -> None:
    assert signals.correlation_flipped(point, answer) == flipped
    if flipped:
        assert signals.says_antonym(point, answer)


@pytest.mark.parametrize(("point", "answer", "swapped"), [
    ("L1 正则倾向产生稀疏解", "L2 正则会产生稀疏解", True),
    ("L1 正则倾向产生稀疏解", "L1 正则会让解变得稀疏", False),
    ("BN 在 batch 维度上归一化，LN 在特征维度上归一化", "LN 在 batch 维度上归一化，BN 在特征维度上归一化", True),
    ("BN 在 batch 维度上归一化，LN 在特征维度上归一化", "LN 对特征维度归一化，BN 对 batch 维度归一化", False),
    ("BERT 是 encoder-only 的模型", "GPT 是 encoder-only 的模型", True),
    # The other side with the opposite polarity is the contrast itself, said right.
    ("L1 正则倾向产生稀疏解", "L2 正则一般不会产生稀疏解", False),
    ("L1 正则倾向产生稀疏解", "L2 正则一般也会产生稀疏解", True),
    # The other side of one pair (一致 / 不一样) said of another subject (BN, not LN) is no swap.
    ("BN 推理用训练时滑动平均的均值方差，LN 训练推理计算一致", "BN 训练和推理的时候还不一样，推理要用训练时统计的滑动平均",
     False),
    ("BN 推理用训练时滑动平均的均值方差，LN 训练推理计算一致", "LN 训练和推理的时候还不一样，推理要用训练时统计的滑动平均",
     True),
    # The other side named only to be denied is the point's side, said right.
    ("AdaBoost 提高错分样本的权重", "AdaBoost 不会降低分错样本的权重，反而是调高", False),
    ("AdaBoost 提高错分样本的权重", "AdaBoost 会降低分错样本的权重", True),
])
def test_contrast_pairs_catch_swaps(tokenizer: Tokenizer, point: str, answer: str, swapped: bool) -> None:
    result = signals.swaps(point, answer, shared(point, answer, tokenizer))
    assert (result.swapped > result.agree) == swapped


@pytest.mark.parametrize(("point", "answer", "traded"), [
    ("训练集用来拟合参数、验证集用来调超参", "验证集用来拟合参数、训练集用来调超参", True),
    ("训练集用来拟合参数、验证集用来调超参", "训练集拿来拟合模型参数，调超参要看验证集", False),
    ("先做预训练再做 SFT，最后做偏好对齐", "先做 SFT 再做预训练，最后做偏好对齐", True),
    ("先做预训练再做 SFT，最后做偏好对齐", "一般是预训练完了先 SFT，然后再做偏好对齐", False),
    pytest.param("MoE 层里 router 选专家，FFN 专家做计算", "MoE 层里 FFN 专家选 router，router 做计算", True,
                 marks=pytest.mark.xfail(strict=True, reason="a Latin and a Chinese name trading roles are not "
                                                             "read as alike")),
    # Unlike names, each opening its clause in both texts.
    ("预训练用海量无标注文本，SFT 用少量高质量指令回答对", "预训练用的是少量高质量的指令回答对，SFT 用海量无标注文本", True),
    ("预训练用海量无标注文本，SFT 用少量高质量指令回答对", "预训练用海量的无标注文本，SFT 用少量高质量的指令回答对", False),
    ("Encoder 用 MLM 预训练；Decoder 用 next token prediction 预训练",
     "Decoder 用 MLM 预训练；Encoder 用 next token prediction 预训练", True),
    # Built another way, nothing traded: "batch" and "多卡" move, but no two things swap roles.
    ("多卡时 BN 默认只用本卡统计量，单卡 batch 小时常需 SyncBN",
     "BN 很依赖 batch 大小，batch 小的时候统计量噪声大，多卡还得用 SyncBN 同步", False),
])
def test_two_things_trading_roles_is_a_swap_without_a_pair_list(tokenizer: Tokenizer, point: str, answer: str,
                                                                 traded: bool) -> None:
    words = signals.anchors(point, answer, tokenizer.terms(point), tokenizer.terms(answer), verdicts.ENGLISH_STOP)
    assert signals.exchanged(point, answer, words) == traded


@pytest.mark.parametrize(("point", "answer", "exchanged"), [
    ("模型状态共 16Ψ：参数 2Ψ、梯度 2Ψ、优化器状态 12Ψ", "一共 16Ψ，其中参数 2Ψ，梯度 12Ψ，优化器状态 2Ψ", True),
    ("模型状态共 16Ψ：参数 2Ψ、梯度 2Ψ、优化器状态 12Ψ", "参数和梯度各 2Ψ，优化器状态 12Ψ，一共 16Ψ", False),
    ("ZeRO-1 约 38.5GB、ZeRO-2 约 26.25GB、ZeRO-3 约 14GB 每卡",
     "算下来 ZeRO-1 每卡大概 14GB，ZeRO-2 大概 26.25GB，ZeRO-3 反而是 38.5GB", True),
    ("ZeRO-1 约 38.5GB、ZeRO-2 约 26.25GB、ZeRO-3 约 14GB 每卡", "ZeRO-1 每卡 38.5GB，ZeRO-3 只要 14GB", False),
    ("DeepSeek-V3 用细粒度缩放：激活 1×128 块、权重 128×128 块", "激活按 128x128 的块、权重按 1x128 的块缩放", True),
    ("DeepSeek-V3 用细粒度缩放：激活 1×128 块、权重 128×128 块", "激活按 1x128 的小块、权重按 128x128 的块缩放", False),
])
def test_values_given_to_each_others_holders_are_exchanged(point: str, answer: str, exchanged: bool) -> None:
    assert signals.values_exchanged(point, answer) == exchanged


@pytest.mark.parametrize(("point", "clause", "answer", "other"), [
    ("Llama-2-7B 每 token 512 KiB，4K 上下文约 2 GiB", "所以 Llama-2-7B 每 token 是 256 KiB，4K 上下文约 1 GiB", None, True),
    ("训练计算量近似为 6 × 参数量 × token 数", "训练计算量近似为 4 × 参数量 × token 数", None, True),
    # Scientific notation is one value: 5.6×10²² is not "5.6 times", so not near the point's 6 ×.
    ("训练计算量近似为 6 × 参数量 × token 数", "计算量近似为 4 × 参数量 × token 数",
     "计算量近似为 4 × 参数量 × token 数，约 5.6×10²² FLOPs", True),
    ("代入得约 8.4×10²² FLOPs", "代入就是 4 × 7e9 × 2e12，约 5.6×10²² FLOPs", None, True),
    ("代入得约 8.4×10²² FLOPs", "代入大概是 8.4 x 10^22 FLOPs", None, False),
    # Roughly the point's value, in digits or in Chinese numerals elsewhere in the answer.
    ("7B 模型仅模型状态约 112GB，单卡放不下", "7B 的模型光模型状态就 110GB 左右", None, False),
    ("7B 模型仅模型状态约 112GB，单卡放不下", "一张 80G 的卡根本放不下",
     "像 7B 的模型光模型状态就一百一十多 G，一张 80G 的卡根本放不下", False),
    # One part of the point's own breakdown is no other value.
    ("能分解 16 字节：bf16 权重和梯度各 2、fp32 主权重 4、Adam 两个动量各 4",
     "Adam 的一阶、二阶动量各 4 字节", None, False),
    # The point's value said elsewhere in the answer: the clause gives a part, not another total.
    ("全参数微调约 16 字节/参数，7B 约 112GB", "每个参数要 bf16 的权重 2 字节、bf16 的梯度 2 字节",
     "每个参数要 bf16 的权重 2 字节、bf16 的梯度 2 字节，加起来一共 16 字节", False),
])
def test_another_value_in_the_points_unit(point: str, clause: str, answer: str | None, other: bool) -> None:
    assert signals.gives_another_value(point, clause, answer or clause) == other


@pytest.mark.parametrize(("point", "clause", "answer", "other"), [
    # A plain value held by the point's own words, changed.
    ("DeepSeek-V3 用细粒度缩放：激活 1×128 块、权重 128×128 块", "激活是按 1×64 分块算 scale 的", None, True),
    ("常配合 group size 128 分组和 act-order 提升精度", "group size 一般设成 32 分组", None, True),
    ("FFN 中间维度 d_ff=2048", "d_ff 设成 1024 就够了", None, True),
    # The point's value said elsewhere in the answer, in any unit ("8192 个 token" is "8K 序列").
    ("DeepSeek-V3 用细粒度缩放：激活 1×128 块、权重 128×128 块", "激活按 1×64 的块",
     "激活按 1×64 的块，不对，是 1×128", False),
    ("每 token 128 KiB，8K 序列约 1 GiB", "8 个 KV 头、32 层", "8 个 KV 头、32 层，8192 个 token 一条 1 GiB", False),
    # Held by other words: an example or a size of something else, not the point's value changed.
    ("Swish(x) = x·σ(βx)，通常取 β=1 即 SiLU", "gate_proj 从 4096 升到 11008", None, False),
    # The number of a name or an exponent is no value: "Llama 3", "V3", "(2N)^(1/4)".
    ("DeepSeek-V3 用细粒度缩放", "DeepSeek-V2 也是细粒度缩放", None, False),
    ("仅解码器时 α=(2N)^(1/4)", "α 取 2N 的四分之一次方，比如 N=64 时约 3.4", None, False),
])
def test_another_plain_value_held_by_the_points_words(point: str, clause: str, answer: str | None,
                                                      other: bool) -> None:
    assert signals.gives_another_plain_value(point, clause, answer or clause) == other


@pytest.mark.parametrize(("point", "clause", "substituted"), [
    ("除以 d_k 会把方差压到 1/d_k，分布过于平坦", "要是直接除以 d_k，分布反而会变得很尖锐", True),
    ("GLU 一路线性经另一路 sigmoid 门控逐元素相乘", "线性这一路和 sigmoid 那一路直接相加", True),
    # Another side said of something else, in another clause: no substitution.
    ("LoRA 冻结原权重，训练低秩旁路，可合并无延迟", "训完加回原权重里，推理不会变慢", False),
    # A side that is the other's negation is a negation, read as one ("不一致就不采纳").
    ("交换顺序两次评估，只认一致结果", "两次结果不一致就不采纳", False),
    # The other side denied: the point's side, said right.
    ("除以 d_k 会把方差压到 1/d_k，分布过于平坦", "这样分布不会尖锐，反而太平了", False),
])
def test_another_side_held_by_the_points_words(point: str, clause: str, substituted: bool) -> None:
    assert signals.substituted_in_place(point, clause) == substituted


@pytest.mark.parametrize(("point", "answer", "reversed_"), [
    ("接受概率是 min(1, p(x)/q(x))", "接受概率是 min(1, q(x)/p(x))", True),
    ("接受概率是 min(1, p(x)/q(x))", "就是 p(x)/q(x) 和 1 取小的那个", False),
    ("从 max(0, p − q) 归一化后重新采样", "从 max(0, q-p) 归一化后重新采样", True),
    ("用 top-k 采样", "用 top-p 采样", False),
])
def test_a_formula_written_the_other_way_round_conflicts(point: str, answer: str, reversed_: bool) -> None:
    assert signals.reversed_formula(point, answer) == reversed_
    assert signals.number_agreement(point, answer).formula_conflict == reversed_


@pytest.mark.parametrize(("point", "answer"), [
    ("预训练在海量无标注文本上做自监督", "微调是在海量无标注文本上做自监督"),
    ("注意力计算随长度平方增长", "注意力计算随长度线性增长"),
])
def test_pairs_of_stages_and_growth_read_as_substitutions(point: str, answer: str) -> None:
    assert signals.swaps(point, answer, []).substituted


def test_new_pairs_of_the_field_read_as_swaps(tokenizer: Tokenizer) -> None:
    point, answer = "decode 阶段是 memory-bound 的", "decode 阶段是 compute-bound 的"
    assert signals.swaps(point, answer, shared(point, answer, tokenizer)).substituted
    point, answer = "Bagging 主要降低方差", "Bagging 主要降低偏差"
    assert signals.swaps(point, answer, shared(point, answer, tokenizer)).substituted
    # Predicates stated one way or the other.
    point, answer = "高质量多模态配对数据稀缺，标注成本高", "多模态的高质量配对数据其实很充足"
    assert signals.swaps(point, answer, shared(point, answer, tokenizer)).substituted
    point, answer = "GIL 下 CPU 密集任务用多进程", "GIL 下 CPU 密集任务用多线程"
    assert signals.swaps(point, answer, shared(point, answer, tokenizer)).substituted


def test_a_number_is_read_whole_not_a_prefix_of_its_digits() -> None:
    assert signals.numbers("中间维放大到 16d/3") == {(5.33, "×d")}
    assert signals.numbers("上下文开到 4096ctx") == set()  # not 409, the digits before a letter


def test_a_points_own_contrast_terms_count_as_pairs(tokenizer: Tokenizer) -> None:
    point, answer = "QLoRA 把底座量化到 4bit 再训练", "LoRA 把底座量化到 4bit 再训练"
    assert not signals.swaps(point, answer, shared(point, answer, tokenizer)).substituted
    assert signals.swaps(point, answer, shared(point, answer, tokenizer), (("qlora", "lora"),)).substituted


@pytest.mark.parametrize(("point", "answer", "conflict", "formula"), [
    ("混合精度下每个参数约 16 字节", "fp16 的话就是 2 字节", True, False),
    ("混合精度下每个参数约 16 字节", "一共大概 16 个字节", False, False),
    ("混合精度下每个参数约 16 字节", "每个参数要 16 个字节：fp16 权重 2 字节、梯度 2 字节", False, False),
    ("QLoRA 把底座量化到 4-bit", "QLoRA 把底座量化到 16 bit", True, False),
    ("分数除以 √d_k 防止 softmax 饱和", "分数除以 d_k 防止 softmax 饱和", False, True),
    ("分数除以 √d_k 防止 softmax 饱和", "要除以根号 d_k", False, False),
    # A point saying what dividing by d_k itself would do is not denied by dividing by its root.
    ("除以 d_k 会把方差压到 1/d_k，分布过于平坦", "所以除以根号 d_k，把方差拉回到 1", False, False),
    # Multiples of a size symbol, written either way.
    ("按参数量对齐时中间维约 8d/3", "按参数量对齐的话中间维要放大到 16d/3 左右", True, False),
    ("按参数量对齐时中间维约 8d/3", "中间维还是取 4d，不用调整", True, False),
    ("按参数量对齐时中间维约 8d/3", "中间维取 8/3 d，也就是 2.67d 左右", False, False),
])
def test_numbers_units_and_formulas_must_agree(point: str, answer: str, conflict: bool, formula: bool) -> None:
    result = signals.number_agreement(point, answer)
    assert (result.conflict, result.formula_conflict) == (conflict, formula)


def test_clauses_are_whole() -> None:
    text = "优化器一般用 AdamW，学习率 1e-4。Batch size 取 32."
    assert [text[start:end] for start, end in signals.clause_spans(text)] == [
        "优化器一般用 AdamW", "学习率 1e-4", "Batch size 取 32"]


def test_tokenizers_are_independent_and_seeded_up_front() -> None:
    """A term taught to one grader's tokenizer never changes another's tokens (no global jieba state)."""
    text = "LoRA用低秩分解矩阵近似权重更新"
    plain_before = Tokenizer().words(text)
    seeded = Tokenizer(["低秩分解"])
    assert "低秩分解" in seeded.words(text)
    assert Tokenizer().words(text) == plain_before and "低秩分解" not in plain_before
    assert seeded.words(text) == Tokenizer(["低秩分解"]).words(text)


def test_old_statuses_still_load() -> None:
    old = {"index": 0, "text": "要点", "weight": 2, "status": "covered", "similarity": 0.7}
    assert KeyPointGrade.model_validate(old).status == "stated"
    assert KeyPointGrade.model_validate({**old, "status": "wrong"}).status == "contradicted"
    assert KeyPointGrade.model_validate({**old, "status": "partial"}).status == "absent"
    with pytest.raises(ValueError):
        KeyPointGrade.model_validate({**old, "status": "excellent"})


def test_follow_ups_target_contradicted_points_first() -> None:
    points = [KeyPointGrade(index=0, text="a", weight=3, status="absent"),
              KeyPointGrade(index=1, text="b", weight=1, status="contradicted"),
              KeyPointGrade(index=2, text="c", weight=3, status="stated")]
    result = GradeResult(question_id=None, score=10, key_points=points, feedback="", grader="embedding")
    assert [point.index for point in result.missing_points()] == [1, 0]


def test_a_one_word_reference_becomes_a_key_point() -> None:
    rubric = derive_rubric("adhoc", "push")
    assert rubric is not None and [point.text for point in rubric.key_points] == ["push"]
    assert derive_rubric("adhoc", "  ") is None


def test_rubric_contrasts_and_phrasings_are_validated() -> None:
    point = KeyPoint(text="QLoRA 把底座量化到 4bit 再训练 LoRA", weight=2, probe="怎么省显存？",
                     contrasts=[["QLoRA", "LoRA"]])
    assert point.contrasts == [["QLoRA", "LoRA"]]
    with pytest.raises(ValueError, match="two or more distinct"):
        KeyPoint(text="QLoRA 把底座量化到 4bit 再训练 LoRA", weight=2, probe="怎么省显存？", contrasts=[["QLoRA"]])
    misconception = Misconception(claim="LoRA 推理一定更慢", correction="可以合并", phrasings=["合并了也一样慢"])
    assert misconception.phrasings == ["合并了也一样慢"]
    with pytest.raises(ValueError, match="at least 10"):
        Rubric(question_id="q", kind="structure", key_points=[KeyPoint(text="push", weight=1, probe="说说看？")] * 3)


@pytest.mark.parametrize(("claim", "clause", "sentence", "elsewhere"), [
    ("DPO 也需要先训练奖励模型", "先训练奖励模型", "PPO 的流程是先训练奖励模型，再用强化学习优化", True),
    ("DPO 也需要先训练奖励模型", "先训练奖励模型", "PPO 要先训奖励模型，DPO 不需要", False),
    ("LayerNorm 是对 batch 维度做归一化", "BatchNorm 是对 batch 维度做归一化", "", True),
    ("LayerNorm 是对 batch 维度做归一化", "LN 是对 batch 维度做归一化", "", False),
    ("DPO 和 PPO 一样都要奖励模型", "PPO 要奖励模型", "", False),  # the claim names both sides
    # A side named as what is compared with is not what the clause speaks of.
    ("PPO 不需要奖励模型，直接用偏好对训练", "DPO 不需要奖励模型，直接用偏好对训练，比 PPO 简单", "", True),
    ("PPO 不需要奖励模型，直接用偏好对训练", "PPO 不需要奖励模型，比 DPO 简单", "", False),
])
def test_a_claim_about_one_side_of_a_pair_is_not_made_about_the_other(claim: str, clause: str, sentence: str,
                                                                      elsewhere: bool) -> None:
    assert signals.other_subject(claim, clause, sentence) == elsewhere


@pytest.mark.parametrize(("point", "claims", "answer", "leans_wrong"), [
    ("统计相邻符号对的频率，合并出现最多的一对", ["BPE 每轮合并出现频率最低的一对", "BPE 每轮合并语义最相近的一对子词"],
     "每轮统计相邻符号对，合并出现频率最低的那一对", True),
    ("统计相邻符号对的频率，合并出现最多的一对", ["BPE 每轮合并出现频率最低的一对", "BPE 每轮合并语义最相近的一对子词"],
     "每一轮数一下相邻两个符号一起出现的次数，把最多的那对合并", False),
    ("每个专家最多处理的 token 数由容量因子控制", ["容量因子就是每个 token 能选几个专家", "每个专家处理的 token 数没有上限"],
     "capacity factor 其实就是每个 token 路由到几个专家", True),
    # Connectives both use ("因为") tell nothing.
    ("加速来自减少 HBM 访问，而不是减少计算量", ["FlashAttention 快是因为减少了 FLOPs"],
     "快主要是因为 IO：不用把分数矩阵写回 HBM", False),
])
def test_the_pieces_a_wrong_claim_differs_by_tell_which_side_an_answer_takes(
        tokenizer: Tokenizer, point: str, claims: list[str], answer: str, leans_wrong: bool) -> None:
    evidence = verdicts.wrong_claim_evidence(
        claims, [verdicts.pieces(claim) for claim in claims], verdicts.pieces(point), raw=np.zeros(len(claims)),
        calibrated=np.zeros(len(claims)), point_raw=0.0, unit_text=answer, unit_terms=tokenizer.terms(answer),
        question_pieces=verdicts.pieces("BPE 和 ALiBi 是怎么工作的？"))
    assert evidence.present
    assert (evidence.distinctive > evidence.point_distinctive) is leans_wrong


@pytest.mark.parametrize(("point", "claim", "answer", "against_claim"), [
    # The claim swaps the point's sides with the point's own words; the answer ties them as the point does.
    ("BERT 擅长理解类任务，GPT 擅长生成类任务", "BERT 更擅长生成，GPT 更擅长分类这类理解任务",
     "所以 BERT 更擅长分类、抽取这类理解任务，GPT 擅长生成", True),
    ("BERT 擅长理解类任务，GPT 擅长生成类任务", "BERT 更擅长生成，GPT 更擅长分类这类理解任务",
     "BERT 其实更擅长生成，GPT 更擅长分类这类理解任务", False),
    ("温度系数 τ 控制相似度分布的尖锐程度", "温度 τ 越大分布越尖锐", "τ 越小分布越尖，越关注难负例", True),
    ("温度系数 τ 控制相似度分布的尖锐程度", "温度 τ 越大分布越尖锐", "τ 越大，分布就越尖锐", False),
    # Two things of the claim trading roles, neither of them a contrast pair of the field.
    ("Chain 流程由代码预先固定，区别于由模型动态决策的 Agent", "Agent 的流程是写死的，Chain 才是模型动态决策",
     "Chain 的流程是代码里写死的，跟 Agent 不一样，Agent 是让模型自己决定下一步", True),
    ("Chain 流程由代码预先固定，区别于由模型动态决策的 Agent", "Agent 的流程是写死的，Chain 才是模型动态决策",
     "Agent 的流程是代码里写死的，跟 Chain 不一样，Chain 是让模型自己决定下一步", False),
])
def test_an_answer_taking_the_points_side_does_not_say_the_claim(
        tokenizer: Tokenizer, point: str, claim: str, answer: str, against_claim: bool) -> None:
    evidence = verdicts.wrong_claim_evidence(
        [claim], [verdicts.pieces(claim)], verdicts.pieces(point), raw=np.zeros(1), calibrated=np.zeros(1),
        point_raw=0.0, unit_text=answer, unit_terms=tokenizer.terms(answer), point_text=point)
    assert evidence.negated is against_claim


def test_a_point_without_wrong_claims_has_no_wrong_claim_evidence(tokenizer: Tokenizer) -> None:
    evidence = verdicts.wrong_claim_evidence([], [], verdicts.pieces("合并出现最多的一对"), np.zeros(0), np.zeros(0), 0.0,
                                             "合并最多的一对", tokenizer.terms("合并最多的一对"))
    assert evidence == verdicts.WrongClaimEvidence()


def test_a_story_point_is_met_by_its_authored_evidence_not_by_talk_around_it() -> None:
    from interviewer.grading.detectors import detect
    from interviewer.grading.verdicts import detected_share, structural_needs

    needs = structural_needs("给出关键超参数，如学习率、epoch、LoRA 秩", [["hyperparameter"]])
    share, quote = detected_share(needs, detect("学习率 2e-4，cosine 衰减，训了 3 个 epoch"))
    assert share == 1.0 and quote is not None and quote.kind == "hyperparameter"
    assert detected_share(needs, detect("超参数我们也仔细调过，效果挺好"))[0] == 0.0
    both = structural_needs("说出所用底座模型的名称和参数规模", [["model"], ["model_size"]])
    assert detected_share(both, detect("底座用的 Qwen 系列"))[0] == 0.5
    assert detected_share(both, detect("底座是 Qwen1.5-14B"))[0] == 1.0
    assert structural_needs("描述自己采取的具体行动", [["action"]]) == [frozenset({"star_action"})]



def test_a_long_sentence_offers_the_clauses_saying_most_of_a_point() -> None:
    run_on = "LoRA 就是把预训练权重冻住，旁边加两个低秩矩阵 B 和 A，只训这两个，B 初始化成 0 所以一开始输出不变，不会多延迟。"
    assert clause_windows(run_on, "LoRA 冻结预训练权重，只训练旁路新增的低秩矩阵") == [
        "LoRA 就是把预训练权重冻住，旁边加两个低秩矩阵 B 和 A", "LoRA 就是把预训练权重冻住，旁边加两个低秩矩阵 B 和 A，只训这两个"]
    # A sentence of three clauses is read whole, and clauses sharing next to nothing with the point are not read.
    assert clause_windows("LoRA 冻住预训练权重，加两个低秩矩阵，只训它们。", "LoRA 冻结预训练权重") == []
    assert clause_windows(run_on, "用缩放系数 alpha/r 控制旁路更新的幅度") == []


@pytest.mark.parametrize(("subjects", "siblings"), [
    (["tool", "toolkit", "agent", "agentexecutor"], {"tool": {"toolkit"}, "toolkit": {"tool"},
                                                     "agent": {"agentexecutor"}, "agentexecutor": {"agent"}}),
    (["zero-1", "zero-3", "模型"], {"zero-1": {"zero-3"}, "zero-3": {"zero-1"}}),
    (["mqa", "gqa", "kv"], {"mqa": {"gqa"}, "gqa": {"mqa"}}),
    (["bn", "ln", "transformer"], {"bn": {"ln"}, "ln": {"bn"}}),
    (["输入", "输出", "训练", "系统"], {"输入": {"输出"}, "输出": {"输入"}}),
    # Generic words one character apart, an instance and its kind: no siblings.
    (["多个", "每个", "多头", "各头"], {}),
    (["boosting", "adaboost"], {}),
])
def test_siblings_are_names_of_one_family(subjects: list[str], siblings: dict[str, set[str]]) -> None:
    assert attribution.sibling_names(subjects) == {name: frozenset(others) for name, others in siblings.items()}


def test_a_clause_speaks_of_the_sibling_it_opens_with() -> None:
    siblings = attribution.sibling_names(["tool", "toolkit"])
    content = attribution.distinctive_content(["Tool 是带名称、描述和参数 schema 的可调用函数",
                                               "Toolkit 是面向特定任务的一组相关工具集合"], ["tool", "toolkit"], siblings)
    wrong = "Tool 其实是一组工具的集合，Toolkit 才是单个可调用函数，带名称、描述和参数 schema。"
    found = attribution.attribution(wrong, content[0], "tool", siblings["tool"])
    assert found is not None and found.names == {"toolkit"} and not found.negated
    assert found.quote.startswith("Toolkit") and found.quote in wrong
    # Said of Tool itself, or of Toolkit as what it is compared with: no attribution elsewhere.
    assert attribution.attribution("Tool 就是带名称、描述和参数 schema 的可调用函数。", content[0], "tool",
                                   siblings["tool"]) is None
    assert attribution.attribution("跟 Toolkit 比，Tool 是带名称、描述和参数 schema 的单个函数。", content[0], "tool",
                                   siblings["tool"]) is None


@pytest.mark.parametrize(("text", "judged"), [
    ("给块生成摘要或者假设问题也没有用", "给块生成摘要或者假设问题也没有用"),
    ("这种做法其实没必要", "这种做法其实没必要"),
    ("ToT 没用，因为要多次采样", None),  # "did not use", not "useless"
    ("BN 在推理时不更新", None),  # a property, not a verdict
])
def test_a_negated_verdict_judges_its_whole_clause(text: str, judged: str | None) -> None:
    clauses = [text[start:end] for start, end in signals.verdict_negations(text)]
    assert clauses == ([judged] if judged else [])


def test_review_edge_cases_of_the_new_readings() -> None:
    # A negation both withdrawn and a verdict is discounted once, not twice.
    assert not signals._clause_flip("长序列外推效果会下降", "长序列外推效果提升不行", ["长序列", "外推", "效果"])
    # The compared thing is a whole Latin name, with or without a space after it.
    assert attribution.compared_with("相比one-hot维度低且稠密") == "one-hot"
    assert attribution.compared_with("相比 BN 的做法") == "bn"
    # A verdict followed by a turn is a concession; a cue may hold the predicate's first character.
    assert signals.verdict_negations("这样不行但是可以换个办法") == ()
    assert signals.verdict_negations("这一步其实不必要") != ()
    # Model names are names, not values.
    assert not signals.values_exchanged("Qwen 2 上下文长、Llama 3 上下文短", "Qwen 3 上下文长、Llama 2 上下文短")


@pytest.mark.parametrize(("reference", "candidate", "shared", "mismatched"), [
    # The candidate's negation denies what the reference denies ("latency"); "inference" in its reach is
    # that phrase's word, not denied by itself.
    ("At inference, BA can be merged into the original weights, adding no latency.",
     "so there is no extra inference latency", ["inference", "latency"], 0),
    ("At inference, BA can be merged into the original weights, adding no latency.",
     "the bypass adds latency at inference", ["inference", "latency"], 1),
    # A Chinese negation's reach holds its verb, which agrees with any other: no phrase is read so.
    ("PPO 阶段数据只需 prompt，不需要标注回答", "PPO 阶段不需要 prompt 和标注回答", ["prompt", "标注", "需要"], 1),
    # The cue's own word ("没有") agrees with every negation and does not make one the reference's.
    ("RMSNorm 只有偏置 β，没有缩放参数", "再逐维乘一个可学习的 g。一般没有偏置项", ["偏置", "没有"], 1),
])
def test_a_negation_said_again_covers_its_phrase(reference: str, candidate: str, shared: list[str],
                                                mismatched: int) -> None:
    assert signals.polarity(reference, candidate, shared).mismatched == mismatched


@pytest.mark.parametrize(("reference", "candidate", "shared", "mismatched"), [
    # Both clauses negate one event; the reach differs only by where each puts its subject.
    ("Token 级损失按 batch 内所有 token 平均，避免长回答 token 权重被稀释",
     "对 batch 里所有 token 一起平均，这样长回答的 token 不会被稀释", ["batch", "token", "回答", "平均", "稀释"], 0),
    # Said without the negation, the event happens: the words are read against the reference's, the
    # passive's verb ("稀释") with its subject ("回答").
    ("Token 级损失按 batch 内所有 token 平均，避免长回答 token 权重被稀释",
     "对 batch 里所有 token 一起平均，这样长回答的 token 权重会被稀释", ["batch", "token", "回答", "平均", "稀释"], 2),
    # A word the reference says both ways, outside the clause that speaks to the candidate, takes no side.
    ("NTK-by-parts 按维度波长分段：高频不插值、低频全插值、中间平滑过渡", "YaRN 主要是两块：NTK-by-parts 插值和注意力温度",
     ["ntk-by-parts", "插值"], 0),
    ("先插值再微调，插值比直接外推稳定", "不插值，直接外推", ["插值", "外推"], 1),
])
def test_polarity_reads_events_not_subjects(reference: str, candidate: str, shared: list[str],
                                           mismatched: int) -> None:
    assert signals.polarity(reference, candidate, shared).mismatched == mismatched


def test_a_passive_negated_keeps_its_verb() -> None:
    """The reach's budget once stopped at 被, leaving the event's verb ("稀释") outside the denial."""
    text = "Token 级损失按 batch 内所有 token 平均，避免长回答 token 权重被稀释"
    assert [text[start:end] for start, end in signals.negated_spans(text)] == ["避免长回答 token 权重被稀释"]


@pytest.mark.parametrize(("text", "negated"), [
    ("微调的时候别在小数据上训太久", "小数据"),
    ("区别是 BPE 按频率合并", None),
    ("别的模型也一样，这是特别的情况", None),
])
def test_the_imperative_dont_is_a_negation(text: str, negated: str | None) -> None:
    reached = [text[start:end] for start, end in signals.negated_spans(text)]
    assert (any(negated in span for span in reached) if negated else reached == [])


@pytest.mark.parametrize(("points", "families"), [
    (["导入时按 sys.path 查找模块，缓存在 sys.modules"], {"sys.path": {"sys.modules"}, "sys.modules": {"sys.path"}}),
    (["Prompt Tuning 只在输入层加软提示", "Prefix Tuning 每层都加前缀"],
     {"prompt tuning": {"prefix tuning"}, "prefix tuning": {"prompt tuning"}}),
    (["输入门决定写入多少新信息", "遗忘门决定丢掉多少旧信息"], {"输入门": {"遗忘门"}, "遗忘门": {"输入门"}}),
    (["张量并行在层内切矩阵", "流水线并行按层切"], {"张量并行": {"流水线并行"}, "流水线并行": {"张量并行"}}),
    # Steps of a sequence are places, not things; two-character words sharing one character are often verbs.
    (["第一步训练奖励模型", "第三步用 PPO 优化"], {}),
    (["把检索结果融合起来", "混合检索再重排"], {}),
    # Values of one unit, even one written inside the other; an English word before a name is no part of it.
    (["用 8k 上下文训练，再扩到 128k", "6B RM 配 175B 策略"], {"8k": {"128k"}, "128k": {"8k"}, "6b": {"175b"},
                                                          "175b": {"6b"}}),
    (["QLoRA uses LoRA adapters trained with BN"], {}),
    # Acronyms each named by one point alone are set apart, however unlike their letters; one that two
    # points name is not.
    (["回归常用 MSE，对异常值敏感", "平均绝对误差 MAE 对异常值更鲁棒"], {"mse": {"mae"}, "mae": {"mse"}}),
    (["MSE 对异常值敏感", "MAE 比 MSE 鲁棒"], {}),
    (["Use W_Q, W_K and W_V linear layers, then d_model"], {}),  # symbols and identifiers
])
def test_name_families_are_the_rubrics_sibling_names(points: list[str], families: dict[str, set[str]]) -> None:
    tokenizer = Tokenizer(["输入门", "遗忘门", "张量并行", "流水线并行", "第一步", "第三步"])
    found = attribution.name_families(points, set().union(*(tokenizer.terms(point) for point in points)))
    assert dict(found) == {name: frozenset(others) for name, others in families.items()}


@pytest.mark.parametrize(("point", "answer", "elsewhere"), [
    # What the point says after one name, said after its sibling: the two trade places, or one takes the other's.
    ("Pre-LN 训练更稳定，Post-LN 效果上限更高", "Post-LN 训练更稳定，Pre-LN 效果上限更高", True),
    ("输入门决定写入多少新信息", "遗忘门决定写入多少新信息，输入门负责丢掉旧的", True),
    ("导入时按 sys.path 查找模块", "Python 导入时按 sys.modules 查找模块", True),
    # Antonyms the point says itself ("旧状态", "新候选状态") tell nothing apart.
    ("更新门决定保留多少旧状态、写入多少新候选状态", "重置门决定旧状态保留多少、新候选状态写入多少，更新门控制用多少隐藏状态",
     True),
    # Two-character names one antonym apart, with a one-character predicate each.
    ("LEFT JOIN 保留左表所有行，右表无匹配时填 NULL", "LEFT JOIN 保留右表所有行，左表无匹配时填 NULL", True),
    ("低维旋转快、高维旋转慢", "高维转得慢，低维旋转快", False),
    # Values with one unit are names too; a negation the point holds itself is said alike.
    ("InstructGPT 用 6B RM 配 175B 策略，175B RM 训练不稳", "InstructGPT 用 175B RM 配 175B 策略，6B 的 RM 训练不稳", True),
    ("InstructGPT 用 6B RM 配 175B 策略，175B RM 训练不稳", "没用 175B 的 RM，而是 6B 的配 175B 策略，175B 的 RM 训练不稳", False),
    # Said after the point's own name, whatever else the answer says of the sibling.
    ("Pre-LN 训练更稳定，Post-LN 效果上限更高", "Post-LN 的效果上限高一些，但 Pre-LN 训练更稳定", False),
    ("输入门决定写入多少新信息", "输入门决定写入多少新信息，遗忘门决定丢掉多少旧信息", False),
    # Denied of the sibling, the sibling only compared with, or both named side by side: nothing said instead.
    ("PRM 信号更密集，能定位出错的步骤", "ORM 的信号并不密集，PRM 才能定位出错的步骤", False),
    ("PRM 信号更密集，能定位出错的步骤", "PRM 不像 ORM 那样信号稀疏，它信号更密集", False),
    ("ZeRO-1 通信量与数据并行相同", "ZeRO-1 和 ZeRO-2 通信量都与数据并行相同", False),
    # What the sibling is said to lack or to do the other way ("较差", "后面"), or words both names share.
    ("Pre-LN 训练更稳定", "Post-LN 训练稳定性较差，而 Pre-LN 更稳定", False),
    ("Pre-LN 把 LN 放在子层前面", "Pre-LN 是先归一化再进子层。Post-LN 把 LN 放在子层后面", False),
    ("BN 推理用训练时滑动平均，LN 训练推理计算一致", "BN 训练和推理的时候还不一样，推理要用训练时统计的滑动平均", False),
])
def test_what_the_point_says_of_a_name_said_of_its_sibling(point: str, answer: str, elsewhere: bool) -> None:
    tokenizer = Tokenizer(["输入门", "遗忘门", "左表", "右表", "低维", "高维", "更新门", "重置门"])
    points = [point, "ORM 只看最终答案", "ZeRO-2 再切梯度", "遗忘门决定丢掉多少旧信息", "缓存在 sys.modules",
              "重置门控制用多少隐藏状态"]
    words = tokenizer.terms(point) | tokenizer.terms(answer)
    families = attribution.name_families(points, set().union(*(tokenizer.terms(text) for text in points)))
    assert signals.said_of_a_sibling(point, answer, families, words) is elsewhere


@pytest.mark.parametrize(("sentence", "read"), [
    ("嗯，我记得它主要是 IO 感知的，就是分块放在 SRAM 里算，具体反向是怎么处理的我记不太清了。",
     "嗯，我记得它主要是 IO 感知的，就是分块放在 SRAM 里算。"),
    ("prefill 那边怎么优化我记不太清了", ""),
    ("vLLM 默认怎么分配显存我不太确定，但大头是 KV cache", "但大头是 KV cache"),
    # The other clauses keep their own marks, and the sentence its closing one.
    ("Adapter：具体插在哪我记不清了；原模型是冻住的。", "Adapter：原模型是冻住的。"),
    ("！", "！"),  # marks only
    # Not forgetting: uncertainty as a subject, an A-not-A question, a plain statement.
    ("RLHF 时对承认不确定的回答给奖励。", "RLHF 时对承认不确定的回答给奖励。"),
    ("每一步检查梯度有没有 inf 或 NaN", "每一步检查梯度有没有 inf 或 NaN"),
    # Forgetting said of the model, not by the candidate of themselves.
    ("LSTM 用门控缓解了 RNN 记不住长期依赖的问题", "LSTM 用门控缓解了 RNN 记不住长期依赖的问题"),
])
def test_clauses_saying_the_candidate_forgot_are_left_out(sentence: str, read: str) -> None:
    assert signals.without_forgotten_clauses(sentence) == read


@pytest.mark.parametrize(("point", "answer", "dropped"), [
    ("Φ(x) = 0.5·(1 + erf(x/√2))，可用误差函数计算", "具体 Φ(x) = 0.5·(1 + erf(x/2))，可以用误差函数来算", True),
    ("Φ(x) = 0.5·(1 + erf(x/√2))，可用误差函数计算", "Φ(x) = 0.5·(1 + erf(x / √2))", False),
    ("分数除以 √d_k 防止 softmax 饱和", "分数除以 d_k 的平方根", False),
])
def test_a_formula_without_its_root_conflicts(point: str, answer: str, dropped: bool) -> None:
    assert signals.dropped_root(point, answer) == dropped
    assert signals.number_agreement(point, answer).formula_conflict == dropped


def test_binary_size_units_are_units() -> None:
    point, answer = "Llama-3-8B 每 token 128 KiB，4K 约 512 MiB", "Llama-3-8B 每 token 64 KiB，4K 约 256 MiB"
    assert signals.number_agreement(point, answer).conflict
    assert not signals.number_agreement(point, "每 token 128 KiB，4K 上下文 512 MiB").conflict


@pytest.mark.parametrize(("point", "answer", "reversed_"), [
    ("多用 Pre-Norm 加 RMSNorm 取代 Post-LN LayerNorm，训练更稳定",
     "现在多用 Post-LN 加 LayerNorm 取代 Pre-Norm 的 RMSNorm，因为 Post-LN 训练更稳定", True),
    ("多用 Pre-Norm 加 RMSNorm 取代 Post-LN LayerNorm，训练更稳定",
     "现在基本都是 Pre-Norm 配 RMSNorm，取代了原来 Post-LN 的 LayerNorm", False),
    # A relation denied is not reversed.
    ("Pre-Norm 优于 Post-LN", "Post-LN 在深层时并不优于 Pre-Norm", False),
    # The relation said both ways (a comparison of the two) is not reversed.
    ("GRPO 用组内相对奖励代替 PPO 的价值模型", "有人说 PPO 代替 GRPO，其实是 GRPO 代替 PPO 的价值模型", False),
])
def test_an_ordered_relation_said_the_other_way_round(point: str, answer: str, reversed_: bool) -> None:
    assert signals.relation_reversed(point, answer) == reversed_


@pytest.mark.parametrize(("point", "answer", "flipped"), [
    ("bitsandbytes 的 LLM.int8() 有离群值分解和反量化开销，常比 FP16 慢", "LLM.int8() 一般比 FP16 快很多", True),
    ("GQA 的 KV cache 比 MHA 小", "GQA 的 KV cache 比 MHA 要大", True),
    # The same way, denied, or the comparison said both ways by the point.
    ("GQA 的 KV cache 比 MHA 小", "GQA 比 MHA 小很多", False),
    ("LLM.int8() 常比 FP16 慢", "LLM.int8() 并不比 FP16 快", False),
    ("小 batch 时比 FP16 快，大 batch 时反而比 FP16 慢", "大 batch 时比 FP16 快", False),
    # Not 比较 / 大概, nor an answer also saying the point's own comparison.
    ("LoRA 的秩一般比较小", "秩 r 比较小，alpha 一般设得比较大", False),
    ("GQA 的 KV cache 比 MHA 小", "GQA 的 KV cache 比 MHA 大概小 8 倍", False),
    ("MoE 每个 token 的计算量比稠密模型少", "MoE 总参数比稠密模型多，但每个 token 的计算比稠密模型少", False),
])
def test_a_comparison_with_the_same_thing_turned_round(point: str, answer: str, flipped: bool) -> None:
    assert signals.comparison_flipped(point, answer) == flipped


def test_points_opening_with_names_no_other_point_names_are_a_list_of_siblings() -> None:
    points = ["LlamaIndex 专注数据接入、索引与检索，适合 RAG 类应用", "Haystack 以可组合的流水线构建搜索和 RAG 系统",
              "DSPy 用声明式模块编写流程，并能自动优化提示", "用 NLI 等监督数据训练句子编码器"]
    subjects = ["llamaindex", "haystack", "dspy", "nli"]
    siblings = attribution.sibling_names(subjects, points)
    assert siblings["llamaindex"] == {"haystack", "dspy"}
    assert "nli" not in siblings  # named inside its point, not opening it: no item of the list
    # A word several points name is no item ("RL" in an RL pipeline's steps), nor without the points' texts.
    steps = ["R1-Zero 直接做 RL", "R1 先冷启动 SFT 再做 RL", "RL 后用拒绝采样重新 SFT"]
    assert attribution.sibling_names(["r1-zero", "r1", "rl"], steps) == {"r1-zero": {"r1"}, "r1": {"r1-zero"}}
    assert attribution.sibling_names(subjects[:3]) == {}
    # Two such names are a pair the rubric sets apart.
    pair = ["SGLang 用基数树管理缓存的序列", "vLLM 按 KV 块哈希查找复用", "只能复用从开头完全一致的前缀"]
    assert attribution.sibling_names(["sglang", "vllm", "只能"], pair) == {"sglang": {"vllm"}, "vllm": {"sglang"}}


def test_a_name_inside_the_points_own_subject_is_no_sibling_beside_it() -> None:
    assert not attribution.siblings_named("R1-Zero 在基座上直接用 GRPO 做 RL", "r1-zero", {"r1"})
    assert attribution.siblings_named("R1-Zero 的数据给 R1 冷启动", "r1-zero", {"r1"})



def test_thresholds_are_a_pair_but_not_seeing_is_no_threshold() -> None:
    swapped = signals.swaps("P-Tuning 在 10B 以下模型上明显不如全量微调", "P-Tuning 在 10B 以上的模型上明显不如全量微调",
                            ["p-tuning", "10b", "模型", "全量微调"])
    assert swapped.swapped > 0
    assert not signals.mentions("某些能力在小模型上几乎看不到")


def test_a_longer_siblings_name_does_not_name_the_point_inside_it() -> None:
    content = attribution.distinctive_content(["R1-Zero 在基座上直接用 GRPO 做 RL，不经 SFT",
                                               "R1 先用少量高质量长 CoT 数据做冷启动 SFT"], ["r1-zero", "r1"],
                                              {"r1": frozenset({"r1-zero"}), "r1-zero": frozenset({"r1"})})
    unit = "R1-Zero 的流程是这样，先用少量高质量长 CoT 数据做冷启动 SFT 训练出 R1-Zero 的初始模型。"
    found = attribution.attribution(unit, content[1], "r1", frozenset({"r1-zero"}))
    assert found is not None and found.names == {"r1-zero"}


@pytest.mark.parametrize(("text", "term", "found"), [
    ("注意力和注意力机制", "注意力", [0, 4]),
    ("哈哈哈", "哈哈", [0]),  # not overlapping, as a pattern finds them
    ("query 和 q", "q", [8]),  # a Latin term only as a whole word
    ("用的 LoRA，lora 也行", "LoRA", [3, 8]),  # any case
    ("pre - ln 和 pre-ln", "pre-ln", [11]),
    ("第2层和第 2 层", "第2", [0]),
    ("", "注意力", []),
])
def test_a_words_places_are_found_the_same_with_or_without_a_pattern(text: str, term: str, found: list[int]) -> None:
    assert signals.term_positions(text, term) == found


@pytest.mark.parametrize(("candidate", "flipped"), [
    # The corrected clause denies what the point's clause denies: no side taken against it.
    ("防过拟合，不是靠把少量数据反复训很多轮，而是要更多样、去过重的高质量数据。", False),
    # What the correction puts in its place is read as said: here the very thing the point avoids.
    ("防过拟合，不是靠去重，而是要把少量高质量数据反复训很多轮。", True),
    ("防过拟合要把少量数据重复很多轮。", True),
])
def test_a_clause_its_next_one_corrects_takes_no_side(candidate: str, flipped: bool) -> None:
    point = "防过拟合靠更多样、去重的高质量数据，避免少量数据重复多轮"
    shared = ["多样", "多轮", "少量", "拟合", "数据", "防过", "高质量", "重复"]
    assert signals.polarity(point, candidate, [word for word in shared if word in candidate]).parity_flip == flipped


OVERFIT = "过拟合对应高方差，训练误差低但测试误差明显更高"


@pytest.mark.parametrize(("candidate", "flips"), [
    # "测试误差高" is the point's other half; "训练误差高" is its "训练误差低" turned round.
    ("过拟合也不是训练误差高，训练误差反而很低，只是测试误差高出不少", 0),
    ("过拟合的时候训练误差高，测试误差也高", 1),
])
def test_an_antonym_said_of_the_other_thing_the_point_contrasts_is_no_flip(candidate: str, flips: int) -> None:
    assert signals.antonym_flips(OVERFIT, candidate) == flips


def test_denying_the_opposite_is_read_word_for_word() -> None:
    # "不是训练误差高" denies the opposite of "训练误差低": the point said again.
    assert signals.denies_the_opposite(OVERFIT, "过拟合也不是训练误差高", "不是训练误差高")
    assert not signals.denies_a_point_word(OVERFIT, "过拟合也不是训练误差高，训练误差反而很低，只是测试误差高出不少")
    # "不能靠短序列训练" denies the point's own "短序列训练", whose segment also says 长.
    point = "可用短序列训练达到长序列训练效果，论文称快 11%、省 11% 显存"
    assert not signals.denies_the_opposite(point, "不过它不能靠短序列训练来省成本", "不能靠短序列训练来省")
    assert signals.denies_a_point_word(point, "不过它不能靠短序列训练来省成本，训练要比 sinusoidal 慢 11%")
