"""Figures of the paper, each a pure function from result tables to a matplotlib Figure."""
