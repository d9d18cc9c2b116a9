"""The claims ledger: (subject, quantity, unit, value, role), contradictions only between like and like."""

from __future__ import annotations

from interviewer.claims import conflicts, extract_claims, find_contradictions, implausible, merge_claims, vague_claims


def contradictions(*answers: str, resume: str | None = None) -> list[tuple[str, str]]:
    ledger = extract_claims(resume, None, "resume") if resume else []
    found = []
    for answer in answers:
        new = extract_claims(answer, None)
        found += [(item.earlier.text, item.later.text) for item in find_contradictions(ledger, new)]
        ledger = merge_claims(ledger, new)
    return found


def test_a_claim_names_subject_quantity_unit_value() -> None:
    claims = {(c.kind, c.subject, c.quantity, c.unit, c.number) for c in extract_claims(
        "LoRA，rank 16，4 张 A100 训练了 3 天。Recall@5 从 72% 提升到 89%，首 token 350 ms", None)}
    assert {("hardware", "训练", "gpu_count", "A100", 4.0), ("duration", "训练", "duration", "小时", 72.0),
            ("metric", "recall@5", "recall@5", "%", 89.0), ("latency", "首token", "latency", "ms", 350.0),
            ("hyperparameter", "rank", "hyperparameter", None, 16.0)} <= claims


def test_same_subject_different_values_contradict() -> None:
    assert contradictions("底座 Qwen2-7B，4 张 A100 训练了 3 天。", "训练其实是在 8 张 A100 上做的。")
    assert contradictions("训练用了 8 张 A800，大概一周。", "当时只申请到 4 张 A800，所以 continue pretrain 只跑了 20B token。")
    assert contradictions("我们 SFT 数据大概 3 万条。", "SFT 那部分数据其实就 1 万条左右。")
    assert contradictions("准确率从 80% 提到了 92%。", "最后线上准确率是 88%。")
    assert contradictions("我们选的 Qwen2-7B 做底座。", "LoRA 微调，训练用的是 Qwen2-14B。")


def test_same_numbers_about_different_things_do_not() -> None:
    assert not contradictions("线上每天 2 万条咨询。", "我们整理了 FAQ 两千多条。")
    assert not contradictions("先在 Qwen2-7B 上用 2 万条 SFT 数据做了指令微调。", "DPO 的偏好对也是 3 万条左右。")
    assert not contradictions("说明书是几百份 PDF。", "我们切成 512 token 一段，最后大概 3000 个 chunk。")
    assert not contradictions("部署用了两张 A10。", "训练用了 8 张 A100。")
    assert not contradictions("准确率 91%。", "一致率 94%。")
    assert not contradictions("准确率从 80% 提到了 92%。", "基线只有 80%，准确率 92%。")


def test_roles_keep_judge_and_teacher_apart_from_the_base_model() -> None:
    roles = {(c.value, c.role) for c in extract_claims(
        "我们底座是 Qwen2-7B，做了全参 SFT。评测的时候用 GPT-4 当裁判打分。", None) if c.kind == "model"}
    assert roles == {("qwen2-7b", "base"), ("gpt-4", "judge")}
    assert not contradictions("底座是 Qwen2-7B。", "评测用 GPT-4 当裁判打分。", "用 GPT-4o 当 teacher 生成标注。")


def test_resume_claims_are_compared_with_the_interview() -> None:
    found = contradictions("部署是用 vLLM 起的服务，首 token 大概 800 ms 吧。", resume="vLLM 部署，首 token 延迟 350 ms")
    assert found and "350 ms" in found[0][0] and "800 ms" in found[0][1]


def test_duplicates_are_merged() -> None:
    ledger = merge_claims(extract_claims("底座 Qwen2-7B，4 张 A100。", None), extract_claims("还是 Qwen2-7B。", None))
    models = [claim for claim in ledger if claim.kind == "model"]
    assert len(models) == 1 and models[0].mentions == 2
    assert not conflicts(models[0], models[0])


def test_vague_claims_and_implausible_figures() -> None:
    assert [(finding.text, finding.subject) for finding in vague_claims("整体效果提升挺明显的，用户反馈也不错")] == [
        ("整体效果提升挺明显的", "效果"), ("用户反馈也不错", "用户反馈")]
    assert vague_claims("Recall@5 从 72% 提升到 89%") == []
    assert implausible(extract_claims("准确率提升到 99.8%", None)[0]) == "几乎是 100%"


def test_rates_contradict_only_like_rates() -> None:
    # the same rate in other words, per second or per day, said twice with different values
    assert contradictions("单卡 QPS 能到 80。", "单卡 QPS 其实就 35 左右。")
    assert contradictions("生成速度 1800 tok/s。", "每秒其实只出 900 个 token。")
    assert contradictions("每天大概 5 千条请求进来。", "日均请求其实有 2 万条。")
    assert contradictions("吞吐 3000 tokens/s。", "稳定下来平均 1800 tokens/s。"), "a bare figure is the typical one"
    assert contradictions("压测峰值 QPS 300。", "峰值的时候 QPS 其实只有 150。")
    # a peak is no typical figure, one card is not the cluster, a day is seven times less than a week
    assert not contradictions("高峰 QPS 到 300。", "平时 QPS 也就 60。")
    assert not contradictions("QPS 50 左右。", "高峰 QPS 能到 90。")
    assert not contradictions("集群 QPS 400。", "单卡 QPS 50。")
    assert not contradictions("每天 3000 条请求。", "每周大概 2.1 万条请求。")
    assert not contradictions("QPS 120。", "吞吐 2400 tokens/s。")
    assert not contradictions("每天 2 万条请求。", "请求日志一共存了 6 万条。"), "a flow is no stock"


def test_a_rate_claim_names_its_unit() -> None:
    claims = {(c.kind, c.unit, c.number) for c in extract_claims(
        "线上 QPS 大概 45，decode 吞吐 1200 tok/s，每天 3 万条请求。", None)}
    assert {("throughput", "请求/s", 45.0), ("throughput", "token/s", 1200.0), ("flow", "条/天", 30000.0)} <= claims


def test_a_definite_approximate_count_still_contradicts_a_far_one() -> None:
    assert contradictions("每天大概 600 条咨询。", "每天的咨询其实有三千多条。")
    assert not contradictions("每天一千多条咨询。", "每天 1200 条咨询。")
    assert not contradictions("说明书几百份。", "说明书 800 份。"), "几百 says only the order of magnitude"


def test_a_flow_is_read_wherever_its_period_stands_in_the_clause() -> None:
    assert contradictions("每天大概 600 条消息。", "每天的用户消息量其实能到五千多条。")


def test_a_labelled_subset_is_not_the_whole_collection() -> None:
    assert not contradictions("工程师人工标了 2000 条日志。", "整个日志库里有 8 万多条日志。")
    assert not contradictions("我们一共收集了 5 万条评论。", "其中人工标注的评论有 6000 条。")
    assert contradictions("标注团队标了 2000 条评论。", "评论我们其实只标了 800 条。")
