"""The independent profile's Metrics 1-3 on the 760 Hub listing pages, against a plain `json` reading.

Reads the real files from ARTIFACT_MIRROR (`make bench-independent`). The mirror keeps the pages
gzip-compressed; they are first decompressed into a temporary folder, as the input resolver
delivers them (not timed). Then, each in a fresh process, alternately `REPEATS` times:
- the pipeline's functions, stage by stage: `listing` (all tables of the 760 pages), `hf snapshots`
  (the 06/2022 and 2022-10 snapshots, and the listing's), `renames` (links between the three HF
  snapshots), `metric 2` (top 1000 and turnover of the three, with and without renames), `frames`
  (bases resolved through renames, the shapes Metrics 1 and 3 take), `metric 1`, `metric 3`;
- the reference: a plain single pass over the same pages with `json.load`, keeping each id's first
  listing and counting the descendants of each base model from the `base_model:` tags.
- the typed-parse floor: the gzip-compressed pages gunzipped and parsed by msgspec into structs of
  the six fields the metrics need, nothing counted (no program reading the pages can do less);
- the pages into Arrow tables of the loader's fields (nothing else) by two engines: the loader's
  (msgspec typed structs into Arrow columns) and the former one (`json` dicts into an Arrow struct
  array), and by polars' `read_json` when polars is installed (it is not in the lock).
It prints the median wall and CPU seconds of each stage, of the pipeline, of the reference, of the
floor and of the engines, the ratios and the pipeline's peak resident memory, and fails when the
pipeline takes more than `RATIO_TARGET` times the reference or `FLOOR_TARGET` times the floor (the
higher of the wall and the CPU ratio of the medians), or peaks over `MEMORY_TARGET_MB`, or takes more
than 60 s. The reference's counts are checked against the pipeline's tables, so that both do the same work.
"""

from __future__ import annotations

import argparse
import gzip
import json
import shutil
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import msgspec
import pandas as pd
import pyarrow as pa

from artifact.config import Settings
from artifact.loaders.hub_listing import BASE_MODEL_PREFIX, FIELDS, listing_files, load_hub_listing, parse_page, peatmoss_frames
from artifact.loaders.model_info_parquet import load_model_info
from artifact.loaders.snapshots_hf import load_hf_snapshot
from artifact.metrics.m1_preservation import preservation
from artifact.metrics.m2_renames import apply_renames, rename_chain, rename_mapping
from artifact.metrics.m2_turnover import top_k, turnover
from artifact.metrics.m3_descendants import descendant_fits, parent_popularity, top_parents
from artifact.profiles import snapshot_time
from bench.timing import PEAK, Stages, load_note, medians, peak_mb, run_child, verdict

RAW = "raw.githubusercontent.com"
PAGES = RAW + "/TStalnaker44/hugging_face_analysis_replication/016ca26976c1e2c78778ba11b50697f4ce5d14fc/data/raw_data/model_lists"
ANCIENT = RAW + "/PurdueDualityLab/ptm-quantify-esem-2024/f5ea2ca9d77c8a8179a825e59cf1887c7eadae10/data/PeaTMOSS_ANCIENT.db"
MODEL_INFO = RAW + "/Weixin-Liang/AI-model-card-analysis-HuggingFace/6bcc76fe6142e119732491805e7f0240ebb8eca5/data/model_info.parquet"
LISTING_LABEL = "2024-07"
TOP_K = 1000
REPEATS = 3
RATIO_TARGET = 1.0
FLOOR_TARGET = 2.0
TIME_TARGET_S = 60.0
MEMORY_TARGET_MB = 800.0
REFERENCE = "reference"
FLOOR = "typed-parse floor"
ENGINES = ("msgspec -> arrow", "json -> arrow", "polars -> arrow")  # the listing's first step, by engine
COUNTS = ("models", "links", "bases")  # what the reference counts, checked against the pipeline


def measure(pages: Path, earlier: Callable[[], dict[str, pd.DataFrame]]) -> tuple[Stages, dict[str, int]]:
    """Every stage on the listing at `pages`; `earlier` loads the HF snapshots before it, by label.

    Returns the stages and the listing's counts (COUNTS) before any renaming.
    """
    stages = Stages()
    listing = stages.run("listing", lambda: load_hub_listing(pages))
    later = listing.models.loc[:, ["id", "downloads", "created_at"]].rename(columns={"id": "name"})
    snapshots = stages.run("hf snapshots", lambda: earlier() | {LISTING_LABEL: later})
    chain = stages.run("renames", lambda: rename_chain([(label, snapshot_time(label), s) for label, s in snapshots.items()]))

    def metric_2() -> None:
        for mapping_of in (lambda label: pd.Series(dtype="str"), lambda label: rename_mapping(chain, label)):
            renamed = {label: s.assign(name=apply_renames(s["name"], mapping_of(label))) for label, s in snapshots.items()}
            turnover([(label, frozenset(top_k(s, TOP_K)["name"])) for label, s in renamed.items()])

    def frames() -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
        links = listing.base_models.assign(base_model=apply_renames(listing.base_models["base_model"], rename_mapping(chain)))
        return peatmoss_frames(listing.models, listing.libraries, links)

    stages.run("metric 2", metric_2)
    models, libraries, base_links = stages.run("frames", frames)
    stages.run("metric 1", lambda: preservation(libraries, base_links))
    stages.run("metric 3", lambda: (descendant_fits(parent_popularity(models, base_links)), top_parents(base_links)))
    links = listing.base_models
    return stages, {"models": len(listing.models), "links": len(links), "bases": links["base_model"].nunique()}


def reference(pages: Path) -> dict[str, int]:
    """The plain program: each page read with `json.load`, first listings kept, descendants per base counted."""
    seen: set[str] = set()
    links: set[tuple[str, str]] = set()
    for page in listing_files(pages):
        with page.open("rb") as handle:
            for model in json.load(handle):
                model_id = model.get("id") or model.get("modelId")
                if model_id in seen:
                    continue
                seen.add(model_id)
                for tag in model.get("tags") or ():
                    if tag.startswith(BASE_MODEL_PREFIX):
                        base = tag.rpartition(":")[2]
                        if base and base != model_id:
                            links.add((model_id, base))
    descendants = Counter(base for _, base in links)
    return {"models": len(seen), "links": len(links), "bases": len(descendants)}


def floor(mirror: Path) -> int:
    """The typed-parse floor: each compressed page gunzipped and parsed into structs of the fields; the models parsed."""
    kinds = {pa.string(): str | None, pa.float64(): int | float | None, pa.list_(pa.string()): list[str | None] | None}
    model = msgspec.defstruct("Model", [(name, kinds[kind], None) for name, kind in FIELDS.items()], gc=False)
    decoder = msgspec.json.Decoder(list[model])
    return sum(len(decoder.decode(gzip.decompress(page.read_bytes()))) for page in (mirror / PAGES).glob("*.json.gz"))


def engine(name: str, pages: Path) -> int | None:
    """The listing's pages into Arrow tables of FIELDS by engine `name` (ENGINES); their rows, None when not installed."""
    files = listing_files(pages)
    if name == ENGINES[0]:
        tables = [parse_page(page.read_bytes(), tuple(FIELDS), page) for page in files]
    elif name == ENGINES[1]:
        tables = [pa.Table.from_struct_array(pa.array(json.loads(page.read_bytes()), type=pa.struct(list(FIELDS.items())))) for page in files]
    else:
        try:
            import polars
        except ImportError:
            return None
        tables = [polars.read_json(page, schema=polars.from_arrow(pa.table({n: pa.array([], t) for n, t in FIELDS.items()})).schema).to_arrow()
                  for page in files]
    return sum(table.num_rows for table in tables)


def real_snapshots(mirror: Path) -> Callable[[], dict[str, pd.DataFrame]]:
    """The loader of the 06/2022 and 2022-10 HF snapshots of the independent profile, from `mirror`."""
    return lambda: {"2022-06": load_hf_snapshot(mirror / ANCIENT, "hf-ancient"), "2022-10": load_model_info(mirror / MODEL_INFO)}


def decompress(mirror: Path, folder: Path) -> int:
    """The 760 pages decompressed into `folder`, as the input resolver delivers them; their count."""
    count = 0
    for page in (mirror / PAGES).glob("models_page*_07-11-2024.json.gz"):
        with gzip.open(page, "rb") as source, (folder / page.name[: -len(".gz")]).open("wb") as target:
            shutil.copyfileobj(source, target)
        count += 1
    return count


def print_counts(counts: dict[str, int]) -> None:
    """The child's counts, as stage-like lines the parent reads back."""
    for name in COUNTS:
        print(f"count {name}\t{counts[name]}\t0")


def child(mirror: Path, pages: Path, program: str) -> None:
    """One measurement in this (fresh) process: the pipeline, the reference, the floor or an engine."""
    if program == "pipeline":
        stages, counts = measure(pages, real_snapshots(mirror))
        stages.print()
        print_counts(counts)
        return
    wall, cpu = time.perf_counter(), time.process_time()
    if program == REFERENCE:
        print_counts(reference(pages))
    elif (program == FLOOR and floor(mirror) == 0) or (program in ENGINES and engine(program, pages) is None):
        return  # nothing to time: the engine is not installed
    print(f"{program}\t{time.perf_counter() - wall:.3f}\t{time.process_time() - cpu:.3f}")
    print(f"{PEAK}\t{peak_mb():.0f}\t0")


def compare(mirror: Path, repeats: int) -> int:
    """Pipeline, reference, floor and engines in turn in fresh processes; the figures, and 1 when a target is missed."""
    programs = ("pipeline", REFERENCE, FLOOR, *ENGINES)
    runs: dict[str, list[dict]] = {program: [] for program in programs}
    with tempfile.TemporaryDirectory(prefix="hub-listing-bench-") as folder:
        print(f"decompressed {decompress(mirror, Path(folder))} pages (not timed); {repeats} runs of each, in turn")
        for _ in range(repeats):
            for program in programs:
                runs[program].append(run_child(__spec__.name, ["--measure", folder, "--program", program]))
    return report(runs["pipeline"], runs[REFERENCE], {program: runs[program] for program in programs[2:] if runs[program][0]})


def report(pipeline: list[dict], plain: list[dict], others: dict[str, list[dict]]) -> int:
    """Print the median figures of every program; 0 when within the targets, else 1.

    `others` holds the floor's and the engines' runs (one line each: their time and peak).
    """
    counts = {name: pipeline[0].pop(f"count {name}")[0] for name in COUNTS}
    plain_counts = {name: plain[0].pop(f"count {name}")[0] for name in COUNTS}
    for run in pipeline[1:] + plain[1:]:
        for name in COUNTS:
            run.pop(f"count {name}")
    peak = max(run.pop(PEAK)[0] for run in pipeline)
    stages = medians(pipeline)
    totals = medians([{"total": tuple(map(sum, zip(*run.values())))} for run in pipeline])["total"]
    print(f"{'stage (median)':<18} {'wall s':>7} {'cpu s':>7}")
    for name, (wall, cpu) in stages.items():
        print(f"{name:<18} {wall:7.2f} {cpu:7.2f}")
    print(f"{'pipeline total':<18} {totals[0]:7.2f} {totals[1]:7.2f}   peak {peak:.0f} MB")
    lines = {}
    for name, program_runs in {"plain json": plain, **others}.items():
        program_peak = max(run.pop(PEAK)[0] for run in program_runs)
        lines[name] = next(iter(medians(program_runs).values()))
        print(f"{name:<18} {lines[name][0]:7.2f} {lines[name][1]:7.2f}   peak {program_peak:.0f} MB")
    failures = []
    for name, target in (("plain json", RATIO_TARGET), (FLOOR, FLOOR_TARGET)):
        if name not in lines:
            continue
        wall_ratio, cpu_ratio = totals[0] / lines[name][0], totals[1] / lines[name][1]
        ratio = max(wall_ratio, cpu_ratio)  # the less favourable: Arrow's threads may shorten the wall time alone
        print(f"ratio pipeline / {name}: {wall_ratio:.2f} (wall), {cpu_ratio:.2f} (cpu); target <= {target:g}")
        if ratio > target:
            failures.append(f"pipeline over {target:g}x the {name}")
    print(load_note())
    print("counts (models, links, bases): pipeline " + ", ".join(f"{counts[n]:.0f}" for n in COUNTS)
          + "; reference " + ", ".join(f"{plain_counts[n]:.0f}" for n in COUNTS))
    if counts != plain_counts:
        failures.append("the reference does not count what the pipeline does")
    if totals[0] > TIME_TARGET_S or peak > MEMORY_TARGET_MB:
        failures.append(f"over {TIME_TARGET_S:.0f} s or {MEMORY_TARGET_MB:.0f} MB")
    targets = f"<= {RATIO_TARGET:g}x plain json, <= {FLOOR_TARGET:g}x the {FLOOR}, < {TIME_TARGET_S:.0f} s, < {MEMORY_TARGET_MB:.0f} MB"
    return verdict(failures, targets)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=REPEATS, help="runs of each program (default %(default)s)")
    parser.add_argument("--measure", type=Path, help=argparse.SUPPRESS)  # a child's job: the pages folder
    parser.add_argument("--program", default="pipeline", help=argparse.SUPPRESS)  # a child's job: what it measures
    args = parser.parse_args(argv)
    mirror = Settings.from_env().mirror_dir or Path("/nonexistent")
    if not (mirror / PAGES).is_dir():
        print(f"needs the real inputs: set ARTIFACT_MIRROR to a mirror folder holding {PAGES}", file=sys.stderr)
        return 2
    if args.measure:
        child(mirror, args.measure, args.program)
        return 0
    return compare(mirror, args.repeats)


if __name__ == "__main__":
    sys.exit(main())
