"""The interview: LangGraph state machine, grading, report and CLI."""
