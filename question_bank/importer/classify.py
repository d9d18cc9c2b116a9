"""Assign topic, kind and difficulty to extracted questions by keyword rules.

Rules are ordered from specific to general; the first that matches the question text wins,
then the source's own chapter, then "大模型" in the question, then the answer text. What the
rules get wrong is corrected per question in the reviewed tables of `curation`.
"""

from __future__ import annotations

import re

from question_bank.importer.records import Extracted
from question_bank.taxonomy import Kind, Topic

TOPIC_RULES: list[tuple[Topic, re.Pattern[str]]] = [
    ("sql", re.compile(r"\bsql\b|join|group ?by|having", re.I)),
    ("position_encoding", re.compile(r"位置编码|rope|alibi|长度外推|position", re.I)),
    ("tokenization", re.compile(r"分词|tokenizer|bpe|wordpiece|sentencepiece|词表|unigram|token\s*是什么|"
                                r"切分成\s*token", re.I)),
    ("normalization", re.compile(r"norm|归一化|标准化", re.I)),
    ("peft", re.compile(r"lora|peft|p-?tuning|prefix[- ]?tuning|prompt-tuning|adapter|高效微调|适配器|"
                        r"提示学习|freeze", re.I)),
    ("alignment", re.compile(r"rlhf|ppo|dpo|奖励模型|强化学习|reward|instructgpt|对齐|偏好|honest", re.I)),
    # "embedding" alone is not RAG ("词嵌入 (Word Embedding)", "乘以 embedding size 的开方"); an embedding model is.
    ("rag", re.compile(r"rag|检索|向量库|向量数据库|faiss|hnsw|召回|bm25|tf-idf|embedd?ing\s*模型|bge|文档对话|"
                       r"切分|知识库", re.I)),
    ("langchain_agents", re.compile(r"langchain|agent|智能体|意图识别", re.I)),
    ("multimodal", re.compile(r"多模态|clip|vit\b|视觉|图像|目标检测", re.I)),
    ("inference", re.compile(r"推理.{0,4}显存|显存.{0,6}推理")),  # inference memory, before 显存 below
    # ZeRO, not Zero-shot.
    ("distributed_training", re.compile(r"分布式|deepspeed|zero(?![-‐ ]?shot)|并行|显存|oom|megatron|ddp", re.I)),
    ("inference", re.compile(r"推理|vllm|kv ?cache|量化|部署|pagedattention|tensorrt|mqa|gqa|int8|fp16|解码|"
                             r"蒸馏|生成时的参数|加速", re.I)),
    ("evaluation", re.compile(r"评测|评估|评价|幻觉|指标|benchmark|可解释性|公平性", re.I)),
    ("prompting", re.compile(r"prompt|思维链|cot\b|few-?shot|zero-?shot|提示词", re.I)),
    # atte?ntion: the seed spells it "Attntion" once.
    ("transformer", re.compile(r"transformer|atte?ntion|注意力|encoder|decoder|teacher forcing|"
                               r"强制学习|多头|ffn|softmax之前|embedding size", re.I)),
    ("pretraining_sft", re.compile(r"sft|微调|预训练|指令|continue ?pretrain|遗忘|训练集|数据集|token|样本|"
                                   r"多轮对话|epoch|批次|灾难性|预处理", re.I)),
    ("llm_architecture", re.compile(r"llama|chatglm|glm|gpt|bert|涌现|复读机|causal|prefix lm|"
                                    r"自回归|激活函数|gelu|swish|glu|模型体系|架构|参数级别|参数规模", re.I)),
    ("nlp_basics", re.compile(r"word2vec|文本表征|文本相似|sentence|对比学习|nlp|词嵌入|word embedding|rnn|"
                              r"lstm|gru|循环神经网络|句向量", re.I)),
    ("python_engineering", re.compile(r"python|pytorch|numpy|pandas|docker|迭代器|生成器|库|脚本", re.I)),
    ("ml_basics", re.compile(r"梯度|损失|loss|过拟合|欠拟合|偏差|方差|正则|优化器|优化算法|回归|bagging|boosting|"
                             r"交叉验证|学习率|人工智能|泛化|初始化|神经网络|感知机", re.I)),
]

# Only when nothing more specific matched, in the text or the source chapter.
GENERIC_RULE: tuple[Topic, re.Pattern[str]] = ("llm_architecture", re.compile(r"大模型|llm", re.I))
CODING = re.compile(r"手写|写一下.*代码|代码实现|写一个|手撕")
# Difficulty: 1 definitions and basics, 2 mechanisms and comparisons, 3 derivations, hand-written code,
# system design, trade-offs at scale and deep internals. The first rule that matches decides; what the
# rules get wrong is listed in `curation.DIFFICULTY_OVERRIDES`.
HARD = re.compile(
    CODING.pattern + r"|推导|证明|怎么写|计算复杂度|参数量|权重多大|泛化误差"  # hand-written code, derivation
    r"|(?:为什么|为何).{0,40}(?:dk|平方根|开方|降维|权重矩阵)|为什么用.{0,6}而不是"  # why attention, norms work so
    r"|如何实现|怎么实现|是如何实现|实现高效|大量数据|如何优化大模型|哪些方面优化"  # internals, design for scale
    # memory and serving
    r"|显存|内存|oom|分布式|并行策略|zero(?![-‐ ]?shot)|deepspeed|pagedattention|kv ?cache|tensorrt|int8"
    # training at scale
    r"|如何训练|是如何训练|训练一个|微调一个|训练自己的|continue ?pretrain|更长的文本|长度外推问题的解决|无限长"
    r"|偏置矩阵|token ?重复|词表扩增|\bnan\b|spike"
    r"|rlhf|dpo|4个模型|三个阶段的训练|成本较高|honest|已知的知识"  # alignment at scale, calibration
    r"|方法对比|qlora 的思路|adalora",  # PEFT internals
    re.I,
)
MEDIUM = re.compile(
    r"为什么|为何|区别|异同|相比|不同|原理|思路|优缺点|如何|怎么|对比|公式|过程|流程|关系|作用|意义|实现|影响|原因")
EASY = re.compile(
    r"^什么是|是什么[？?]?$|有哪些[？?]?$|优点|缺点|特点|被哪些|用了哪种|使用哪种|数据格式|数据集格式|哪里找"
    r"|^介绍一下\s*\S{1,12}[？?。]?$|有印象|哪些包|哪些操作|导入过哪些|是干嘛的|是什么意思"
)


def classify_topic(question: Extracted) -> str:
    """The question's own words first, then the chapter it is filed under, then "大模型" in the
    question (a general LLM question), and only then words of the answer."""
    answer = (question.reference_answer or "")[:300]
    for texts, rules in (((question.text,), TOPIC_RULES), ((question.topic_hint or "",), TOPIC_RULES),
                         ((question.text,), [GENERIC_RULE]), ((answer,), TOPIC_RULES),
                         ((question.topic_hint or "", answer), [GENERIC_RULE])):
        for topic, rule in rules:
            if any(rule.search(text) for text in texts):
                return topic
    return "ml_basics"


def classify_kind(question: Extracted) -> Kind:
    if question.kind != "technical":
        return question.kind
    return "coding" if CODING.search(question.text) else "technical"


def difficulty(question: Extracted) -> int:
    if question.kind in ("opening", "closing"):
        return 1
    if question.kind == "project":
        return 2  # about the candidate's own work: the words of the question say nothing about difficulty
    if HARD.search(question.text):
        return 3
    if EASY.search(question.text) and not MEDIUM.search(question.text):
        return 1
    return 2
