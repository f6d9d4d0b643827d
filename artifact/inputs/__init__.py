"""Pinned inputs: the manifest, and getting each file's verified bytes onto local disk."""
