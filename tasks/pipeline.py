"""The whole pipeline of a profile, rooted at the report (the module plain `luigi` is pointed at).

`luigi --module tasks.pipeline Report --profile sample --local-scheduler` runs the same graph
with the same bytes as `python -m artifact reproduce --profile sample`; settings come from the
`[artifact]` section of luigi.cfg (or `--artifact-outputs-root DIR` and the like).
"""

from tasks.report import Report

__all__ = ["Report"]
