"""The embedded sample: small, seeded, synthetic inputs in the exact formats of the real ones."""
