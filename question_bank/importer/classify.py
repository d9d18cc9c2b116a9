"""Assign topic, kind and difficulty to extracted questions by keyword rules.

Rules are ordered from specific to general; the first that matches the question text wins,
then the source's own chapter, then the answer text.
"""

from __future__ import annotations

import re

from question_bank.importer.records import Extracted
from question_bank.taxonomy import Kind, Topic

TOPIC_RULES: list[tuple[Topic, re.Pattern[str]]] = [
    ("sql", re.compile(r"\bsql\b|join|group ?by|having", re.I)),
    ("position_encoding", re.compile(r"位置编码|rope|alibi|长度外推|position", re.I)),
    ("tokenization", re.compile(r"分词|tokenizer|bpe|wordpiece|sentencepiece|词表|unigram", re.I)),
    ("normalization", re.compile(r"norm|归一化|标准化", re.I)),
    ("peft", re.compile(r"lora|peft|p-?tuning|prefix[- ]?tuning|prompt-tuning|adapter|高效微调|适配器|"
                        r"提示学习|freeze", re.I)),
    ("alignment", re.compile(r"rlhf|ppo|dpo|奖励模型|强化学习|reward|instructgpt|对齐|偏好|honest", re.I)),
    ("rag", re.compile(r"rag|检索|向量库|向量数据库|faiss|hnsw|召回|bm25|tf-idf|embed|文档对话|切分|"
                       r"知识库|句向量", re.I)),
    ("langchain_agents", re.compile(r"langchain|agent|智能体|意图识别", re.I)),
    ("multimodal", re.compile(r"多模态|clip|vit\b|视觉|图像|目标检测", re.I)),
    ("distributed_training", re.compile(r"分布式|deepspeed|zero|并行|显存|oom|megatron|ddp", re.I)),
    ("inference", re.compile(r"推理|vllm|kv ?cache|量化|部署|pagedattention|tensorrt|mqa|gqa|int8|fp16|解码|"
                             r"蒸馏|生成时的参数|加速", re.I)),
    ("evaluation", re.compile(r"评测|评估|评价|幻觉|指标|benchmark", re.I)),
    ("prompting", re.compile(r"prompt|思维链|cot\b|few-?shot|zero-?shot|提示词", re.I)),
    ("transformer", re.compile(r"transformer|attention|注意力|self-attention|encoder|decoder|teacher forcing|"
                               r"强制学习|多头|ffn|softmax之前", re.I)),
    ("pretraining_sft", re.compile(r"sft|微调|预训练|指令|continue ?pretrain|遗忘|训练集|数据集|token|样本|"
                                   r"多轮对话|epoch|批次|灾难性", re.I)),
    ("llm_architecture", re.compile(r"llama|chatglm|glm|gpt|bert|涌现|复读机|causal|prefix lm|"
                                    r"自回归|激活函数|gelu|swish|glu|模型体系|架构", re.I)),
    ("nlp_basics", re.compile(r"word2vec|文本表征|文本相似|sentence|对比学习|nlp|词嵌入|rnn|lstm|gru|神经网络",
                              re.I)),
    ("python_engineering", re.compile(r"python|pytorch|numpy|pandas|docker|迭代器|生成器|库|脚本", re.I)),
    ("ml_basics", re.compile(r"梯度|损失|loss|过拟合|欠拟合|偏差|方差|正则|优化器|优化算法|回归|bagging|boosting|"
                             r"交叉验证|学习率|人工智能|泛化|初始化", re.I)),
]

# Only when nothing more specific matched, in the text or the source chapter.
GENERIC_RULE: tuple[Topic, re.Pattern[str]] = ("llm_architecture", re.compile(r"大模型|llm", re.I))
MEDIUM = re.compile(r"为什么|区别|原理|优缺点|如何|怎么|对比")
CODING = re.compile(r"手写|写一下.*代码|代码实现|写一个|手撕")
HARD = re.compile(r"推导|手写|代码实现|复杂度|参数量|数学|证明|源码")
EASY = re.compile(r"^什么是|^介绍一下|有哪些|是什么[？?]?$|^请谈谈")


def classify_topic(question: Extracted) -> str:
    for topic, rule in TOPIC_RULES:
        if rule.search(question.text):
            return topic
    chapter_then_answer = (question.topic_hint or "", (question.reference_answer or "")[:300])
    for topic, rule in [*TOPIC_RULES, GENERIC_RULE]:
        if any(rule.search(text) for text in (question.text, *chapter_then_answer)):
            return topic
    return "ml_basics"


def classify_kind(question: Extracted) -> Kind:
    if question.kind != "technical":
        return question.kind
    return "coding" if CODING.search(question.text) else "technical"


def difficulty(question: Extracted) -> int:
    if question.kind in ("opening", "closing"):
        return 1
    if HARD.search(question.text):
        return 3
    if EASY.search(question.text) and not MEDIUM.search(question.text):
        return 1
    return 2
