"""Property-based tests (Hypothesis) of every input tablespec reads."""
