"""Replication artifact for "What do we know about Hugging Face?" (ESEM 2024).

The package recomputes the paper's metrics from pinned inputs: loaders turn files into tidy
tables, metrics are pure functions of tables, figures and the report render the results.
"""

__version__ = "0.1.0"
