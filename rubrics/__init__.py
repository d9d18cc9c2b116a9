"""Rubrics: what a good answer contains, the embedding functions and the Chroma store."""
