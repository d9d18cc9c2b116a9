"""Reviewed decisions about the built-in bank that the keyword rules cannot make.

Every entry names a question by id (stable across re-imports) and quotes its text as shown in the
bank, so the tables read on their own; the importer fails loudly when an id no longer exists or its
text no longer matches the quote (a seed changed: review the entry again).
"""

from __future__ import annotations

from dataclasses import dataclass

from question_bank.taxonomy import Kind, Topic


@dataclass(frozen=True)
class Merge:
    """Questions asked in different words that are one question in an interview."""

    questions: dict[str, str]  # id -> text
    why: str
    keep: str | None = None  # default: the ladder question, else one with a reference answer, else seed order


MERGES: tuple[Merge, ...] = (
    Merge({"q-d5efd74621": "vllm的推理加速是怎么实现的", "q-4b687f0430": "vLLM为什么可以加速推理？"},
          why="both ask what makes vLLM fast (PagedAttention, continuous batching, kernels)"),
    Merge({"q-300b5bf62e": "介绍一下旋转位置编码 RoPE。", "q-1095103343": "旋转位置编码 RoPE 思路是什么？"},
          why="introducing RoPE is explaining its idea; the derivation, advantages and users stay separate"),
    Merge({"q-fc19f883a7": "模型评测的方法有哪些", "q-7764f8b84d": "大模型怎么评测？"},
          why="both ask how a (large) model is evaluated"),
    Merge({"q-afc4f9c424": "为什么选择向量数据库，而不是传统数据库",
           "q-e852ee8644": "Faiss 等向量数据库和传统数据库有什么不同？"},
          why="the reason to choose a vector database is how it differs from a traditional one"),
    Merge({"q-e50f4ee195": "如果想要在某个模型基础上做全参数微调，究竟需要多少显存？",
           "q-f5591d8e81": "微调模型需要多大显存？"},
          why="both ask to estimate the GPU memory fine-tuning needs"),
    Merge({"q-5f9c0060b0": "什么是 Zero-shot 和 Few-shot？", "q-00f727a4ef": "什么是Zero-shot Learning？"},
          keep="q-5f9c0060b0",
          why="the glossary definition of zero-shot is part of the section on zero-shot and few-shot"),
    Merge({"q-2e5c51d61a": "RAG如何微调一个embeding模型？",
           "q-84fbbd782f": "如何微调 bge 这类 embedding 模型？训练数据是什么格式？"},
          why="both ask how to fine-tune the retrieval embedding model (bge is one); the data format is part of it"),
    Merge({"q-5e3c49fa90": "如何处理大模型中的模型幻觉问题？", "q-a7292177ac": "你是如何解决大模型幻觉问题的？",
           "q-99ba3e072e": "业内有哪些缓解大模型幻觉的解决方案？"},
          why="all three ask how hallucination is mitigated; the answers list the same measures"),
    Merge({"q-525aba3764": "Transformer 由哪些部分组成？", "q-fd8e0ded5e": "Transformer的结构是什么样的？"},
          why="the structure of the Transformer is the parts it is made of"),
    Merge({"q-c83b55767f": "RAG 问答的 prompt 模板通常怎么设计？",
           "q-b87d9c1d28": "基于LLM+向量库的文档对话 prompt 模板如何构建？"},
          why="LLM + vector store document QA is RAG; both ask how its prompt template is built"),
    Merge({"q-7aa6671339": "常见的优化算法有哪些？", "q-14cfe4b008": "在大模型训练中，有哪些常用的优化算法？"},
          why="the same list of optimisers (SGD, Momentum, Adam, AdamW …) answers both"),
    Merge({"q-b70281756b": "微调时，模型遗忘是为什么",
           "q-7da92a5300": "微调后的模型出现能力劣化，灾难性遗忘是怎么回事？"},
          why="both ask why fine-tuning makes a model forget (catastrophic forgetting)"),
    Merge({"q-18ae07d446": "如何防止模型在微调时遗忘？",
           "q-b2c51a7183": "领域数据训练后，通用能力往往会有所下降，如何缓解模型遗忘通用能力？"},
          why="both ask how to keep general abilities while training on new (domain) data"),
    Merge({"q-76db437260": "参数高效微调有哪些方法？", "q-f249a51269": "能不能总结一下各种参数高效微调方法？"},
          why="both ask for an overview of the parameter-efficient fine-tuning methods"),
    Merge({"q-cc2d878bcc": "请解释一下什么是多模态大模型，并举例说明其应用场景。",
           "q-e146ff6a13": "什么是多模态大模型 (LMM)？"},
          keep="q-cc2d878bcc",
          why="the glossary definition is the first half of the listed question, which adds examples"),
    Merge({"q-974c0dc1c1": "大模型的涌现能力是什么？出现的原因有哪些？", "q-a6152d3615": "涌现能力是啥原因？"},
          why="the causes of emergent abilities are what both ask; the other only adds a one-line definition"),
    # Second audit (issue 16): clusters the rules leave apart, read one by one.
    Merge({"q-a0249130e0": "介绍一下 LoRA 的原理。", "q-a152f8b552": "什么是 LoRA？"},
          why="saying what LoRA is means explaining its principle (frozen weights, low-rank BA, merge)"),
    Merge({"q-261ee91f2c": "为什么需要 PEFT？PEFT 有什么优点？PEFT 存在问题？", "q-9155aa3bc1": "为什么需要 PEFT？",
           "q-9639f1f212": "PEFT 有什么优点？", "q-7a7bb32cf4": "PEFT 存在问题？"},
          keep="q-261ee91f2c",
          why="the blog lists the combined question and each of its three parts again; one question asks all three"),
    Merge({"q-a1a5646ff1": "进行领域大模型预训练应用哪些数据集比较好？",
           "q-03e260649a": "领域模型Continue PreTrain 数据选取？"},
          keep="q-a1a5646ff1",
          why="both ask which data to continue pre-training a domain model on; the kept one reads as a question"),
    Merge({"q-46459be593": "Llama2相较于Llama有哪些改进？", "q-d087cfda1f": "Llama2用了哪些创新性的方法？"},
          why="Llama 2's new methods are its improvements over LLaMA (more data, 4k context, GQA, RLHF chat)"),
    Merge({"q-94c8de8045": "LangChain 是什么？有哪些特点，如何使用？", "q-2d1664fb09": "什么是 LangChain？",
           "q-03bd450d72": "如何使用 LangChain？", "q-d7d9be36a1": "LangChain 包含哪些特点？"},
          keep="q-94c8de8045",
          why="the kept question asks what LangChain is, its traits and how to use it; the others are its parts"),
    Merge({"q-02c7848c8b": "LLM 的复读机问题是什么原因造成的？如何缓解？",
           "q-b12646d016": "为什么会出现 LLMs 复读机问题？", "q-27a05df1bd": "如何缓解 LLMs 复读机问题？"},
          keep="q-02c7848c8b",
          why="the kept question asks both the causes and the mitigations of repetition; the others one each"),
    Merge({"q-944aa4bd92": "基于LLM+向量库的文档对话思路是怎么样？",
           "q-83021b7687": "基于LLM+向量库的文档对话核心技术是什么？"},
          why="the pipeline of document QA with a vector store and its core techniques are one answer"),
    Merge({"q-20a79b96d5": "简单介绍一下Transformer的位置编码？有什么意义和优缺点？",
           "q-aa59e2406f": "什么是位置编码？"},
          keep="q-20a79b96d5",
          why="the definition of positional encoding is the first part of the kept question"),
    Merge({"q-49d7e431c4": "想让模型学习某个领域或行业的知识，是应该预训练还是应该微调？",
           "q-f28d2ffae1": "预训练和微调哪个阶段注入知识的？"},
          keep="q-49d7e431c4",
          why="both ask in which stage knowledge enters the model, hence where to add domain knowledge"),
    Merge({"q-1e5c99af89": "介绍一下 DeepSpeed 和 ZeRO 的三个阶段。",
           "q-c6e0f3d109": "deepspeed的特点是什么？各个zero stage都有什么用？"},
          keep="q-1e5c99af89",
          why="DeepSpeed's traits and what each ZeRO stage does is the question about DeepSpeed and ZeRO's stages"),
    # The other two bold lines of seed 001 (八) have no answer in the seed; each asks what a reviewed question
    # already covers, so it joins that question as a source rather than standing without rubric or answer.
    Merge({"q-0c37866b97": "大模型分布式训练框架有哪些？常见的并行策略有哪些？",
           "q-3fae96ec6b": "Megatron以及deepspeed实现原理，各种参数以及优化策略的作用"},
          keep="q-0c37866b97",
          why="how Megatron (tensor and pipeline parallelism) and DeepSpeed (ZeRO, offload) work is the answer "
              "to the frameworks and parallel strategies question"),
    Merge({"a-precision-fp16-bf16-fp8": "fp16、bf16 和 fp8 有什么区别？为什么大模型训练现在多用 bf16？",
           "q-df9f55e640": "模型训练以及推理中的显存占用各种混合精度训练的优劣"},
          keep="a-precision-fp16-bf16-fp8",
          why="the pros and cons of the mixed-precision formats is the authored question; the memory half is "
              "asked by q-e50f4ee195 (training) and q-96ca3bd101 (inference)"),
)

# Question texts as the seeds wrote them that an interviewer cannot read aloud: typos, a table header
# taken for a question, a cut-off stem, and Prompt Tuning called 指示微调 (instruction tuning, another
# method). Only the text shown changes: ids are computed from the seed's text and stay stable.
TEXT_FIXES: dict[str, tuple[str, str]] = {
    "q-9bee88aba6": ("不同微调方法在不同批处理大小和模型加载精度下，GPU 显存和训练速度有什么差别？",
                     "微调方法批处理大小模式GPU显存速度？"),  # a table header (method, batch size, mode, memory, speed)
    "q-53067d21c2": ("基于 LLM + 向量库的文档问答在垂直领域表现不佳，原因是什么？如何改进？",
                     "请谈谈在基于垂直领域表现不佳。"),  # 痛点2 of the document-QA chapter
    "q-ccf174da9d": ("样本量规模增大后，训练出现 OOM 错误，怎么解决？", "请谈谈样本量规模增大，训练出现OOM错。"),
    "q-6a58633e4e": ("提示学习(Prompting)有哪些方法？能不能稍微介绍一下它们之间的区别？",
                     "提示学习(Prompting)有哪些方法，能不能稍微介绍一下它们间？"),  # cut off in the seed
    "q-56e330b47e": ("如何尽可能召回与 query 相关的 Document？", "如何尽可能召回与query相关的Document 问题"),
    "q-3371fdf960": ("LangChain 内置的问答分句效果不佳，怎么办？", "请谈谈langchain 内置问答分句效果不佳问题。"),
    "project.training": ("使用哪一种训练方法，什么sft，这些方法有什么不同，有什么优缺点，原理上解释不同方法的差别？",
                         "使用哪一种训练方法，什么sft，这些方法有什么不同，有什么优缺点，原理上解释不不同方法的差别？"),
    "q-08a02da540": ("Attention的作用是什么？", "Attntion的作用是什么？"),
    "q-cb1ba9c257": ("逻辑回归和线性回归的本质区别是什么？", "逻辑回归和线形回归的本质区别是什么？"),
    "q-2e5c51d61a": ("RAG如何微调一个embedding模型？", "RAG如何微调一个embeding模型？"),
    "q-d2ab429f39": ("请详细说说如何训练一个embedding模型？", "请详细说说如何训练一个embeding模型？"),
    "q-9a662f6c29": ("为什么需要提示微调(Prompt-tuning)？", "为什么需要指示微调(Prompt-tuning)？"),
    "q-1d8b5df9d0": ("提示微调(Prompt-tuning)思路是什么？", "指示微调(Prompt-tuning)思路是什么？"),
    "q-84aff0c4ce": ("提示微调(Prompt-tuning)优点是什么？", "指示微调(Prompt-tuning)优点是什么？"),
    "q-22b07f53e6": ("提示微调(Prompt-tuning)缺点是什么？", "指示微调(Prompt-tuning)缺点是什么？"),
    "q-93b6cba868": ("提示微调(Prompt-tuning)与 Prefix-tuning 区别是什么？",
                     "指示微调(Prompt-tuning)与 Prefix-tuning 区别是什么？"),
    "q-694707c1b8": ("提示微调(Prompt-tuning)与 fine-tuning 区别是什么？",
                     "指示微调(Prompt-tuning)与 fine-tuning 区别是什么？"),
}

# Questions no longer asked: 2023-era complaints about early LangChain releases (token use, docs, too
# many helpers, inconsistent behaviour, no interoperable types) and the alternatives of that time. They
# stay in the bank, so past sessions and reports still find them; question choice skips them.
LANGCHAIN_2023 = "a 2023 complaint about early LangChain releases; the library and the field have moved on"
RETIRED: dict[str, tuple[str, str]] = {
    "q-a4bf792e0e": (LANGCHAIN_2023, "请谈谈LangChain 低效的令牌使用问题。"),
    "q-364cd22941": (LANGCHAIN_2023, "请谈谈LangChain 文档的问题。"),
    "q-9a2cd09a72": (LANGCHAIN_2023, "请谈谈LangChain 太多概念容易混淆，过多的“辅助”函数问题。"),
    "q-e4cf7a36af": (LANGCHAIN_2023, "请谈谈LangChain 行为不一致并且隐藏细节问题。"),
    "q-6595f29f89": (LANGCHAIN_2023, "请谈谈LangChain 缺乏标准的可互操作数据类型问题。"),
    "q-df1c2df3f3": (LANGCHAIN_2023, "LangChain 存在哪些问题及方法方案？"),
    "q-e1ca7c0b44": (LANGCHAIN_2023, "LangChain 替代方案？"),
    "q-3371fdf960": (LANGCHAIN_2023, "LangChain 内置的问答分句效果不佳，怎么办？"),
}

# Kind corrections. A project question without a ladder slot is listed in the bank but never asked on
# the ladder (the ladder asks `project.<slot>` only).
KIND_OVERRIDES: dict[str, tuple[Kind, str]] = {
    "q-a6228bc083": ("project", "你在整个项目搭建中做了哪些事"),  # about the candidate's own project
}

# Topic corrections where the keyword rules pick the wrong topic (a word of the answer or of the
# chapter wins over what the question asks).
TOPIC_OVERRIDES: dict[str, tuple[Topic, str]] = {
    # "大模型" in the question would make these general LLM questions; they are about training one.
    "q-3cc93333fd": ("pretraining_sft", "请简述大模型训练的基本过程。"),
    "q-e07fec2c44": ("pretraining_sft", "在大模型训练中，如何处理数据稀疏性和不平衡性？"),
    "q-bbc2776297": ("pretraining_sft", "如何训练自己的大模型？"),
    "q-603da97d6e": ("pretraining_sft", "训练中文大模型有哪些经验？"),
    "q-a3f302dff7": ("pretraining_sft", "大模型训练中 loss 出现 NaN 或 loss spike 的原因是什么？如何解决？"),
    "q-b67ddc50ae": ("pretraining_sft", "如何给LLM注入领域知识？"),  # filed under the agent chapter
    # 推理 here is reasoning, not inference.
    "q-53442cea6e": ("llm_architecture", "大模型有推理能力吗？"),
    # Teacher forcing and causal masking, not inference serving.
    "q-7592c23a75": ("transformer", "Transformer 在训练和推理时有什么不同？"),
    # Model families (like prefix LM vs causal LM), not the Transformer block.
    "q-575790d2ba": ("llm_architecture", "Prefix Decoder、Causal Decoder 和 Encoder-Decoder 三种结构有什么区别？"),
    # The answers are Freeze, P-Tuning, LoRA, QLoRA: parameter-efficient methods.
    "q-83f47614b9": ("peft", "你知道哪些主流的大模型微调方法？"),
    "q-3a5cb309a9": ("peft", "微调方法是啥？如何微调？"),  # filed under the PEFT chapter
    "q-239651b5d1": ("nlp_basics", "介绍一下Sentence Transformers"),  # sentence embeddings, not the architecture
    "q-df49edb778": ("ml_basics", "常见的激活函数有哪些？"),  # deep-learning basics (LLM FFN activations stay)
    "q-3ad38cdcec": ("llm_architecture", "介绍一下使用 GLU 线性门控单元的 FFN 块计算公式？"),  # with the GLU variants
    # Pain points of document QA with an LLM and a vector store, i.e. RAG (filed under the langchain chapter).
    "q-53067d21c2": ("rag", "基于 LLM + 向量库的文档问答在垂直领域表现不佳，原因是什么？如何改进？"),
    "q-978d487c45": ("rag", "如何让LLM基于query和context得到高质量的response"),
    "q-ce55dea45d": ("inference", "如果想要快速体验各种模型，该怎么办？"),  # serving tools; filed under agent
    "q-5938c6933c": ("alignment", "如何让大模型输出合规化"),  # safety of outputs
}

# Difficulty corrections: 1 definitions and basics, 2 mechanisms and comparisons, 3 derivations,
# hand-written code, system design, trade-offs at scale and deep internals.
DIFFICULTY_OVERRIDES: dict[str, tuple[int, str]] = {
    # System design: the answer is a pipeline with trade-offs, not a definition.
    "q-81facb58e3": (3, "Agent是怎么搭建的，用的是哪个框架？"),
    "q-5e3c49fa90": (3, "如何处理大模型中的模型幻觉问题？"),
    "q-78ea33cf5a": (3, "RAG 中如何判断一个问题需要检索文档，还是直接用模型的通识知识回答？"),
    "q-57f5a9d6ec": (3, "RAG 中文档切分粒度不好把控，既担心噪声太多又担心语义信息丢失，怎么办？"),
    "q-62bdf6b715": (3, "如何让 LLM 回答出全面的跨段落（粗粒度）知识，避免召回内容残缺？"),
    "q-53067d21c2": (3, "基于 LLM + 向量库的文档问答在垂直领域表现不佳，原因是什么？如何改进？"),
    "q-56e330b47e": (3, "如何尽可能召回与 query 相关的 Document？"),
    "q-cafb9ec6c8": (3, "多模态大模型在处理不同模态数据时，如何保证信息的有效融合？"),
    # Trade-offs of training at scale.
    "q-18ae07d446": (3, "如何防止模型在微调时遗忘？"),
    "q-603da97d6e": (3, "训练中文大模型有哪些经验？"),
    "q-b67ddc50ae": (3, "如何给LLM注入领域知识？"),
    "q-9208d1768e": (3, "LoRA 的原理是什么？使用时有哪些技巧？"),  # rank, alpha, target modules, learning rate
    "q-20e615a22f": (3, "奖励模型需要和基础模型一致吗？"),
    "q-49d7e431c4": (3, "想让模型学习某个领域或行业的知识，是应该预训练还是应该微调？"),
    # Deep internals.
    "q-aae8b7bd19": (3, "Transformer为何使用多头注意力机制？（为什么不使用一个头）"),  # with the other (二) items
    "q-cb1ba9c257": (3, "逻辑回归和线性回归的本质区别是什么？"),  # distribution assumptions, MLE -> loss
    "q-43f40ef64a": (3, "梯度消失和梯度爆炸的原因和解决方案"),  # products of Jacobians through depth
    "q-2654fa1b0a": (3, "LoRA微调方法为啥能加速训练？"),  # what backward still computes, what the optimiser saves
    "q-7730d8d441": (3, "Prompt 压缩的原理是什么？"),  # self-information, LLMLingua
    "q-05e5277692": (3, "介绍一下 TF-IDF、BM25 和向量相似度，它们有什么区别？"),  # BM25 saturation and length terms
    "q-82cd990111": (3, "你还了解哪些关于位置编码的技术，各自的优缺点是什么？"),
    "q-ae59ea896f": (3, "LN 在 LLMs 中的不同位置有什么区别么？如果有，能介绍一下区别么？"),  # Pre/Post-LN stability
    "q-6377577a3b": (3, "Deep Norm 思路？"),  # residual up-scaling and init down-scaling with depth
    # A comparison of four methods, not a list of traits.
    "q-0a19ce9428": (2, "Freeze、LoRA、P-Tuning 和全参数微调各有什么特点？"),
}
