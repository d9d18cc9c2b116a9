"""Controlled vocabulary for question kinds, topics and project-ladder slots."""

from __future__ import annotations

from typing import Literal, get_args

Kind = Literal["opening", "project", "technical", "behavioral", "coding", "closing"]

Topic = Literal[
    "ml_basics",
    "nlp_basics",
    "transformer",
    "position_encoding",
    "tokenization",
    "normalization",
    "llm_architecture",
    "pretraining_sft",
    "peft",
    "alignment",
    "prompting",
    "rag",
    "langchain_agents",
    "inference",
    "distributed_training",
    "evaluation",
    "multimodal",
    "python_engineering",
    "sql",
    "safety",
    "behavioral",
    "project",
    "opening",
]

ProjectSlot = Literal[
    "overview",
    "motivation",
    "metrics",
    "problems",
    "highlights",
    "dataset",
    "base_model",
    "training",
    "inference",
    "controllability",
    "deployment",
    "production",
    "io_example",
]

KINDS: tuple[Kind, ...] = get_args(Kind)
TOPICS: tuple[Topic, ...] = get_args(Topic)
PROJECT_SLOTS: tuple[ProjectSlot, ...] = get_args(ProjectSlot)

TOPIC_LABELS: dict[Topic, tuple[str, str]] = {
    "ml_basics": ("机器学习基础", "ML basics"),
    "nlp_basics": ("NLP 基础与文本表征", "NLP basics & representations"),
    "transformer": ("Transformer 与注意力", "Transformer & attention"),
    "position_encoding": ("位置编码", "Positional encoding"),
    "tokenization": ("分词与 Tokenizer", "Tokenization"),
    "normalization": ("归一化", "Normalization"),
    "llm_architecture": ("大模型架构与模型体系", "LLM architectures"),
    "pretraining_sft": ("预训练与指令微调", "Pre-training & SFT"),
    "peft": ("参数高效微调 (PEFT)", "Parameter-efficient fine-tuning"),
    "alignment": ("RLHF 与对齐", "RLHF & alignment"),
    "prompting": ("Prompt 工程与思维链", "Prompting & chain of thought"),
    "rag": ("RAG 与向量检索", "RAG & vector search"),
    "langchain_agents": ("LangChain 与 Agent", "LangChain & agents"),
    "inference": ("推理加速与部署", "Inference & deployment"),
    "distributed_training": ("分布式训练与显存", "Distributed training & memory"),
    "evaluation": ("评测与幻觉", "Evaluation & hallucination"),
    "multimodal": ("多模态", "Multimodal"),
    "python_engineering": ("Python 与工程实践", "Python & engineering"),
    "sql": ("SQL", "SQL"),
    "safety": ("大模型安全", "LLM safety"),
    "behavioral": ("行为面试", "Behavioural"),
    "project": ("项目深挖", "Project deep dive"),
    "opening": ("自我介绍", "Self-introduction"),
}

SLOT_LABELS: dict[ProjectSlot, tuple[str, str]] = {
    "overview": ("项目总体思路", "Overview"),
    "motivation": ("动机与要解决的问题", "Motivation"),
    "metrics": ("效果指标", "Metrics"),
    "problems": ("遇到的问题与解决", "Problems solved"),
    "highlights": ("亮点与开源方案对比", "Highlights vs open source"),
    "dataset": ("数据集构建", "Dataset"),
    "base_model": ("模型底座", "Base model"),
    "training": ("训练方法", "Training method"),
    "inference": ("推理方式 (CoT 等)", "Inference / CoT"),
    "controllability": ("可控性", "Controllability"),
    "deployment": ("部署与推理效率", "Deployment & efficiency"),
    "production": ("上线后的问题", "Production issues"),
    "io_example": ("完整输入输出样例", "Input/output example"),
}


def topic_label(topic: str, language: str = "zh") -> str:
    """Human label of a topic in the UI language; unknown topics (custom banks) show as-is."""
    labels = TOPIC_LABELS.get(topic)  # type: ignore[call-overload]
    if labels is None:
        return topic
    return labels[0] if language == "zh" else labels[1]
