"""A session killed mid-way in another process resumes exactly where it stopped, with no answer lost."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from interviewer.plan import InterviewPlan

pytestmark = pytest.mark.slow  # each test runs an interview in a child process and kills it

ANSWERS = ["面试官好，我做过 RAG 问答系统，负责检索。", "这是一个企业内部的文档问答助手，用了 Qwen2-7B。", "/hint"]
CHILD = textwrap.dedent('''
    import json, os, sys, time
    from pathlib import Path
    from interviewer.grading import build_grader
    from interviewer.plan import InterviewPlan
    from interviewer.service import InterviewService
    from interviewer.settings import LLMSettings
    from question_bank.loader import load_bank
    from rubrics.embeddings import HashEmbedder
    from rubrics.loader import load_rubrics
    from rubrics.store import RubricStore

    home = Path(sys.argv[1])
    store = RubricStore(home, HashEmbedder())
    store.sync(load_rubrics(), load_bank())
    grader = build_grader(store.embedder, store, settings=LLMSettings(api_key=None, base_url=None, model="x"))
    service = InterviewService(home, grader=grader, store=store, bank=load_bank())
    view = service.start(InterviewPlan(technical_questions=2, project_questions=3, behavioral_questions=1))
    for answer in json.loads(sys.argv[2]):
        view = service.answer(view.session_id, answer)
    print(view.session_id, flush=True)
    time.sleep(600)  # killed here, mid-interview, without any shutdown
''')


def test_session_survives_a_killed_process(indexed_home: Path, hash_store, make_service) -> None:  # type: ignore[no-untyped-def]
    import json

    child = subprocess.Popen([sys.executable, "-c", CHILD, str(indexed_home), json.dumps(ANSWERS, ensure_ascii=False)],
                             stdout=subprocess.PIPE, text=True, cwd=Path(__file__).resolve().parents[2])
    try:
        session_id = child.stdout.readline().strip()  # type: ignore[union-attr]
    finally:
        child.kill()
        child.wait(timeout=30)
    assert session_id

    service = make_service(hash_store)
    snapshot = service.snapshot(session_id)
    assert [turn.text for turn in snapshot.turns if turn.kind == "answer"] == ANSWERS[:2]
    assert any(turn.kind == "system" and turn.text.startswith("提示") for turn in snapshot.turns)
    view = service.resume(session_id)
    assert view.awaiting_answer and view.new_turns and view.new_turns[0].kind in ("question", "follow_up", "redirect")
    view = service.answer(session_id, "数据有一万条，我们做了清洗和去重。")
    answers = [turn.text for turn in view.turns if turn.kind == "answer"]
    assert answers[:2] == ANSWERS[:2] and answers[-1] == "数据有一万条，我们做了清洗和去重。"
    assert InterviewPlan.model_validate(service.database.get(session_id)["plan"]).project_questions == 3


STUCK = "这个回答在评分时进程被杀掉了。"
CHILD_KILLED_WHILE_GRADING = textwrap.dedent('''
    import sys, time
    from pathlib import Path
    from interviewer.grading import build_grader
    from interviewer.plan import InterviewPlan
    from interviewer.service import InterviewService
    from interviewer.settings import LLMSettings
    from question_bank.loader import load_bank
    from rubrics.embeddings import HashEmbedder
    from rubrics.loader import load_rubrics
    from rubrics.store import RubricStore

    home, stuck = Path(sys.argv[1]), sys.argv[2]
    store = RubricStore(home, HashEmbedder())
    store.sync(load_rubrics(), load_bank())
    grader = build_grader(store.embedder, store, settings=LLMSettings(api_key=None, base_url=None, model="x"))

    class HangingGrader:
        def grade(self, question, answer, *, hints_used=0):
            if stuck in answer:
                print("grading", flush=True)
                time.sleep(600)  # killed here, in the middle of grading
            return grader.grade(question, answer, hints_used=hints_used)

    service = InterviewService(home, grader=HangingGrader(), store=store, bank=load_bank())
    view = service.start(InterviewPlan(technical_questions=1, project_questions=2, behavioral_questions=1))
    print(view.session_id, flush=True)
    service.answer(view.session_id, stuck)
''')


def test_an_answer_is_kept_when_the_process_dies_while_grading_it(indexed_home: Path, hash_store, make_service) -> None:  # type: ignore[no-untyped-def]
    child = subprocess.Popen([sys.executable, "-c", CHILD_KILLED_WHILE_GRADING, str(indexed_home), STUCK],
                             stdout=subprocess.PIPE, text=True, cwd=Path(__file__).resolve().parents[2])
    try:
        session_id = child.stdout.readline().strip()  # type: ignore[union-attr]
        assert child.stdout.readline().strip() == "grading"  # type: ignore[union-attr]
    finally:
        child.kill()
        child.wait(timeout=30)

    service = make_service(hash_store)
    view = service.resume(session_id)
    assert [turn.text for turn in view.turns if turn.kind == "answer"] == [STUCK]
    assert view.awaiting_answer and view.new_turns[0].stage == "project"
    view = service.answer(session_id, "项目是一个合同审查助手。")
    assert [turn.text for turn in view.turns if turn.kind == "answer"] == [STUCK, "项目是一个合同审查助手。"]
