"""Model cards: the five sections of Metric 4, the archived GPT-4 replies, a deterministic scorer."""
