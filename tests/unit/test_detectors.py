"""Content detectors: each kind found in the words candidates use, and not found where it is absent."""

from __future__ import annotations

import pytest

from interviewer.grading.detectors import Finding, detect, kinds, parse_number


def of_kind(text: str, kind: str) -> list[Finding]:
    return [finding for finding in detect(text) if finding.kind == kind]


@pytest.mark.parametrize(("raw", "value", "approximate"), [
    ("3 万", 30000.0, False), ("2e-4", 0.0002, False), ("两千多", 2000.0, True), ("十几万", 150000.0, True),
    ("上万", 10000.0, True), ("一", 1.0, False), ("几", None, True), ("2.5k", 2500.0, False),
])
def test_parse_number(raw: str, value: float | None, approximate: bool) -> None:
    assert parse_number(raw) == (value, approximate)


def test_spans_point_at_the_words_and_text_is_the_clause() -> None:
    text = "底座用的 Qwen2-7B，4 张 A100 训练了 3 天。"
    hardware = of_kind(text, "hardware")[0]
    assert text[hardware.start:hardware.end] == "4 张 A100" == hardware.match
    assert hardware.text == "4 张 A100 训练了 3 天"
    assert (hardware.value, hardware.unit, hardware.subject, hardware.quantity) == (4.0, "A100", "训练", "gpu_count")
    duration = of_kind(text, "duration")[0]
    assert (duration.value, duration.unit, duration.subject) == (3.0, "天", "训练")


def test_metric_change_keeps_the_final_value_and_the_baseline() -> None:
    metric = of_kind("效果上 Recall@5 从 72% 提升到 89%", "metric")[0]
    assert (metric.subject, metric.value, metric.previous, metric.unit) == ("Recall@5", 89.0, 72.0, "%")
    assert {"comparison", "baseline"} <= kinds(detect("效果上 Recall@5 从 72% 提升到 89%"))


def test_a_change_is_not_read_as_the_metric_value() -> None:
    metric = of_kind("MMLU 掉了 1.2 个点", "metric")[0]
    assert metric.quantity == "delta"
    assert of_kind("准确率 91%，比原来的 BERT 分类器高 6 个点", "baseline")


def test_latency_subject_and_throughput_change() -> None:
    latency = of_kind("部署用 vLLM，首 token 350 ms 左右", "metric")[0]
    assert (latency.subject, latency.quantity, latency.value, latency.unit) == ("首 token", "latency", 350.0, "ms")
    throughput = of_kind("吞吐从每秒 400 token 提到了每秒 2400 token", "metric")
    assert [(item.value, item.previous) for item in throughput] == [(2400.0, 400.0)]


def test_models_carry_their_role() -> None:
    roles = {finding.value: finding.role for finding in of_kind(
        "我们底座是 Qwen2-7B，做了全参 SFT。评测的时候用 GPT-4 当裁判打分", "model")}
    assert roles == {"Qwen2-7B": "base", "GPT-4": "judge"}
    teacher = of_kind("我们用 GPT-4o 当 teacher 生成标注，蒸馏到 Qwen1.5-1.8B 上", "model")
    assert {(item.value, item.role) for item in teacher} == {("GPT-4o", "teacher"), ("Qwen1.5-1.8B", "base")}
    assert of_kind("比原来的 BERT 分类器高 6 个点", "model")[0].role == "baseline"
    size = of_kind("训练用的是 Qwen2-14B", "model_size")[0]
    assert (size.value, size.unit) == (14.0, "B")


def test_data_counts_name_what_they_count() -> None:
    sizes = {finding.subject: finding.value for finding in of_kind(
        "线上每天 2 万条咨询。我们整理了 FAQ 两千多条", "data_size")}
    assert sizes == {"每天咨询": 20000.0, "FAQ": 2000.0}
    sft, pairs = of_kind("先用 2 万条 SFT 数据做了指令微调。DPO 的偏好对也是 2 万条左右", "data_size")
    assert (sft.subject, pairs.subject) == ("SFT", "偏好对")
    pdfs = of_kind("说明书是几百份 PDF", "data_size")[0]
    assert pdfs.approximate and pdfs.subject == "PDF"
    assert not of_kind("上线以后碰到过一个问题", "data_size")
    assert of_kind("律师审了其中 5000 条", "data_size")[0].subject is None


def test_data_source_cause_fix_and_star() -> None:
    found = kinds(detect("当时客服机器人答不上来，因为问法一变就匹配不到。我负责检索。数据来源是历史客服记录。"
                         "后来我们加了商品实体识别，最终转人工率降低了一半。"))
    assert {"star_situation", "star_task", "star_action", "star_result", "cause", "fix", "result",
            "data_source"} <= found


@pytest.mark.parametrize("text", ["整体效果提升挺明显的", "用户反馈也不错", "我们用了大量数据", "准确率很高",
                                  "效果很好，大家都在用", "数据量挺大的", "比以前快很多"])
def test_vague_claims(text: str) -> None:
    assert of_kind(text, "vague")


@pytest.mark.parametrize("text", ["Recall@5 从 72% 提升到 89%", "转人工率很高", "表格和图特别多，很多是扫描件",
                                  "准确率很高，测试集上 93%", "人工坐席压力很大"])
def test_not_vague(text: str) -> None:
    assert not of_kind(text, "vague")


def test_hyperparameters_and_nothing_in_small_talk() -> None:
    values = {finding.subject: finding.value for finding in of_kind("LoRA，rank 16，学习率 2e-4，跑了 3 个 epoch",
                                                                     "hyperparameter")}
    assert values == {"rank": 16.0, "学习率": 0.0002, "epoch": 3.0}
    assert detect("今天天气还挺好的哈哈") == []
    assert detect("qxfdnthqqq bqkslqv") == []


@pytest.mark.parametrize(("text", "kind"), [
    ("数据清洗和评测集是我搭的，模型部署是另一个同事做的", "ownership"),
    ("在上一个项目里我是检索模块的 owner", "ownership"),
    ('比如用户输入："X200 的滤网多久换一次"', "example"),
    ("部署用的 vLLM，开了前缀缓存", "technique"),
    ("这件事之后我意识到要先对齐评测口径", "lesson"),
    ("三年内希望能独立负责一个模型方向", "plan"),
    ("想问一下团队现在主要用哪些推理框架", "question"),
    ("我一般看 arXiv 上的论文，再去 GitHub 看源码", "learning_source"),
    ("按 8:1:1 划分训练集、验证集和测试集", "split"),
    ("每天大概 3000 次调用，覆盖 200 多个坐席", "usage"),
    ("第一步改写查询，第二步检索再生成", "steps"),
    ("我的缺点是排期偏乐观", "weakness"),
    ("硕士毕业，研究方向是信息检索", "background"),
    ("我和组长意见不一致，他想直接上全参微调", "disagreement"),
])
def test_story_content_is_found(text: str, kind: str) -> None:
    assert kind in kinds(detect(text))


@pytest.mark.parametrize("text", ["我们做了一些优化手段提升效率", "效果还是挺不错的，大家都觉得好用", "训练资源还算充足",
                                  "React 的虚拟 DOM 通过 diff 算法减少真实 DOM 操作"])  # React is not ReAct
def test_talking_around_a_point_names_no_story_content(text: str) -> None:
    found = kinds(detect(text))
    assert not found & {"ownership", "example", "technique", "hyperparameter", "hardware", "usage", "split"}
