"""Loaders: one per input format, each turning a verified local file into a tidy table."""
