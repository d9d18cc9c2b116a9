"""The LLM client against a fake OpenAI-compatible server: caps, negotiation, parsing, breaker, turn budget."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from langchain_core.messages import HumanMessage
from pydantic import BaseModel

from interviewer.llm import LLMCallError, LLMClient, make_llm_client
from interviewer.llm.check import check_endpoint
from interviewer.llm.limits import PHRASE, SUMMARY, judge_job
from interviewer.llm.methods import METHODS_FILE, MethodMemory
from interviewer.llm.parsing import extract_json, strip_reasoning
from interviewer.settings import LLMSettings

ASK = [HumanMessage("问一个问题")]


class Verdicts(BaseModel):
    points: list[int]


def client_for(server, home: Path | None = None, timeout: float = 5.0, **overrides) -> LLMClient:  # type: ignore[no-untyped-def]
    settings = LLMSettings(api_key="test-key", base_url=server.base_url, model="fake-llm", timeout_seconds=timeout,
                           max_retries=0, **overrides)
    client = make_llm_client(settings, home)
    assert client is not None
    return client


def chat_requests(server) -> list[dict]:  # type: ignore[no-untyped-def]
    return [body for body in server.requests if "messages" in body]


def test_every_call_carries_a_cap_sized_to_its_job(fake_openai) -> None:  # type: ignore[no-untyped-def]
    fake_openai.replies.extend(["你能说说 LoRA 的原理吗？", "总结一下。", {"points": [1, 2]}])
    client = client_for(fake_openai)
    assert client.text(PHRASE, ASK) == "你能说说 LoRA 的原理吗？"
    assert client.text(SUMMARY, ASK) == "总结一下。"
    assert client.structured(Verdicts, ASK, judge_job(2)).points == [1, 2]
    phrase, summary, judge = chat_requests(fake_openai)
    assert phrase["max_tokens"] == PHRASE.max_tokens and phrase["stop"] == ["\n\n"]
    assert summary["max_tokens"] == SUMMARY.max_tokens
    assert judge["max_tokens"] == judge_job(2).max_tokens
    assert all("max_completion_tokens" not in body for body in (phrase, summary, judge))


def test_openai_itself_gets_max_completion_tokens_and_reasoning_room(fake_openai) -> None:  # type: ignore[no-untyped-def]
    fake_openai.replies.append("好的？")
    client_for(fake_openai, token_parameter="max_completion_tokens", reasoning_tokens=500).text(PHRASE, ASK)
    (body,) = chat_requests(fake_openai)
    assert body["max_completion_tokens"] == PHRASE.max_tokens + 500 and "max_tokens" not in body


@pytest.mark.parametrize("status", [400, 500])
def test_a_rejected_response_format_falls_through_and_is_remembered(fake_openai, tmp_path: Path, status: int) -> None:  # type: ignore[no-untyped-def]
    fake_openai.rejects, fake_openai.reject_status = {"json_schema"}, status
    fake_openai.replies.append({"points": [3]})
    client = client_for(fake_openai, tmp_path)
    assert client.structured(Verdicts, ASK, judge_job(1)).points == [3]
    first, second = chat_requests(fake_openai)
    assert first["response_format"]["type"] == "json_schema" and second["response_format"] == {"type": "json_object"}
    assert "JSON Schema" in second["messages"][0]["content"]  # json_mode needs the schema in the prompt
    assert client.method == "json_mode"
    assert MethodMemory(tmp_path / METHODS_FILE).get(client.endpoint) == "json_mode"
    # A new process starts with what worked: one request, no rejected attempt first.
    fake_openai.requests.clear()
    fake_openai.replies.append({"points": [4]})
    assert client_for(fake_openai, tmp_path).structured(Verdicts, ASK, judge_job(1)).points == [4]
    assert [body["response_format"] for body in chat_requests(fake_openai)] == [{"type": "json_object"}]


def test_plain_prompt_json_is_the_last_resort(fake_openai) -> None:  # type: ignore[no-untyped-def]
    fake_openai.rejects = {"json_schema", "json_object", "tools"}
    fake_openai.replies.append('好的，结果如下：\n```json\n{"points": [5]}\n```')
    client = client_for(fake_openai)
    assert client.structured(Verdicts, ASK, judge_job(1)).points == [5]
    assert client.method == "prompt" and "response_format" not in chat_requests(fake_openai)[-1]


def test_every_method_rejected_is_a_clear_error(fake_openai) -> None:  # type: ignore[no-untyped-def]
    fake_openai.rejects = {"json_schema", "json_object", "tools"}
    fake_openai.replies.append(400)
    with pytest.raises(LLMCallError) as raised:
        client_for(fake_openai).structured(Verdicts, ASK, judge_job(1))
    assert raised.value.code == "unsupported"


@pytest.mark.parametrize("reply", ["不是 JSON", '{"points": ["x"]}', '{"wrong": 1}'])
def test_garbage_is_rejected_by_validation(fake_openai, reply: str) -> None:  # type: ignore[no-untyped-def]
    fake_openai.replies.append(reply)
    with pytest.raises(LLMCallError) as raised:
        client_for(fake_openai).structured(Verdicts, ASK, judge_job(1))
    assert raised.value.code == "invalid"


def test_json_is_found_after_reasoning_and_inside_fences() -> None:
    assert extract_json('<think>先想想 {"points": [0]}</think>\n```json\n{"points": [1]}\n```') == {"points": [1]}
    assert extract_json('Sure! {"points": [2]} hope this helps') == {"points": [2]}
    assert strip_reasoning("<think>reasoning cut off by the cap") == ""
    assert strip_reasoning("<think>a</think>你好？") == "你好？"


def test_the_breaker_stops_calling_a_failing_endpoint_and_tries_again_later(fake_openai) -> None:  # type: ignore[no-untyped-def]
    now = [0.0]
    settings = LLMSettings(api_key="k", base_url=fake_openai.base_url, model="m", max_retries=0)
    client = make_llm_client(settings)
    assert client is not None
    client = LLMClient(client.model, name="m", endpoint="e", clock=lambda: now[0])
    fake_openai.replies.extend([500, 500, 500])
    assert [client.text(PHRASE, ASK) for _ in range(3)] == [None, None, None]
    assert client.paused and client.pauses == 1
    assert client.text(PHRASE, ASK) is None and len(chat_requests(fake_openai)) == 3  # not called while open
    now[0] += 61  # after the cool-down one trial call goes out, and its success closes the breaker
    fake_openai.replies.append("恢复了吗？")
    assert client.text(PHRASE, ASK) == "恢复了吗？" and not client.paused


def test_calls_in_one_turn_share_its_budget(fake_openai) -> None:  # type: ignore[no-untyped-def]
    fake_openai.delay = 5.0
    client = client_for(fake_openai, timeout=30)
    started = time.perf_counter()
    with client.turn(1.0):
        assert client.text(PHRASE, ASK) is None
        with pytest.raises(LLMCallError) as raised:  # nothing left for the judge: no request at all
            client.structured(Verdicts, ASK, judge_job(1))
    assert raised.value.code == "unavailable"
    assert time.perf_counter() - started < 3 and len(chat_requests(fake_openai)) == 1


def probe_verdicts(*verdicts: str) -> dict:
    return {"points": [{"index": i, "verdict": v} for i, v in enumerate(verdicts)]}


def test_check_reports_the_method_that_works(fake_openai) -> None:  # type: ignore[no-untyped-def]
    fake_openai.rejects = {"json_schema"}
    fake_openai.replies.extend(["你好，欢迎参加面试。", probe_verdicts("stated", "contradicted", "absent")])
    report = check_endpoint(client_for(fake_openai))
    assert report.verdict == "usable" and report.method == "json_mode" and report.rejected_methods == ["json_schema"]
    assert report.phrasing_ok and report.judge_ok and report.phrasing_seconds is not None


def test_check_says_phrasing_only_when_the_judge_is_unreliable(fake_openai) -> None:  # type: ignore[no-untyped-def]
    wrong = probe_verdicts("absent", "stated", "stated")
    fake_openai.replies.extend(["你好。", wrong, wrong, "不是 JSON", wrong])
    report = check_endpoint(client_for(fake_openai))
    assert report.verdict == "phrasing_only" and not report.judge_ok and report.method is None
    assert "verdicts right" in report.judge_problem


def test_check_says_not_usable_when_nothing_answers(fake_openai) -> None:  # type: ignore[no-untyped-def]
    fake_openai.replies.append(500)
    report = check_endpoint(client_for(fake_openai))
    assert report.verdict == "not_usable" and "phrasing request" in report.reason and "judge" in report.reason
    assert check_endpoint(None).verdict == "offline"


def test_a_broken_endpoint_is_set_aside_once_and_the_interview_goes_on(hash_store, make_service, fake_openai) -> None:  # type: ignore[no-untyped-def]
    from interviewer.plan import InterviewPlan
    from interviewer.policy import total_planned
    from interviewer.service import NOTICE_LLM_FALLBACK, NOTICE_LLM_PAUSED
    from interviewer.tuning import CONTRADICTION_ALLOWANCE, LISTENING_FOLLOW_UPS

    client = make_llm_client(LLMSettings(api_key="k", base_url=fake_openai.base_url, model="broken", max_retries=0))
    service = make_service(hash_store, client)
    plan = InterviewPlan(stages=["opening", "project", "technical"], project_questions=2, technical_questions=2)
    view = service.start(plan)
    # Which questions come is drawn per session, and so is how many follow-ups they take: the loop allows
    # every question its whole follow-up budget (a contradiction probed once over it).
    most_turns = total_planned(plan) * (1 + plan.max_follow_ups + LISTENING_FOLLOW_UPS + CONTRADICTION_ALLOWANCE)
    notices = []
    for _ in range(most_turns):
        if view.finished:
            break
        view = service.answer(view.session_id, "我做过 RAG 项目，用 BM25 加向量检索，召回率从 70% 提升到 85%。")
        notices.append(view.notice)
    assert view.finished, "every answer is graded offline and the interview completes"
    assert notices.count(NOTICE_LLM_PAUSED) == 1, notices
    assert NOTICE_LLM_FALLBACK in notices and set(notices) <= {NOTICE_LLM_FALLBACK, NOTICE_LLM_PAUSED, None}
    stored = service.graph.get_state({"configurable": {"thread_id": view.session_id}}).values.get("notice")
    assert stored in (NOTICE_LLM_FALLBACK, None), "the checkpoint keeps a code, never display text"
    # Three failures open the breaker; the cool-down outlasts this interview, so no request goes out after
    # the third failure (a wording running beside the judge may already be in flight when it opens).
    opened = sorted(call.ended for call in client.calls)[2]
    assert all(call.started <= opened for call in client.calls)
    assert 3 <= len(chat_requests(fake_openai)) <= 4


def test_llm_check_command(fake_openai, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    import json

    from typer.testing import CliRunner

    from interviewer.cli import app

    monkeypatch.setenv("MOCK_INTERVIEWER_HOME", str(tmp_path))
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    offline = CliRunner().invoke(app, ["llm", "check"])
    assert offline.exit_code == 0 and "offline" in offline.output

    monkeypatch.setenv("OPENAI_API_KEY", "test-key")
    monkeypatch.setenv("OPENAI_BASE_URL", fake_openai.base_url)
    fake_openai.rejects = {"json_schema"}
    fake_openai.replies.extend(["你好，欢迎。", probe_verdicts("stated", "contradicted", "absent")])
    result = CliRunner().invoke(app, ["llm", "check", "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["verdict"] == "usable" and report["method"] == "json_mode"
    # What was negotiated is remembered for the interviews that follow.
    assert "json_mode" in (tmp_path / METHODS_FILE).read_text(encoding="utf-8")

    fake_openai.replies.append(500)
    broken = CliRunner().invoke(app, ["llm", "check"])
    assert broken.exit_code == 1 and "not usable" in broken.output
