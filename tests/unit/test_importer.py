"""The seed importer: each seed format, cleaning, merging, determinism, and the committed bank."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest

from question_bank.importer import seed_article, seed_blog, seed_markdown, seed_notes, seed_spreadsheet
from question_bank.importer.build import build_bank
from question_bank.importer.cleaning import clean_answer, clean_inline, is_advert, is_personal
from question_bank.loader import BUILTIN_BANK_PATH, builtin_questions
from question_bank.normalize import question_id
from question_bank.taxonomy import PROJECT_SLOTS

# Strings that only occur in advertising, link noise, image placeholders or personal details.
FORBIDDEN = ("CSDN", "二维码", "红包", "大礼包", "扫描", "在这里插入图片描述", "http://", "https://",
             "张小明", "示例大学", "百度金融", "著作权归作者所有")


def parse_fixture(parser, seed_fixtures: Path, name: str):  # type: ignore[no-untyped-def]
    return parser.parse((seed_fixtures / name).read_text(encoding="utf-8"), name)


def test_spreadsheet_rows_keep_multiline_answers_and_skip_empty_rows(seed_fixtures: Path) -> None:
    result = parse_fixture(seed_spreadsheet, seed_fixtures, "000_spreadsheet.txt")
    texts = [question.text for question in result.questions]
    assert texts[0] == "模型微调，怎么判断效果"
    assert [question.locator for question in result.questions][:3] == ["row 1", "row 2", "row 3"]
    first_answer = result.questions[0].reference_answer or ""
    # The answer runs over many physical lines: sections from the start and the end of it are both kept.
    assert "技术指标评估" in first_answer and "跨领域泛化" in first_answer
    assert result.questions[2].reference_answer is None  # row 3 has a question but no answer
    assert not any("\t" in text for text in texts)


def test_markdown_headings_become_questions_with_their_answers(seed_fixtures: Path) -> None:
    result = parse_fixture(seed_markdown, seed_fixtures, "001_markdown.txt")
    by_text = {question.text: question for question in result.questions}
    assert "什么是梯度下降法？" in by_text
    assert by_text["什么是梯度下降法？"].locator == "(一) 1"
    # Bold numbered headings lose their markup and number.
    assert any(text.startswith("Transformer为何使用多头注意力机制") for text in by_text)
    # Sub-headings (####) stay inside the answer of their question rather than becoming questions.
    vanishing = next(question for text, question in by_text.items() if text.startswith("梯度消失和梯度爆炸"))
    assert "梯度消失" in (vanishing.reference_answer or "") and "梯度爆炸" in (vanishing.reference_answer or "")
    assert all(not text.startswith(("#", "*")) for text in by_text)
    assert any("link" in dropped.reason for dropped in result.dropped)


def test_article_glossary_sections_and_question_lists(seed_fixtures: Path) -> None:
    result = parse_fixture(seed_article, seed_fixtures, "002_article.txt")
    by_text = {question.text: question for question in result.questions}
    assert by_text["什么是大型语言模型 (LLM)？"].reference_answer
    listed = [question for question in result.questions if question.text.startswith("请解释一下什么是多模态大模型")]
    assert listed and listed[0].locator == "多模态大模型 / 面试题 1"
    assert "面试题" not in (listed[0].reference_answer or "")  # an answer stops at the next question
    assert any(dropped.reason == "advertising" for dropped in result.dropped)
    assert not any(word in question.text for question in result.questions for word in FORBIDDEN)


def test_notes_give_the_ordered_project_ladder_and_drop_personal_details(seed_fixtures: Path) -> None:
    result = parse_fixture(seed_notes, seed_fixtures, "003_notes.txt")
    ladder = sorted((q for q in result.questions if q.kind == "project" and q.order), key=lambda q: q.order)
    assert [question.slot for question in ladder] == list(PROJECT_SLOTS)
    assert [question.order for question in ladder] == list(range(1, 14))
    opening = next(question for question in result.questions if question.kind == "opening")
    assert opening.fixed_id == "opening.self_intro" and opening.reference_answer is None
    behavioural = {q.fixed_id for q in result.questions if q.kind == "behavioral"}
    assert {"behavioral.strengths_weaknesses", "behavioral.career_plan", "behavioral.hardest_problem",
            "behavioral.setback"} <= behavioural
    assert all(q.reference_answer is None for q in result.questions if q.kind == "behavioral")
    shipped = json.dumps([vars(question) for question in result.questions], ensure_ascii=False)
    assert "张小明" not in shipped and "示例大学" not in shipped
    assert any(dropped.reason == "personal details removed" for dropped in result.dropped)


def test_blog_contents_chapters_answers_and_advert_cut(seed_fixtures: Path) -> None:
    result = parse_fixture(seed_blog, seed_fixtures, "004_blog.txt")
    by_text = {question.text: question for question in result.questions}
    assert by_text["prefix LM 和 causal LM 区别是什么？"].reference_answer
    assert "前缀语言模型" in (by_text["prefix LM 和 causal LM 区别是什么？"].reference_answer or "")
    first = by_text["目前 主流的开源模型体系 有哪些？"].reference_answer or ""
    assert "Prefix LM" not in first  # one answer never runs into the next
    assert by_text["什么是 LLMs 复读机问题？"].topic_hint == "大模型(LLMs)进阶面"
    assert "LLMs 复读机问题" not in by_text  # group titles in the contents are not questions
    assert any(dropped.reason == "advertising block to the end of the post" for dropped in result.dropped)
    assert not any(word in (q.reference_answer or "") + q.text for q in result.questions for word in FORBIDDEN)


def test_build_merges_near_duplicates_and_remembers_every_source(seed_fixtures: Path) -> None:
    bank, reports = build_bank(seed_fixtures)
    multi_source = [question for question in bank.questions if len({s.file for s in question.sources}) > 1]
    assert multi_source, "questions asked in several seeds are merged into one"
    assert sum(report.merged for report in reports) >= len(multi_source)
    texts = [question.text for question in bank.questions]
    assert len(texts) == len(set(texts))
    ids = [question.id for question in bank.questions]
    assert len(ids) == len(set(ids))


def test_build_is_deterministic(seed_fixtures: Path) -> None:
    first, _ = build_bank(seed_fixtures)
    second, _ = build_bank(seed_fixtures)
    assert first.model_dump_json() == second.model_dump_json()


def test_ids_are_stable_functions_of_the_question_text() -> None:
    assert question_id("什么是 LoRA？") == question_id("什么是LoRA?")  # normalised before hashing
    assert question_id("什么是 LoRA？") != question_id("什么是 QLoRA？")
    assert re.fullmatch(r"q-[0-9a-f]{10}", question_id("什么是 LoRA？"))


@pytest.mark.parametrize(
    ("line", "advert", "personal"),
    [
        ("👉[CSDN大礼包🎁:全网最全《LLM大模型入门+进阶学习资源包》免费分享", True, False),
        ("需要的小伙伴扫描下方二维码，免费领取", True, False),
        ("面试官您好，我叫李四，毕业于某某大学", False, True),
        ("LoRA 冻结原权重，只训练低秩矩阵", False, False),
    ],
)
def test_advert_and_personal_lines_are_recognised(line: str, advert: bool, personal: bool) -> None:
    assert is_advert(line) is advert
    assert is_personal(line) is personal


def test_cleaning_removes_placeholders_links_and_keeps_content() -> None:
    line = "![在这里插入图片描述](https://img-blog.csdnimg.cn/x.png)注意力[公式](https://a.b/c?utm_source=x)见上"
    cleaned = clean_inline(line)
    assert "在这里插入图片描述" not in cleaned and "http" not in cleaned
    assert "注意力" in cleaned and "见上" in cleaned
    assert clean_answer(["", "   "]) is None


def test_committed_bank_covers_all_seeds_without_noise() -> None:
    questions = builtin_questions()
    assert 280 <= len(questions) <= 400
    assert sum(question.reference_answer is not None for question in questions) >= 130
    sources = Counter(source.file[:4] for question in questions for source in question.sources)
    assert {"000_", "001_", "002_", "003_", "004_"} <= set(sources)
    ladder = sorted((q for q in questions if q.kind == "project"), key=lambda q: q.order or 0)
    assert [question.slot for question in ladder] == list(PROJECT_SLOTS)
    assert {q.kind for q in questions} >= {"opening", "project", "technical", "behavioral", "coding", "closing"}
    raw = BUILTIN_BANK_PATH.read_text(encoding="utf-8")
    assert not [word for word in FORBIDDEN if word in raw]


def test_committed_bank_matches_a_fresh_import_when_seeds_are_present() -> None:
    seeds = Path(__file__).resolve().parents[3] / "shared" / "seeds"
    if not seeds.is_dir():
        pytest.skip(f"seed documents not present at {seeds}")
    bank, _ = build_bank(seeds)
    assert bank.model_dump_json(indent=1, exclude_none=True) + "\n" == BUILTIN_BANK_PATH.read_text(encoding="utf-8")
