"""Content detectors: what an answer states, found clause by clause (numbers, metrics, models, hardware,
data, causes and fixes, STAR parts, vague claims).

One home for these patterns: the grader uses them to judge structural key points ("gives a metric with a
baseline"), the interviewer to fill project slots and build the claims it probes. Pure functions of the
text, no state, no I/O; `detect(text)` returns findings in text order.

Spans: `start`/`end` locate the matched words (`match`) in the input; `text` is the whole clause they stand
in (a comma-delimited part of a sentence), so a caller can quote it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

from pydantic import BaseModel, ConfigDict

FindingKind = Literal[
    "metric", "number", "comparison", "baseline", "model", "model_size", "hardware", "duration", "data_source",
    "data_size", "cause", "fix", "result", "star_situation", "star_task", "star_action", "star_result",
    "vague", "hyperparameter", "ownership", "example", "technique", "lesson", "plan", "question", "learning_source",
    "split", "usage", "steps", "strength", "weakness", "background", "motivation", "monitoring", "disagreement",
]
ModelRole = Literal["base", "judge", "teacher", "baseline", "embedding"]


class Finding(BaseModel):
    """One thing the text states. `value` is a number (normalised: "3 万" -> 30000.0, "一周" -> 7 days in
    `unit` "天" as given) or a name (models); `subject` is what the number is about ("首 token", "SFT",
    "训练"), `quantity` what is measured ("latency", "gpu_count", "count", "duration", "accuracy"...)."""

    model_config = ConfigDict(frozen=True)

    kind: FindingKind
    text: str
    start: int
    end: int
    match: str
    value: float | str | None = None
    unit: str | None = None
    subject: str | None = None
    quantity: str | None = None
    role: ModelRole | None = None
    approximate: bool = False
    # The value before a change ("从 72% 提升到 89%": value 89, previous 72).
    previous: float | None = None


# ---- numbers -------------------------------------------------------------------------------------------

ARABIC = r"\d+(?:\.\d+)?(?:e-?\d+)?"
CN_NUMBER = (r"(?:十几[十百千万亿]*|[几数上][十百千万亿]+|几|"
             r"[一二两三四五六七八九十][零一二两三四五六七八九十百千万亿]*)多?")
# "3 万", "2.5k", "两千多", "十几万", "上万".
NUMBER = rf"(?:(?:{ARABIC})\s*多?\s*[万千百亿wWkK]?多?|{CN_NUMBER})"
CN_DIGIT = {"零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
CN_SCALE = {"十": 10, "百": 100, "千": 1000, "万": 10_000, "亿": 100_000_000}
SUFFIX_SCALE = {"万": 10_000, "千": 1000, "百": 100, "亿": 100_000_000, "w": 10_000, "W": 10_000, "k": 1000,
                "K": 1000}


def parse_number(raw: str) -> tuple[float | None, bool]:
    """The value of "3 万", "2e-4", "两千多", "十几万", "一周"'s "一"; and whether it is approximate
    ("几百", "上万", "两千多"). None when only a vague count ("几") was said."""
    text = raw.replace(" ", "")
    approximate = "多" in text or "几" in text or text.startswith(("上", "数"))
    text = text.replace("多", "")
    match = re.fullmatch(rf"({ARABIC})([万千百亿wWkK]?)", text)
    if match:
        return float(match.group(1)) * SUFFIX_SCALE.get(match.group(2), 1), approximate
    if text in ("几", "数"):
        return None, True
    text = text.replace("几", "五").replace("上", "一").replace("数", "五")  # "几百" ~ "五百": order of magnitude only
    total, section, digit = 0.0, 0.0, 0.0
    for char in text:
        if char in CN_DIGIT:
            digit = CN_DIGIT[char]
        elif char in CN_SCALE:
            scale = CN_SCALE[char]
            if scale >= 10_000:
                total = (total + section + digit) * scale
                section, digit = 0.0, 0.0
            else:
                section += (digit or 1) * scale
                digit = 0.0
        else:
            return None, True
    return total + section + digit, approximate


# ---- vocabularies --------------------------------------------------------------------------------------

GPU = (r"(?:[AH]100|[AH]800|H20|A10G?|A30|A40|A6000|T4|V100|P100|L40S?|L20|L4|RTX\s?\d{4}|[234]0[89]0(?:\s?Ti)?|"
       r"910B|GPU|显卡)")
MODEL_FAMILY = (
    r"(?:Qwen(?:\d(?:\.\d)?)?(?:-VL)?|通义千问|GPT-?4o?(?:-mini|-turbo)?|GPT-?3\.5(?:-turbo)?|ChatGPT|ChatGLM\d?|GLM-?4|"
    r"Baichuan\d?|CodeLlama|Llama\s?\d?(?:\.\d)?|LLaMA\s?\d?|Mistral|Mixtral|DeepSeek(?:-Coder|-V\d|-R1)?|InternLM\d?|"
    r"Yi|HuatuoGPT|Claude(?:\s?\d(?:\.\d)?)?|Gemini|ERNIE|文心一言|BERT|RoBERTa|MacBERT|T5|bge|BGE|m3e|Phi-?\d|Gemma\d?)"
)
MODEL = re.compile(
    rf"(?<![A-Za-z]){MODEL_FAMILY}(?:[-\s]?(?:base|large|chat|Chat|Instruct|instruct|Coder|VL))*"
    rf"(?:-?\s?(?P<size>\d+(?:\.\d+)?)\s?[Bb](?![A-Za-z]))?(?:-(?:Chat|Instruct|chat|instruct|base|large))*(?![A-Za-z])"
)
MODEL_SIZE = re.compile(r"(?<![\w.@-])(?P<size>\d+(?:\.\d+)?)\s?B(?!\s?tokens?)(?![A-Za-z])")
METRIC_NAME = (
    r"(?:Recall@\d+|recall@\d+|[Rr]ecall|[Pp]recision|F1|pass@\d+|Top-?\d+\s?命中率|命中率|准确率|正确率|召回率|精确率|"
    r"精度|一致率|解决率|完成率|通过率|胜率|转人工率|拒答率|幻觉率|采纳率|满意度|CTR|CVR|GMV|MMLU|BLEU|ROUGE(?:-L)?|"
    r"AUC|EM|hit rate|平均分|评分|得分|人工量|曝光)"
)
METRIC_QUANTITY = {"延迟": "latency", "吞吐": "throughput"}
DATA_NOUNS = ("SFT", "DPO", "偏好对", "偏好", "FAQ", "咨询", "问答", "对话", "合同", "PDF", "文档", "说明书", "chunk",
              "表格", "样本", "题", "商品", "query", "工单", "简历", "语料", "判决书", "文案", "评论", "图片", "记录",
              "文本", "抽检", "复核", "标注", "token", "请求", "查询", "调用", "消息", "会话", "数据")
# "题" in "问题" or "标题" is no data noun.
NOUN_GUARD = {"题": r"(?<![问标话主])题(?!目?[:：])"}
TIME_UNITS = {"ms": "ms", "毫秒": "ms", "秒": "s", "秒钟": "s", "s": "s", "分钟": "分钟", "小时": "小时", "h": "小时",
              "天": "天", "周": "周", "星期": "周", "个月": "月", "月": "月", "年": "年"}
HOURS = {"小时": 1.0, "天": 24.0, "周": 168.0, "月": 720.0, "年": 8760.0, "分钟": 1 / 60}

# ---- clause-level patterns ------------------------------------------------------------------------------

CAUSE = re.compile(r"因为|由于|原因是|原因在于|是因为|导致|所以|the reason|because", re.I)
FIX = re.compile(r"后来(?:我们)?|解决(?:了|办法|方案)?|改成|换成|改为|加了|引入|兜底|修复|调大|调小|于是|优化了|"
                 r"fixed|solved", re.I)
RESULT = re.compile(r"效果|结果|最终|最后|上线后|上线之后|提升|降低|减少|提高|做到了|达到|好很多|解决了", re.I)
STAR: dict[FindingKind, re.Pattern[str]] = {
    "star_situation": re.compile(r"当时|那时|背景|之前|以前|原来|起初|一开始|原先"),
    "star_task": re.compile(r"负责|我的任务|任务是|目标是|需要|要求|要做|职责|老板要"),
    "star_action": re.compile(r"我们?(?:先|就|后来|主要|又|还|再)?(?:做了|用了?|采用|设计|实现|搭建|引入|加了|写了|"
                              r"训练|微调|改成|换成|搞了|整理|切成|专门)"),
    "star_result": re.compile(r"最终|最后|结果|上线后|上线之后|提升|降低|减少|提高|做到了|达到"),
}
# Story content a project / behavioural / opening point asks for beyond numbers: who did which part, a
# quoted example, a technique by name, a lesson, a plan, a question back... (rubric points name the kinds
# that meet them in `evidence`). Cues of the candidate's own words, each concrete enough that talking
# around the point ("我们做了一些优化") does not carry it.
TECHNIQUE_TERMS = (
    r"LoRA|QLoRA|全参|全量微调|P-?Tuning|Prefix[- ]Tuning|Adapter|SFT|DPO|PPO|RLHF|GRPO|KTO|ORPO|蒸馏|"
    r"vLLM|TensorRT(?:-LLM)?|TGI|SGLang|Triton|Ollama|llama\.cpp|ONNX|DeepSpeed|ZeRO|FSDP|Megatron|FlashAttention|"
    r"量化|INT[48]|AWQ|GPTQ|FP8|bf16|fp16|continuous batching|连续批处理|批处理|PagedAttention|KV\s?cache|"
    r"前缀缓存|语义缓存|缓存|投机解码|speculative|BM25|向量检索|混合检索|重排|rerank|召回|RAG|知识库|CoT|思维链|ToT|"
    r"few-?shot|zero-?shot|(?-i:ReAct)|function call(?:ing)?|工具调用|JSON\s?(?:schema|mode)?|约束解码|正则|温度|"
    r"temperature|top[_-]?p|top[_-]?k|beam|LangChain|LangGraph|LlamaIndex|Milvus|Faiss|Chroma|Elasticsearch|ES|"
    r"Redis|Kafka|K8s|Kubernetes|Docker|FastAPI|Transformer|BERT|MoE|Agent"
)
CONTENT_CUES: tuple[tuple[FindingKind, re.Pattern[str]], ...] = (
    ("ownership", re.compile(
        r"我(?:主要|一个人|自己|独立|全程|当时)?(?:负责|牵头|主导|搭的|搭了|写的|写了|做的|来做|带着?|"
        r"是[^，。]{0,10}owner)|由我|是我(?:做|搭|写|负责|标|跑|定|一个人)|"
        r"(?:同事|组长|另[一两外]个|其他人|别人|他们|团队里?|同学|导师|产品)[^，。]{0,10}?(?:负责|做的|在做|来做)|"
        r"owner|分工|我的(?:职责|角色|任务|工作)|"
        r"我(?:通常|一般|往往|经常)?(?:是|当|担任|扮演)[^，。]{0,8}(?:角色|负责人|owner|组长|leader|推动|协调)", re.I)),
    ("example", re.compile(
        r"[“\"「『‘][^”\"」』’]{4,}[”\"」』’]|(?:比如|例如|譬如)(?:说)?(?:用户|客户|有人)?(?:输入|问|发|说|提问)|"
        r"举个例子|输入(?:是|为|：|:)|输出(?:是|为|：|:)|返回(?:的)?(?:是|：|:)|回答(?:是|：|:)|\{\s*\"")),
    ("technique", re.compile(rf"(?<![A-Za-z])(?:{TECHNIQUE_TERMS})(?![A-Za-z])", re.I)),
    ("lesson", re.compile(r"反思|复盘|教训|学到|学会了|意识到|体会到|明白了|以后(?:我)?(?:会|都|就)|下次|从那以后|"
                          r"之后我(?:都|会|就)|成长|收获|经验是|吸取", re.I)),
    ("plan", re.compile(r"(?:[一二三两五十\d]\s*(?:到|-|~|～)\s*)?[一二三两五十\d]\s*年(?:内|里|后|左右|之内)?|"
                        r"短期|长期|中长期|未来|接下来|规划|打算|计划|希望(?:能|成为|自己)|目标是|"
                        r"成为[^，。]{0,10}(?:专家|负责人|leader|架构师)")),
    ("question", re.compile(r"[?？]|请问|想了解|想问|想知道|能不能(?:介绍|说说|讲讲)|可以(?:介绍|说说|讲讲)|会不会|"
                            r"是怎么")),
    ("learning_source", re.compile(r"论文|paper|arxiv|github|开源(?:代码|项目|仓库|社区)|源码|博客|blog|社区|"
                                   r"公众号|知乎|twitter|推特|huggingface|官方文档|技术报告|课程|播客", re.I)),
    ("split", re.compile(r"训练集|验证集|测试集|开发集|dev\s?set|test\s?set|\d+\s*[:：]\s*\d+\s*[:：]\s*\d+|"
                         r"划分|切分比例|hold[- ]?out|交叉验证|留出", re.I)),
    ("usage", re.compile(r"日活|DAU|MAU|调用量|用户量|"
                         r"(?:每天|每日|日均|一天)[^，。]{0,10}?(?:次|条|个?请求|调用|人|用户|单)|"
                         r"已经?上线|上线了|灰度|全量|内测|试点|"
                         r"(?:\d+|[几十百千万]+)\s*(?:个|家|位)?(?:用户|门店|客户|坐席|员工)", re.I)),
    ("steps", re.compile(r"第[一二三四五六1-6]步|先[^，。]{1,20}(?:再|然后|之后)|然后|接着|最后再|多轮|单轮|多步|"
                         r"两阶段|三阶段|pipeline|流程是|分[两三四]步|分成[两三四]", re.I)),
    ("strength", re.compile(r"优点|优势|擅长|长处|强项|比较强|做得好|拿手")),
    ("weakness", re.compile(r"缺点|不足|短板|弱点|不太擅长|不擅长|毛病|做得不好|问题是我|我的问题|"
                            r"容易(?:拖|急|忽略|钻)")),
    ("background", re.compile(r"本科|硕士|博士|研究生|研[一二三]|应届|毕业|在读|专业|学校|实验室|"
                              r"工作了?\s*[\d一二三四五六七八九十两]+\s*年|目前在|现在在|"
                              r"(?:[一二三四五六七八九十两\d]+)\s*年(?:的)?(?:工作)?经验")),
    ("motivation", re.compile(r"为什么(?:想|选|投|来)|想加入|吸引我|匹配|契合|对口|感兴趣|热爱|看好|想做|想往|"
                              r"方向一致|正好是")),
    ("monitoring", re.compile(r"监控|埋点|日志|告警|看板|dashboard|点踩|点赞|反馈按钮|抽检|抽样|A/?B|bad\s?case|"
                              r"回流|人工复核|人工评估|满意度|评测集", re.I)),
    ("disagreement", re.compile(r"分歧|争论|意见不(?:同|一致)|不同意|看法不同|不同看法|觉得应该|坚持|反对|争执|吵|"
                                r"各执一词|他(?:们)?(?:想|主张|认为|觉得)|"
                                r"我(?:主张|认为|觉得)[^，。]{0,12}(?:更好|应该)")),
)
DATA_SOURCE = re.compile(
    r"来源是|来源于|来自|(?:从|在)[^，。,]{0,12}?(?:爬|收集|采集|导出|拿的|抽取|挑)|爬的|爬取|公开的|公开数据|开源数据|"
    r"历史[^，。,]{0,6}?(?:记录|日志|数据|文案|合同|工单|问答|举报)|脱敏|标注团队|人工标注|标注员|人工标|标了|"
    r"(?:业务|法务|医院|客户|运营)(?:那边|方)?(?:给|提供)|题库|合成|(?:GPT-?4o?|teacher)[^，。,]{0,6}(?:生成|改写|打完?标|造|标注)",
    re.I,
)
VAGUE = re.compile(
    r"(?:整体效果|效果|提升|提高|改善|反馈|准确率|召回率|命中率|一致率|解决率|通过率|成功率|采纳率|精度|性能|体验|"
    r"满意度|指标|质量|表现)[^，。,\d]{0,8}?"
    r"(?:挺|很|非常|特别|比较|相当|也|都|还)?(?:明显|显著|不错|很好|挺好|好用|棒|很高|高|好)"
    r"|(?:大量|海量|大批)的?[^，。,\d]{0,4}?(?:数据|样本|语料|问答|单子|请求|用户|文档|记录|日志)"
    r"|量(?:挺|很|非常|特别|比较)大|(?:挺|很|非常)好用|(?:快|好|准)了?(?:很多|不少|一大截)",
)
VAGUE_SUBJECTS = (("准确率", "准确率"), ("召回率", "召回率"), ("反馈", "用户反馈"), ("好用", "用户反馈"),
                  ("大量", "数据量"), ("海量", "数据量"), ("质量", "效果"), ("量", "数据量"), ("快", "速度"),
                  ("效果", "效果"))  # "质量很好" is about quality, not amount: before "量"
HAS_QUANTITY = re.compile(rf"\d|{CN_NUMBER}\s*(?:条|份|个|张|道|倍|成|%|点)")
HYPERPARAMETER = re.compile(
    rf"(?P<name>rank|lora_r|alpha|学习率|learning rate|lr|batch[ _]size|beta|β|温度|temperature|top_p|max_num_seqs|"
    rf"warmup)\s*(?:设的|设为|设成|设置为|用的|取|是|=|为)?\s*(?P<value>{ARABIC})|(?P<epochs>{NUMBER})\s*个?\s*epochs?",
    re.I,
)
HARDWARE = re.compile(rf"(?P<number>{NUMBER})\s*(?P<measure>张|块|台|个|卡)\s*(?:卡\s*)?(?P<gpu>{GPU})?"
                      rf"|(?P<gpu2>{GPU})\s*[x×*]\s*(?P<number2>\d+)")
TIME = re.compile(rf"(?P<number>{NUMBER})\s*(?:个)?\s*"
                  r"(?P<unit>ms|毫秒|秒钟|秒|分钟|小时|天|周|星期|个月|月|年|s(?![A-Za-z])|h(?![A-Za-z]))")
# A rate: "每秒 2400 token", "1800 tok/s", "QPS 大概 45", "QPS 从 20 提到 60", "200 QPS".
RATE_UNIT = r"tokens?\s?/\s?(?:s|秒)|tok/s|t/s|QPS|TPS|RPS"
THROUGHPUT = re.compile(
    rf"每秒钟?(?:其实)?(?:只|能|可以)?(?:处理|生成|跑|输出|出|吐)?\s*(?P<a>{NUMBER})\s*(?P<a_unit>个?\s*(?:tokens?|条|次|个?请求))"
    rf"|(?P<b>{ARABIC}\s*[kK万]?)\s*(?P<b_unit>{RATE_UNIT})(?![A-Za-z])"
    rf"|(?<![A-Za-z])(?P<c_unit>QPS|TPS|RPS)(?![A-Za-z])\s*"
    rf"(?:从\s*(?P<c_from>{ARABIC})[^，。,\d]{{0,8}}?(?:到|至)了?\s*)?[^，。,\d]{{0,8}}?(?P<c>{ARABIC}\s*[kK万]?)",
    re.I)
THROUGHPUT_UNITS = (("token", "token/s"), ("tok", "token/s"), ("t/s", "token/s"), ("TPS", "TPS"), ("条", "条/s"))
PERCENT = re.compile(rf"(?P<number>{ARABIC})\s*(?P<unit>%|％|个百分点|个点|pp)|(?P<cn>[一二三四五六七八九])成")
COUNT = re.compile(rf"(?P<number>{NUMBER})\s*(?P<unit>条|份|道|篇|对|个|段|B\s?tokens?|tokens?)")
SCORE = re.compile(rf"(?P<name>{METRIC_NAME})[^，。,\d]{{0,10}}?"
                   rf"(?:从\s*(?P<from>{ARABIC})\s*%?[^，。,\d]{{0,8}}?(?:到|至)了?\s*)?"
                   rf"(?P<value>{ARABIC})\s*(?P<unit>%|％|分|个点)?")
FROM_TO = re.compile(rf"从\s*(?:每秒\s*)?(?P<from>{ARABIC})\s*(?P<unit>%|％|分|ms|个?\s*token)?"
                     rf"[^，。,\d]{{0,10}}?(?:到|至)了?\s*"
                     rf"(?:每秒\s*)?(?P<to>{ARABIC})")
DELTA = re.compile(rf"(?P<dir>提升|提高|增加|降低|减少|下降|高了?|低了?|掉了?|涨了?|少了?|多了?|快了?|\+|＋)\s*了?\s*"
                   rf"(?:差不多|大概|约|近)?\s*(?P<value>{ARABIC}|[一二三四五六七八九十]+)\s*(?P<unit>%|％|个百分点|个点|倍|成|pp)")
BASELINE = re.compile(r"(?:相比|对比|相较于?|(?<![好无对])比(?![如较方例起]))\s*"
                      r"(?P<what>[^，。,\d]{1,16}?)\s*(?=高|低|好|快|慢|提升|多|少|版本|方案|要)"
                      r"|(?:[Bb]aseline|基线)(?:是|用的|为)?\s*(?P<named>[^，。,]{1,20})")
DELTA_WORD = re.compile(r"提升|提高|增加|降低|减少|下降|高了?|低了?|掉|涨|少了|多了|\+|＋")
REACHED = re.compile(r"(?:到|至)了?\s*$")
LATENCY_QUALIFIER = re.compile(r"首\s?token|首字|TTFT|p\d\d|单条|平均", re.I)
EMBEDDING_MODEL = re.compile(r"bge|m3e", re.I)
EMBEDDING_WORDS = re.compile(r"向量模型|embedding|rerank", re.I)
TRAINING_TOKENS = re.compile(r"训练|pretrain|预训练|语料", re.I)
# A flow's period: "每天 2 万条咨询" and "日均 3 万条请求" are flows, not the size of a data set.
RATE = re.compile(r"每天|每日|日均|一天|每周|一周|周均|每月|每个月|一个月|月均|每小时|一小时|每分钟|每秒")
CN_MEASURE = re.compile(r"\s*(?:条|份|个|张|道|倍|成|天|周|小时|万)")
LATENCY_CONTEXT = re.compile(r"首\s?token|首字|TTFT|first token|p\d\d|延迟|latency|耗时|响应|单条|ms|毫秒", re.I)
PHASE_TRAINING = re.compile(r"训练|训|微调|SFT|LoRA|pretrain|预训练|蒸馏|finetune|fine-tune|epoch", re.I)
PHASE_SERVING = re.compile(r"部署|推理|上线|线上|服务|serving|vLLM|TensorRT|量化|跑在|在线|单机|批量跑|离线跑|跑批",
                           re.I)
ROLE_CONTEXT: tuple[tuple[ModelRole, re.Pattern[str]], ...] = (
    ("judge", re.compile(r"裁判|judge|打分|评分|评测|评估|当评委|GPT-?4\s*评", re.I)),
    ("teacher", re.compile(r"teacher|老师模型|教师|蒸馏自|生成标注|打完标签|打.{0,6}标签|改写|扩充|造数据|生成数据|"
                           r"标注|(?:造|生成|合成)了?.{0,8}(?:数据|样本|难例|难题|问答|题目|对话)", re.I)),
    ("baseline", re.compile(r"比原来|原来的|原先|之前的|相比|对比|baseline|基线|比\s*$", re.I)),
    ("embedding", re.compile(r"向量|embedding|检索|召回|rerank|bge|m3e", re.I)),
)


@dataclass(frozen=True)
class Clause:
    text: str
    start: int
    sentence: str


# An ASCII ! or ? ends a sentence only before a space or the end ("![x](…)", "a?b" stay whole).
SENTENCE = re.compile(r"(?:[^。！？!?；;\n]|[!?](?=\S))+")
CLAUSE = re.compile(r"[^，,]+")


def clauses(text: str) -> Iterator[Clause]:
    """Comma-delimited parts of each sentence, with their offsets in `text`."""
    for sentence_match in SENTENCE.finditer(text):
        sentence = sentence_match.group()
        for part in CLAUSE.finditer(sentence):
            raw = part.group()
            stripped = raw.strip()
            if stripped:
                offset = sentence_match.start() + part.start() + (len(raw) - len(raw.lstrip()))
                yield Clause(stripped, offset, sentence.strip())


def _finding(kind: FindingKind, clause: Clause, match: re.Match[str], **fields: object) -> Finding:
    return Finding(kind=kind, text=clause.text, start=clause.start + match.start(), end=clause.start + match.end(),
                   match=match.group().strip(), **fields)  # type: ignore[arg-type]


def _phase(clause: Clause) -> str | None:
    """Whether a number is about training or serving: the clause decides, else the nearest cue in its sentence."""
    found = [(name, match) for name, pattern in (("训练", PHASE_TRAINING), ("部署", PHASE_SERVING))
             for match in pattern.finditer(clause.text)]
    if found:
        return min(found, key=lambda item: item[1].start())[0]
    position = clause.sentence.find(clause.text)
    nearest: tuple[int, str] | None = None
    for name, pattern in (("训练", PHASE_TRAINING), ("部署", PHASE_SERVING)):
        for match in pattern.finditer(clause.sentence):
            distance = abs(match.start() - position)
            if nearest is None or distance < nearest[0]:
                nearest = (distance, name)
    return nearest[1] if nearest else None


def data_subject(clause: Clause, start: int, end: int) -> str | None:
    """The data a count is about: the data noun nearest the number in the clause (a specific one before the
    generic "数据"), else the nearest in the sentence before it. "其中 5000 条" is a subset: no subject."""
    text = clause.text
    if "其中" in text[max(0, start - 6):start]:
        return None
    best: tuple[int, int, str] | None = None
    for noun in DATA_NOUNS:
        for found in re.finditer(NOUN_GUARD.get(noun, re.escape(noun)), text, re.I):
            distance = start - found.end() if found.end() <= start else found.start() - end
            if distance < 0:
                continue
            key = (0 if noun != "数据" else 1, distance, noun)
            if best is None or key < best:
                best = key
    if best is not None:
        return best[2].upper() if best[2].isascii() else best[2]
    before = clause.sentence[: clause.sentence.find(text)] if text in clause.sentence else ""
    for noun in DATA_NOUNS:
        if noun != "数据" and noun.lower() in before.lower():
            return noun.upper() if noun.isascii() else noun
    return None


def _metric_name(text: str, end: int) -> str | None:
    names = list(re.finditer(METRIC_NAME, text[:end]))
    return names[-1].group() if names else None


def _is_change(between: str) -> bool:
    """"提升了 9%" states a change; "提升到 86%" the value reached."""
    return DELTA_WORD.search(between) is not None and not REACHED.search(between)


def _sentence_before(clause: Clause) -> str:
    """The sentence up to this clause: "准确率是工程师打分，大概 78%" names the metric a clause earlier."""
    position = clause.sentence.find(clause.text)
    return clause.sentence[:position] if position > 0 else ""


def _in_spans(position: int, spans: list[tuple[int, int]]) -> bool:
    return any(start <= position < end for start, end in spans)


Taken = list[tuple[int, int]]  # spans of a clause already read as something more specific than "number"


def _models(clause: Clause, taken: Taken) -> Iterator[Finding]:
    text = clause.text
    for match in MODEL.finditer(text):
        window = text[max(0, match.start() - 14): match.end() + 14]
        before = text[max(0, match.start() - 14): match.start()]
        role: ModelRole = "base"
        for candidate, pattern in ROLE_CONTEXT:
            if not pattern.search(before if candidate == "baseline" else window):
                continue
            if candidate == "embedding" and not EMBEDDING_MODEL.search(match.group()) \
                    and not EMBEDDING_WORDS.search(window):
                continue  # "检索到的片段交给 Qwen" is still the base model
            role = candidate
            break
        if role == "judge" and "底座" in window:
            role = "base"
        yield _finding("model", clause, match, value=re.sub(r"\s+", "", match.group()), role=role, subject="模型")
        if match.group("size"):
            yield _finding("model_size", clause, match, value=float(match.group("size")), unit="B",
                           subject=re.sub(r"\s+", "", match.group()))
        taken.append(match.span())
    for match in MODEL_SIZE.finditer(text):
        if not _in_spans(match.start(), taken):
            yield _finding("model_size", clause, match, value=float(match.group("size")), unit="B")
            taken.append(match.span())


def _hardware(clause: Clause, taken: Taken) -> Iterator[Finding]:
    for match in HARDWARE.finditer(clause.text):
        gpu = match.group("gpu") or match.group("gpu2")
        if not gpu and match.group("measure") != "卡":
            continue  # "10 张表": a count, not cards
        value, approximate = parse_number(match.group("number") or match.group("number2"))
        yield _finding("hardware", clause, match, value=value, unit=(gpu or "卡").replace(" ", ""),
                       approximate=approximate, subject=_phase(clause), quantity="gpu_count")
        taken.append(match.span())


def _throughput(clause: Clause, taken: Taken) -> Iterator[Finding]:
    text = clause.text
    previous: float | None = None
    for match in THROUGHPUT.finditer(text):
        value, approximate = parse_number(match.group("a") or match.group("b") or match.group("c"))
        taken.append(match.span())
        if re.search(r"从\s*$", text[max(0, match.start() - 3): match.start()]):
            previous = value  # the "from" side of a change: the final value carries it
            continue
        said_unit = (match.group("a_unit") or match.group("b_unit") or match.group("c_unit")).upper()
        unit = next((name for key, name in THROUGHPUT_UNITS if key.upper() in said_unit), "请求/s")
        if match.group("c_from"):
            previous = float(match.group("c_from"))
        yield _finding("metric", clause, match, value=value, unit=unit, approximate=approximate, subject="吞吐",
                       quantity="throughput", previous=previous)
        previous = None


def _times(clause: Clause, taken: Taken) -> Iterator[Finding]:
    text = clause.text
    for match in TIME.finditer(text):
        if _in_spans(match.start(), taken):
            continue
        unit = TIME_UNITS[match.group("unit")]
        value, approximate = parse_number(match.group("number"))
        if value is None:
            continue
        taken.append(match.span())
        if unit in ("ms", "s") and LATENCY_CONTEXT.search(text):
            qualifier = LATENCY_QUALIFIER.search(text)
            subject = qualifier.group() if qualifier else "延迟"
            if re.fullmatch(r"首\s?token|首字|TTFT", subject, re.I):
                subject = "首 token"
            yield _finding("metric", clause, match, value=value, unit=unit, approximate=approximate, subject=subject,
                           quantity="latency")
        else:
            yield _finding("duration", clause, match, value=value, unit=unit, approximate=approximate,
                           subject=_phase(clause), quantity="duration")


def _hyperparameters(clause: Clause, taken: Taken) -> Iterator[Finding]:
    for match in HYPERPARAMETER.finditer(clause.text):
        if match.group("epochs"):
            value, name = parse_number(match.group("epochs"))[0], "epoch"
        else:
            value, name = float(match.group("value")), match.group("name").lower()
        yield _finding("hyperparameter", clause, match, value=value, subject=name, quantity=name)
        taken.append(match.span())


def _scores(clause: Clause, taken: Taken) -> Iterator[Finding]:
    """A named metric followed by its value: "F1 0.91", "pass@1 从 45% 到了 52%", "准确率是 88%"."""
    text = clause.text
    for match in SCORE.finditer(text):
        if _in_spans(match.start("value"), taken):
            continue
        if re.match(r"\s*(?:张|条|份|个|天|周|B)", text[match.end(): match.end() + 3]):
            continue  # "Top 10 张表"
        name = match.group("name")
        previous = float(match.group("from")) if match.group("from") else None
        # "MMLU 掉了 1.2 个点", "CTR 提升 3.2%": a change, not the metric's value.
        change = previous is None and _is_change(text[match.end("name"): match.start("value")])
        yield _finding("metric", clause, match, value=float(match.group("value")), unit=match.group("unit") or None,
                       subject=name, quantity="delta" if change else name.lower(), previous=previous)
        taken.append((match.start("value"), match.end()))
        if match.group("from"):
            taken.append((match.start("from"), match.end("from")))


def _changes(clause: Clause, taken: Taken) -> Iterator[Finding]:
    text = clause.text
    targets = []
    for match in FROM_TO.finditer(text):
        value, previous = float(match.group("to")), float(match.group("from"))
        subject = _metric_name(text, match.start("to"))
        targets.append((match.start("to"), match.end("to")))
        yield _finding("comparison", clause, match, value=value, previous=previous, unit=match.group("unit") or None,
                       subject=subject, quantity="change")
        yield _finding("baseline", clause, match, value=previous, unit=match.group("unit") or None, subject=subject)
    for match in DELTA.finditer(text):
        if _in_spans(match.start("value"), targets):
            continue
        raw = match.group("value")
        amount = float(raw) if raw[0].isdigit() else parse_number(raw)[0]
        subject = _metric_name(text, match.start()) or (text[max(0, match.start() - 8): match.start()].strip() or None)
        yield _finding("comparison", clause, match, value=amount, unit=match.group("unit"), subject=subject,
                       quantity="delta")
        taken.append((match.start("value"), match.end()))
    for match in BASELINE.finditer(text):
        what = (match.group("what") or match.group("named") or "").strip()
        if what:
            yield _finding("baseline", clause, match, value=what, subject=_metric_name(text, len(text)))


def _percents(clause: Clause, taken: Taken) -> Iterator[Finding]:
    text = clause.text
    for match in PERCENT.finditer(text):
        if _in_spans(match.start(), taken):
            continue
        taken.append(match.span())
        name = _metric_name(text, match.start()) or _metric_name(_sentence_before(clause), 10**6)
        if not name:
            continue
        cn_digit = match.group("cn")
        value = float(CN_DIGIT[cn_digit] * 10) if cn_digit else float(match.group("number"))
        unit = "%" if cn_digit else match.group("unit")
        named_at = text.rfind(name, 0, match.start())
        change = named_at >= 0 and _is_change(text[named_at + len(name): match.start()])
        yield _finding("metric", clause, match, value=value, unit=unit, subject=name,
                       quantity="delta" if change else name.lower())


def _counts(clause: Clause, taken: Taken) -> Iterator[Finding]:
    text = clause.text
    for match in COUNT.finditer(text):
        if _in_spans(match.start(), taken):
            continue
        unit = re.sub(r"\s+", "", match.group("unit"))
        if not re.search(r"\d", match.group("number")) and unit not in ("条", "份", "道", "篇"):
            continue  # "两个 query", "李四对接": a Chinese numeral counts data only with 条/份/道/篇
        subject = data_subject(clause, match.start(), match.end())
        if unit in ("个", "段") and subject not in ("CHUNK", "表格", "样本", "文档", "QUERY", "题"):
            continue
        if unit.lower().endswith(("token", "tokens")) and not TRAINING_TOKENS.search(clause.sentence):
            continue
        rates = RATE.findall(text[: match.start()])  # "每天的用户消息量其实有五千多条": anywhere before it
        if rates:  # a flow ("每天 2 万条咨询") is a different quantity from a stock of the same data
            subject = f"{rates[-1]}{subject or ''}"
        value, approximate = parse_number(match.group("number"))
        yield _finding("data_size", clause, match, value=value, unit=unit, approximate=approximate, subject=subject,
                       quantity="count")
        taken.append(match.span())


def _numbers(clause: Clause) -> Iterator[Finding]:
    """Every number said, whatever it is about: "gives a number" checks only need this."""
    text = clause.text
    for match in re.finditer(NUMBER, text):
        raw = match.group().strip()
        if not raw or not re.search(r"\d|[十百千万亿两]", raw):
            continue
        if not re.search(r"\d", raw) and not CN_MEASURE.match(text[match.end():]):
            continue  # "一步步", "一下": a Chinese numeral counts only before a measure word
        value, approximate = parse_number(raw)
        if value is not None:
            yield _finding("number", clause, match, value=value, approximate=approximate)


def _cues(clause: Clause) -> Iterator[Finding]:
    text = clause.text
    for match in DATA_SOURCE.finditer(text):
        yield _finding("data_source", clause, match, subject="数据")
    # "准确率很高，测试集上 93%" gives the number; "CodeLlama-13B 微调的，准确率很高" does not. Praise from users
    # ("业务方反馈也挺好的") is no figure's gloss: a percent elsewhere in the sentence does not answer it.
    if not HAS_QUANTITY.search(text):
        for match in VAGUE.finditer(text):
            subject = next((name for key, name in VAGUE_SUBJECTS if key in match.group()), "效果")
            if subject == "用户反馈" or not PERCENT.search(clause.sentence):
                yield _finding("vague", clause, match, subject=subject)
    cue_kinds: tuple[tuple[FindingKind, re.Pattern[str]], ...] = (
        ("cause", CAUSE), ("fix", FIX), ("result", RESULT), *STAR.items(), *CONTENT_CUES)
    for kind, pattern in cue_kinds:
        cue = pattern.search(text)
        if cue:
            yield _finding(kind, clause, cue)


def _clause_findings(clause: Clause) -> Iterator[Finding]:
    taken: Taken = []
    for detector in (_models, _hardware, _throughput, _times, _hyperparameters, _scores, _changes, _percents, _counts):
        yield from detector(clause, taken)
    yield from _numbers(clause)
    yield from _cues(clause)


def detect(text: str) -> list[Finding]:
    """Everything the detectors find in `text`, ordered by position (then kind)."""
    findings = [finding for clause in clauses(text) for finding in _clause_findings(clause)]
    return sorted(findings, key=lambda finding: (finding.start, finding.kind))


def kinds(findings: list[Finding]) -> set[str]:
    """The kinds present: what a structural key point checks ("metric" and "baseline" both stated)."""
    return {finding.kind for finding in findings}
