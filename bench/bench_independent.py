"""The independent profile at full scale: all 760 Hub listing pages, loaded and run through Metric 2.

Reads the real files from ARTIFACT_MIRROR (`make bench-independent`). The mirror keeps the pages
gzip-compressed; they are first decompressed into a temporary folder, as the input resolver
delivers them (not timed). Then, in a fresh process so that this step does not count, it times:
- `listing`: all tables of the 760 pages (models, tag pairs, base-model links, libraries);
- `hf snapshots`: the 06/2022 and 2022-10 snapshots;
- `renames`: the rename links between the three HF snapshots;
- `metric 2`: top 1000 and turnover of the three HF snapshots, with and without renames;
- `m1/m3 frames`: the listing in the shapes Metrics 1 and 3 take (bases resolved through renames);
- `metric 1`, `metric 3`: when artifact/metrics/preservation.py and descendants.py are installed;
and prints wall and CPU seconds per stage, the total, and the peak resident memory of that process
(getrusage ru_maxrss). Target for loading and Metrics 1-3: under 60 s and 2 GB on 2 cores.
"""

from __future__ import annotations

import argparse
import gzip
import importlib
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from artifact.loaders.hub_listing import load_hub_listing, peatmoss_frames
from artifact.loaders.model_info_parquet import load_model_info
from artifact.loaders.snapshots_hf import load_hf_snapshot
from artifact.metrics.renames import apply_renames, rename_chain, rename_mapping
from artifact.metrics.turnover import top_k, turnover
from artifact.profiles import snapshot_time

RAW = "raw.githubusercontent.com"
PAGES = RAW + "/TStalnaker44/hugging_face_analysis_replication/016ca26976c1e2c78778ba11b50697f4ce5d14fc/data/raw_data/model_lists"
ANCIENT = RAW + "/PurdueDualityLab/ptm-quantify-esem-2024/f5ea2ca9d77c8a8179a825e59cf1887c7eadae10/data/PeaTMOSS_ANCIENT.db"
MODEL_INFO = RAW + "/Weixin-Liang/AI-model-card-analysis-HuggingFace/6bcc76fe6142e119732491805e7f0240ebb8eca5/data/model_info.parquet"
TIME_TARGET_S = 60.0
MEMORY_TARGET_MB = 2048.0


class Stages:
    """Wall and CPU seconds of named stages, in order."""

    def __init__(self) -> None:
        self.times: dict[str, tuple[float, float]] = {}

    def run(self, name: str, step: Callable[[], object]) -> object:
        wall, cpu = time.perf_counter(), time.process_time()
        result = step()
        self.times[name] = (time.perf_counter() - wall, time.process_time() - cpu)
        return result


def measure(mirror: Path, pages: Path) -> Stages:
    """Run every stage on the real files; the listing's pages are read from `pages`."""
    stages = Stages()
    listing = stages.run("listing", lambda: load_hub_listing(pages))
    snapshots = stages.run(
        "hf snapshots",
        lambda: {
            "2022-06": load_hf_snapshot(mirror / ANCIENT, "hf-ancient"),
            "2022-10": load_model_info(mirror / MODEL_INFO),
            "2024-07": listing.models.rename(columns={"id": "name"}).loc[:, ["name", "downloads", "created_at"]],
        },
    )
    chain = stages.run("renames", lambda: rename_chain([(label, snapshot_time(label), s) for label, s in snapshots.items()]))

    def metric_2() -> None:
        for mapping_of in (lambda label: pd.Series(dtype="str"), lambda label: rename_mapping(chain, label)):
            renamed = {label: s.assign(name=apply_renames(s["name"], mapping_of(label))) for label, s in snapshots.items()}
            turnover([(label, frozenset(top_k(s, 1000)["name"])) for label, s in renamed.items()])

    stages.run("metric 2", metric_2)
    links = listing.base_models.assign(base_model=apply_renames(listing.base_models["base_model"], rename_mapping(chain)))
    models, libraries, base_links = stages.run("m1/m3 frames", lambda: peatmoss_frames(listing.models, listing.libraries, links))
    for name, module, call in (
        ("metric 1", "artifact.metrics.preservation", lambda m: m.preservation(libraries, base_links)),
        ("metric 3", "artifact.metrics.descendants", lambda m: m.descendant_fits(m.parent_popularity(models, base_links))),
    ):
        try:
            metric = importlib.import_module(module)
        except ImportError:
            continue
        stages.run(name, lambda: call(metric))
    return stages


def decompress(mirror: Path, folder: Path) -> int:
    """The 760 pages decompressed into `folder`, as the input resolver delivers them; their count."""
    count = 0
    for page in (mirror / PAGES).glob("models_page*_07-11-2024.json.gz"):
        with gzip.open(page, "rb") as source, (folder / page.name[: -len(".gz")]).open("wb") as target:
            shutil.copyfileobj(source, target)
        count += 1
    return count


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--measure", type=Path, help=argparse.SUPPRESS)  # the child process's job: the pages folder
    args = parser.parse_args(argv)
    mirror = Path(os.environ.get("ARTIFACT_MIRROR", "").strip() or "/nonexistent")
    if not (mirror / PAGES).is_dir():
        print(f"needs the real inputs: set ARTIFACT_MIRROR to a mirror folder holding {PAGES}", file=sys.stderr)
        return 2
    if args.measure:
        stages = measure(mirror, args.measure)
        for name, (wall, cpu) in stages.times.items():
            print(f"{name}\t{wall:.2f}\t{cpu:.2f}")
        print(f"peak_mb\t{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f}\t0")
        return 0
    with tempfile.TemporaryDirectory(prefix="hub-listing-bench-") as folder:
        print(f"decompressed {decompress(mirror, Path(folder))} pages (not timed)")
        child = subprocess.run([sys.executable, __file__, "--measure", folder], capture_output=True, text=True, check=True)
    results = {name: (float(wall), float(cpu)) for name, wall, cpu in (line.split("\t") for line in child.stdout.splitlines())}
    peak = results.pop("peak_mb")[0]
    print(f"{'stage':<13} {'wall s':>7} {'cpu s':>7}")
    for name, (wall, cpu) in results.items():
        print(f"{name:<13} {wall:7.2f} {cpu:7.2f}")
    total = sum(wall for wall, _ in results.values())
    print(f"{'total':<13} {total:7.2f} {sum(cpu for _, cpu in results.values()):7.2f}")
    print(f"peak memory {peak:.0f} MB (resident, whole process); {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}")
    if "metric 1" not in results:
        print("Metrics 1 and 3 not timed: artifact/metrics/preservation.py and descendants.py are not installed")
    within = total < TIME_TARGET_S and peak < MEMORY_TARGET_MB
    print(f"{'within' if within else 'OUTSIDE'} the targets (< {TIME_TARGET_S:.0f} s, < {MEMORY_TARGET_MB:.0f} MB)")
    return 0 if within else 1


if __name__ == "__main__":
    sys.exit(main())
