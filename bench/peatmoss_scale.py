"""Metrics 1 and 3 at the real scale of PeaTMOSS: wall time and peak memory (`make bench`).

Builds, in a temporary folder, a synthetic PeaTMOSS database of 281,276 models with about 170,000
model-library rows and 130,000 base-model links (the sample generator's lineage and libraries),
then, in a fresh process so that building does not count, loads it and runs Metric 1 (both
variants) and Metric 3 (both popularity variants, top parents, the three fits). Prints the time of
each stage, the total, and the peak resident memory of that process (getrusage ru_maxrss).
Targets: under 20 s and under 1.5 GB on 2 cores.
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from artifact.loaders.peatmoss import load_base_links, load_model_libraries, load_models
from artifact.metrics.m1_preservation import preservation
from artifact.metrics.m3_descendants import descendant_fits, parent_popularity, top_parents
from artifact.sample.peatmoss import lineage, lineage_inserts, peatmoss_ddl, records
from artifact.sample.sqlite_files import write_sqlite

REAL_MODELS = 281_276
TIME_TARGET_S = 20.0
MEMORY_TARGET_MB = 1536.0


def build(path: Path, count: int, seed: int = 0) -> dict[str, int]:
    """Write a synthetic PeaTMOSS database of `count` models at `path`; return its row counts."""
    rng = np.random.default_rng(seed)
    downloads = np.floor(rng.lognormal(5.0, 3.0, size=count))
    downloads[rng.random(count) < 0.03] = np.nan
    numbers = pd.Series(np.arange(1, count + 1))
    models = pd.DataFrame(
        {
            "model_id": numbers,
            "name": "org" + (numbers % 5000).astype(str) + "/model-" + numbers.astype(str),
            "downloads": pd.array(downloads, dtype="Int64"),
        }
    )
    links = lineage(models, rng)
    inserts = [("INSERT INTO model (id, context_id, downloads) VALUES (?, ?, ?)", records(models))]
    inserts += lineage_inserts(models, links, rng)
    write_sqlite(path, peatmoss_ddl(), inserts)
    return {"models": count, "model_to_library": len(inserts[2][1]), "model_to_base_model": len(links)}


def measure(path: Path) -> dict[str, float]:
    """Seconds per stage (load, Metric 1, Metric 3), in total, and peak resident memory in MB."""
    seconds = {}
    start = time.perf_counter()
    models, libraries, links = load_models(path), load_model_libraries(path), load_base_links(path)
    seconds["load"] = time.perf_counter() - start
    mark = time.perf_counter()
    preservation(libraries, links)
    seconds["metric 1"] = time.perf_counter() - mark
    mark = time.perf_counter()
    descendant_fits(parent_popularity(models, links))
    top_parents(links)
    seconds["metric 3"] = time.perf_counter() - mark
    seconds["total"] = time.perf_counter() - start
    return seconds | {"peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", type=int, default=REAL_MODELS, help="models in the synthetic database")
    parser.add_argument("--measure", type=Path, help=argparse.SUPPRESS)  # the child process's job
    args = parser.parse_args(argv)
    if args.measure:
        for name, value in measure(args.measure).items():
            print(f"{name}\t{value:.2f}")
        return 0
    with tempfile.TemporaryDirectory(prefix="peatmoss-bench-") as folder:
        path = Path(folder) / "peatmoss.db"
        started = time.perf_counter()
        counts = build(path, args.models)
        print(f"built {path.name} in {time.perf_counter() - started:.1f} s: " + ", ".join(f"{k} {v:,}" for k, v in counts.items()))
        child = subprocess.run(
            [sys.executable, __file__, "--measure", str(path)], capture_output=True, text=True, check=True
        )
    results = dict(line.split("\t") for line in child.stdout.splitlines())
    for name in ("load", "metric 1", "metric 3", "total"):
        print(f"{name:<9} {float(results[name]):6.2f} s")
    total, peak = float(results["total"]), float(results["peak_mb"])
    print(f"peak memory {peak:.0f} MB (resident, whole process)")
    within = total < TIME_TARGET_S and peak < MEMORY_TARGET_MB
    print(f"{'within' if within else 'OUTSIDE'} the targets (< {TIME_TARGET_S:.0f} s, < {MEMORY_TARGET_MB:.0f} MB)")
    return 0 if within else 1


if __name__ == "__main__":
    sys.exit(main())
