"""The claims ledger: extraction, contradictions and implausible claims."""

from __future__ import annotations

from interviewer.claims import extract_claims, find_probe


def test_claims_are_extracted_with_normalised_values() -> None:
    claims = extract_claims("基于 Qwen2-7B 做 LoRA，数据 1万条，在 8张A100 上训练，准确率 85%，延迟 300ms", "dataset")
    kinds = {(claim.kind, claim.value) for claim in claims}
    assert ("dataset_size", "10000") in kinds and ("model_size", "7B") in kinds
    assert ("hardware", "8xA100") in kinds and ("metric", "准确率=85") in kinds
    assert ("model", "qwen2") in kinds and ("latency", "0.3s") in kinds
    assert not [c for c in extract_claims("和 llama3对比", "x") if c.kind == "dataset_size"]


def test_contradictions_are_probed_once() -> None:
    ledger = extract_claims("训练数据有一共 1万条。", "overview")
    new = extract_claims("数据集是 10万条问答。", "dataset")
    probe = find_probe(ledger, new, [])
    assert probe is not None and "1万条" in probe[1] and "10万条" in probe[1]
    assert find_probe(ledger, new, [probe[0]]) is None


def test_test_set_sizes_are_not_dataset_contradictions() -> None:
    ledger = extract_claims("训练数据 2万条。", "dataset")
    assert find_probe(ledger, extract_claims("评测集 500 条。", "metrics"), []) is None


def test_implausible_metrics_are_probed() -> None:
    probe = find_probe([], extract_claims("准确率 100%", "metrics"), [])
    assert probe is not None and "100%" in probe[1]


def test_metric_baselines_deltas_and_from_to_are_not_contradictions() -> None:
    ledger = extract_claims("上线后准确率从 70% 提升到 86%，召回率提升了 9 个百分点。", "overview")
    assert {c.value for c in ledger if c.kind == "metric"} == {"准确率=86"}, "the final value, not the baseline or delta"
    later = extract_claims("基线是直接用 Qwen2-7B 不加检索，准确率只有 52%；加检索后准确率 86%。", "metrics")
    assert {c.value for c in later if c.kind == "metric"} == {"准确率=86"}
    assert find_probe(ledger, later, []) is None
    changed = extract_claims("最终准确率 75%。", "metrics")
    probe = find_probe(ledger, changed, [])
    assert probe is not None and "86%" in probe[1] and "75%" in probe[1]


def test_chinese_numerals_hardware_durations_and_reached_values() -> None:
    claims = {(c.kind, c.value) for c in extract_claims(
        "数据集一万条，后来扩到三千五百条精标数据，在 8 卡 A100 上训练了三天，准确率提升到 99.8%。", "dataset")}
    assert ("dataset_size", "10000") in claims and ("dataset_size", "3500") in claims
    assert ("hardware", "8xA100") in claims and ("duration", "72h") in claims
    assert ("metric", "准确率=99.8") in claims
    assert not [c for c in extract_claims("我们先看一条数据。", "dataset") if c.kind == "dataset_size"]
    probe = find_probe(extract_claims("数据集一万条。", "overview"), extract_claims("数据集十万条。", "dataset"), [])
    assert probe is not None and "一万条" in probe[1] and "十万条" in probe[1]
    implausible = find_probe([], extract_claims("准确率提升到 99.8%", "metrics"), [])
    assert implausible is not None and "99.8%" in implausible[1]
