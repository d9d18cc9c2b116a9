"""Grading answers against rubrics: the embedding grader, the optional LLM judge and their combination."""
