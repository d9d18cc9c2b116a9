"""The terminal's words for the engine's codes (errors and notices), in Chinese or English.

The engine never sends display text across the boundary; the web app has its own table (ui/i18n.py).
"""

from __future__ import annotations

from interviewer.service import SessionError

MESSAGES: dict[str, tuple[str, str]] = {
    # SessionError codes
    "session_not_found": ("没有这个会话：{session_id}", "no session with id {session_id}"),
    "session_finished": ("这场面试已经结束", "this session has finished"),
    "answer_too_long": ("回答太长（{length} 字，上限 {limit} 字），请精简后重新输入",
                        "answer too long ({length} characters, limit {limit}): please shorten it and type it again"),
    "too_many_questions": ("基础题最多 {limit} 道", "at most {limit} technical questions"),
    "empty_plan": ("没有可以提问的题目：只选了 technical 环节时，--questions 至少为 1",
                   "nothing to ask: with only the technical stage, --questions must be at least 1"),
    # notice codes
    "llm_fallback": ("大模型暂时不可用，本题使用离线评分", "the LLM is unavailable; this answer was graded offline"),
    "llm_paused": ("大模型接口连续出错，暂停调用一段时间，面试以离线方式继续",
                   "the LLM endpoint failed repeatedly; it is paused for a while and the interview continues offline"),
    # the terminal's own lines
    "interrupted": ("已暂停并保存，继续：mock-interview practice --resume {session_id}",
                    "paused and saved; resume with: mock-interview practice --resume {session_id}"),
    "paused": ("已暂停。继续：mock-interview practice --resume {session_id}",
               "paused. resume with: mock-interview practice --resume {session_id}"),
    "finished": ("这场面试已经结束。报告：mock-interview report {session_id} --format html",
                 "this session has finished. report: mock-interview report {session_id} --format html"),
    "report": ("报告：mock-interview report {session_id} --format html",
               "report: mock-interview report {session_id} --format html"),
    "prompt": ("你> ", "you> "),
    "unknown": ("{code}", "{code}"),
}


def say(code: str, language: str = "zh", **params: object) -> str:
    """The terminal's line for `code` in `language` ("zh" or "en")."""
    zh, en = MESSAGES.get(code, MESSAGES["unknown"])
    return (en if language == "en" else zh).format(code=code, **params)


def error_line(error: SessionError, language: str = "zh") -> str:
    return say(error.code, language, **error.params)
