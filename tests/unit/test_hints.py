"""/hint walks through the rubric's uncovered points, heaviest first, each at most once."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from interviewer.nodes.give_hint import GENERIC_HINT, give_hint, point_hint
from rubrics.models import KeyPoint, Rubric

RUBRIC = Rubric(question_id="q", kind="derived", key_points=[
    KeyPoint(text="甲：最重要的第一个要点", weight=3, probe="说说甲？"),
    KeyPoint(text="乙：次重要的第二个要点", weight=2, probe="说说乙？"),
    KeyPoint(text="丙：最不重要的第三个要点", weight=1, probe="说说丙？")])
RUNTIME: Any = SimpleNamespace(context=SimpleNamespace(bank={"q": SimpleNamespace(id="q")}, rubric=lambda q: RUBRIC))


def hint(state: dict[str, Any]) -> dict[str, Any]:
    """`state` after one /hint (turns appended, as the graph's reducer does)."""
    update = give_hint(state, RUNTIME)  # type: ignore[arg-type]
    return {**state, **update, "turns": [*state["turns"], *update["turns"]]}


def grade(*covered: int) -> dict[str, Any]:
    return {"question_id": "q", "key_points": [{"index": index, "status": "covered" if index in covered else "missing"}
                                               for index in range(len(RUBRIC.key_points))]}


def test_covering_a_hinted_point_does_not_skip_the_next_one() -> None:
    state: dict[str, Any] = {"current": {"question_id": "q", "stage": "technical", "slot": None, "hints": 0},
                             "turns": [], "last_grade": None}
    state = hint(state)
    assert state["turns"][-1]["text"] == point_hint(RUBRIC.key_points[0])
    state = hint({**state, "last_grade": grade(0)})  # the candidate then covered the hinted point
    assert state["turns"][-1]["text"] == point_hint(RUBRIC.key_points[1])
    state = hint(state)
    assert state["turns"][-1]["text"] == point_hint(RUBRIC.key_points[2])
    state = hint(state)
    assert state["turns"][-1]["text"] == GENERIC_HINT and state["current"]["hints"] == 4


def test_covered_points_are_never_hinted() -> None:
    state: dict[str, Any] = {"current": {"question_id": "q", "stage": "technical", "slot": None, "hints": 0},
                             "turns": [], "last_grade": grade(0, 2)}
    assert hint(state)["turns"][-1]["text"] == point_hint(RUBRIC.key_points[1])
