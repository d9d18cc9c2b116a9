"""Graph nodes, one per module: each takes (state, runtime) and returns the fields it changes."""
