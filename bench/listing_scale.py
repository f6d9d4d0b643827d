"""Metrics 1-3 on synthetic Hub listings of one, two and three times the 2024-07 one: time, memory, growth.

Writes, in a temporary folder and from a fixed seed, a listing of `SCALES[-1]` x 760,000 models in
pages of 1,000 (the real pages' fields and proportions: about 6 tags per model, one in six with
base-model tags naming a few thousand popular bases, library tags and names, 0.1% of the ids moved
from a legacy id into an organisation), and for each scale the two earlier HF snapshots (06/2022 and
2022-10, in the same proportion to the listing as the real ones) as Parquet. The smaller scales
read the first pages of the same listing. Then, for each scale in a fresh process, it times the
stages of `bench/bench_independent.py` (load, renames, Metric 2, frames, Metrics 1 and 3) and
prints seconds and peak resident memory per scale. Fails when the largest scale peaks at or over
`MEMORY_TARGET_MB`, or when its CPU seconds per model exceed those of the smallest by more than
`LINEAR_SLACK` (growth not linear). Usage: `python -m bench.listing_scale [--scales 1 2 3]`.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

from artifact.loaders.hub_listing import BASE_MODEL_PREFIX
from bench.bench_independent import measure
from bench.timing import PEAK, load_note, run_child, verdict

REAL_MODELS = 760_000  # the 2024-07 listing
PAGE_SIZE = 1_000
SCALES = (1, 2, 3)
EARLIER = {"2022-06": 10_406 / REAL_MODELS, "2022-10": 74_970 / REAL_MODELS}  # real rows per listed model
SEED = 20240711
MEMORY_TARGET_MB = 1600.0
LINEAR_SLACK = 1.1
BASE_SHARE, BASES = 0.166, 5_000  # models with base-model tags; distinct popular bases they name
MOVED_SHARE = 0.001  # ids that moved from a legacy id into an organisation
LIBRARY_NAMES = ("transformers", "diffusers", "sentence-transformers", "timm", "peft", "whisper", None)
LIBRARY_WEIGHTS = (0.55, 0.05, 0.04, 0.02, 0.04, 0.01, 0.29)
FORMAT_TAGS = ("safetensors", "onnx", "gguf", "tensorboard")
FORMAT_SHARES = (0.5, 0.03, 0.03, 0.08)
PIPELINES = ("text-generation", "text-classification", "fill-mask", "image-classification", None)
OTHER_TAGS = ("pytorch", "region:us", "endpoints_compatible", "license:apache-2.0", "autotrain_compatible", "en",
              "text-generation-inference", "conversational")
OTHER_SHARES = (0.6, 0.95, 0.5, 0.3, 0.3, 0.2, 0.2, 0.15)
EPOCH_2021, SPAN_S = 1_609_459_200, 3.5 * 365 * 86_400  # creation times from 2021-01-01 over 3.5 years
LEGACY_CREATED = "2021-06-01T12:00:00.000Z"  # moved models were created before both earlier snapshots


def model_id(number: int, was_moved: bool) -> str:
    """The Hub id of synthetic model `number`: `<org>/model-<n>`, or `<org>/legacy-<n>` if it moved."""
    return f"org{number % 7919}/{'legacy' if was_moved else 'model'}-{number}"


def write_listing(folder: Path, models: int, seed: int = SEED) -> int:
    """Pages of `models` synthetic model objects in `folder`, in the Hub listing form; their count."""
    rng = np.random.default_rng(seed)
    folder.mkdir(parents=True, exist_ok=True)
    pages = 0
    for start in range(0, models, PAGE_SIZE):
        page = _page(np.arange(start, min(start + PAGE_SIZE, models)), rng)
        (folder / f"models_page{pages + 1}_synthetic.json").write_text(json.dumps(page))
        pages += 1
    return pages


def moved(number: int) -> bool:
    """Whether synthetic model `number` moved from a legacy id into an organisation (one in 1/MOVED_SHARE)."""
    return number % round(1 / MOVED_SHARE) == 0


def _page(numbers: np.ndarray, rng: np.random.Generator) -> list[dict[str, object]]:
    """The model objects of one page, drawn with one random vector per field."""
    size = len(numbers)
    libraries = rng.choice(len(LIBRARY_NAMES), size=size, p=LIBRARY_WEIGHTS)
    flags = rng.random((size, len(FORMAT_TAGS + OTHER_TAGS))) < np.array(FORMAT_SHARES + OTHER_SHARES)
    has_base = rng.random(size) < BASE_SHARE
    bases = rng.zipf(1.6, size=size) % BASES
    relations = rng.choice(["finetune", "adapter", "quantized"], size=size)
    created = pd.to_datetime(EPOCH_2021 + rng.random(size) * SPAN_S, unit="s").strftime("%Y-%m-%dT%H:%M:%S.000Z")
    downloads = np.where(rng.random(size) < 0.3, 0, np.floor(rng.lognormal(3.0, 3.0, size=size))).astype(np.int64)
    likes, pipelines = rng.poisson(0.5, size=size), rng.integers(len(PIPELINES), size=size)
    page = []
    for row, number in enumerate(numbers.tolist()):
        library = LIBRARY_NAMES[libraries[row]]
        pipeline = PIPELINES[pipelines[row]]
        tags = [t for t in (library, pipeline) if t] + [t for t, on in zip(FORMAT_TAGS + OTHER_TAGS, flags[row]) if on]
        if has_base[row]:
            base = model_id(int(bases[row]), False)
            tags += [f"{BASE_MODEL_PREFIX}{base}", f"{BASE_MODEL_PREFIX}{relations[row]}:{base}"]
        name = model_id(number, moved(number))
        page.append({"_id": f"{number:024x}", "id": name, "likes": int(likes[row]), "private": False,
                     "downloads": int(downloads[row]), "tags": tags, "pipeline_tag": pipeline,
                     "library_name": library, "createdAt": LEGACY_CREATED if moved(number) else created[row], "modelId": name})
    return page


def earlier_snapshot(models: int, share: float, seed: int) -> pd.DataFrame:
    """An earlier HF snapshot (`name`, `downloads`) of `share` x `models` of the listing's models and
    every model that moved later, under its legacy id."""
    rng = np.random.default_rng(seed)
    sampled = rng.choice(models, size=max(1, int(models * share)), replace=False)
    numbers = np.union1d(sampled, np.arange(0, models, round(1 / MOVED_SHARE)))
    names = [f"legacy-{n}" if moved(n) else model_id(n, False) for n in numbers.tolist()]
    return pd.DataFrame({"name": names, "downloads": np.floor(rng.lognormal(4.0, 3.0, size=len(names)))})


def prepare(root: Path, scales: tuple[int, ...], models_per_scale: int = REAL_MODELS) -> dict[int, Path]:
    """The listing of the largest scale, one folder per scale (links to its first pages) with the
    earlier snapshots beside it; the folder of each scale. `models_per_scale`: a multiple of PAGE_SIZE."""
    pages = root / "pages"
    write_listing(pages, max(scales) * models_per_scale)
    folders = {}
    for scale in scales:
        folder = root / f"x{scale}"
        (folder / "pages").mkdir(parents=True)
        for number in range(1, scale * models_per_scale // PAGE_SIZE + 1):
            name = f"models_page{number}_synthetic.json"
            (folder / "pages" / name).symlink_to(pages / name)
        for index, (label, share) in enumerate(EARLIER.items()):
            earlier_snapshot(scale * models_per_scale, share, SEED + index).to_parquet(folder / f"{label}.parquet")
        folders[scale] = folder
    return folders


def child(folder: Path) -> None:
    """One measurement in this (fresh) process: every stage on the listing of one scale."""
    stages, _ = measure(folder / "pages", lambda: {label: pd.read_parquet(folder / f"{label}.parquet") for label in EARLIER})
    stages.print()


def report(results: dict[int, dict[str, tuple[float, float]]], models_per_scale: int = REAL_MODELS) -> int:
    """Print seconds and memory per scale; 0 when linear and within memory, else 1."""
    print(f"{'scale':<6} {'models':>9} {'wall s':>7} {'cpu s':>7} {'cpu s/M':>8} {'peak MB':>8}")
    per_model = {}
    for scale, run in results.items():
        peak = run.pop(PEAK)[0]
        wall, cpu = (sum(values) for values in zip(*run.values()))
        per_model[scale] = cpu / (scale * models_per_scale / 1e6)
        print(f"{scale}x{'':<4} {scale * models_per_scale:9d} {wall:7.2f} {cpu:7.2f} {per_model[scale]:8.2f} {peak:8.0f}")
        results[scale][PEAK] = (peak, 0.0)
    smallest, largest = min(results), max(results)
    growth = per_model[largest] / per_model[smallest]
    peak = results[largest][PEAK][0]
    print(f"CPU seconds per model, {largest}x against {smallest}x: {growth:.2f}; {load_note()}")
    failures = []
    if growth > LINEAR_SLACK:
        failures.append(f"time grows faster than the listing (over {LINEAR_SLACK:g}x per model)")
    if peak >= MEMORY_TARGET_MB:
        failures.append(f"peak memory {peak:.0f} MB at {largest}x, not under {MEMORY_TARGET_MB:.0f} MB")
    return verdict(failures, f"linear within {LINEAR_SLACK:g}x, peak < {MEMORY_TARGET_MB:.0f} MB")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", type=int, nargs="+", default=list(SCALES), help="multiples of the 2024-07 listing")
    parser.add_argument("--measure", type=Path, help=argparse.SUPPRESS)  # a child's job: one scale's folder
    args = parser.parse_args(argv)
    if args.measure:
        child(args.measure)
        return 0
    scales = tuple(sorted(set(args.scales)))
    with tempfile.TemporaryDirectory(prefix="listing-scale-bench-") as root:
        folders = prepare(Path(root), scales)
        print(f"synthetic listing of {max(scales) * REAL_MODELS} models written (not timed)")
        results = {scale: run_child(__spec__.name, ["--measure", str(folder)]) for scale, folder in folders.items()}
    return report(results)


if __name__ == "__main__":
    sys.exit(main())
