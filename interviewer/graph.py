"""The interview as a graph. Wiring only: what each step does lives in interviewer/nodes/.

    START → begin → ask ─┬→ listen ─┬→ grade_answer ─┬→ follow_up → listen
                         │          │                └→ ask
                         │          ├→ give_hint → listen
                         │          ├→ repeat → listen
                         │          ├→ skip → ask
                         │          └→ finish (/end)
                         └→ finish → END
"""

from __future__ import annotations

from langgraph.graph import END, START, StateGraph

from interviewer.context import InterviewContext
from interviewer.nodes.ask import ask
from interviewer.nodes.begin import begin
from interviewer.nodes.finish import finish
from interviewer.nodes.follow_up import follow_up
from interviewer.nodes.give_hint import give_hint
from interviewer.nodes.grade_answer import grade_answer
from interviewer.nodes.listen import listen
from interviewer.nodes.repeat import repeat
from interviewer.nodes.skip import skip
from interviewer.routing import route_after_ask, route_after_grade, route_input
from interviewer.state import InterviewState


def build_graph() -> StateGraph[InterviewState, InterviewContext, InterviewState, InterviewState]:
    graph = StateGraph(InterviewState, context_schema=InterviewContext)
    graph.add_node("begin", begin)
    graph.add_node("ask", ask)
    graph.add_node("listen", listen)
    graph.add_node("grade_answer", grade_answer)
    graph.add_node("follow_up", follow_up)
    graph.add_node("give_hint", give_hint)
    graph.add_node("repeat", repeat)
    graph.add_node("skip", skip)
    graph.add_node("finish", finish)

    graph.add_edge(START, "begin")
    graph.add_edge("begin", "ask")
    graph.add_conditional_edges("ask", route_after_ask, {"listen": "listen", "finish": "finish"})
    graph.add_conditional_edges("listen", route_input, {"answer": "grade_answer", "hint": "give_hint",
                                                        "repeat": "repeat", "skip": "skip", "end": "finish"})
    graph.add_conditional_edges("grade_answer", route_after_grade, {"follow_up": "follow_up", "ask": "ask"})
    graph.add_edge("follow_up", "listen")
    graph.add_edge("give_hint", "listen")
    graph.add_edge("repeat", "listen")
    graph.add_edge("skip", "ask")
    graph.add_edge("finish", END)
    return graph
