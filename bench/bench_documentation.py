"""Benchmark of Metric 4 at full scale: time and peak memory against the targets of the issue.

1. The deterministic scorer on `CARDS` synthetic cards of 5-20 kB each (realistic Markdown: front
   matter, headings of every style, prose, code blocks, tables, placeholders).
2. The metadata score of `MODELS` models from a synthetic PeaTMOSS database with realistic link
   counts per category (`LINKS_PER_MODEL`), read one table at a time by the loader.

The database is built first (not timed); each measurement then runs in a fresh interpreter so that
its peak resident memory is its own. Targets: under `SECONDS` seconds and `MEMORY_MB` MB in all.
Usage: `python bench/bench_documentation.py [--cards N] [--models N] [--workdir DIR]`; exits 1 when a
target is missed.
"""

from __future__ import annotations

import argparse
import json
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

CARDS = 15_000
MODELS = 281_276
SECONDS = 60.0
MEMORY_MB = 2048.0
SEED = 20240705
# category table -> (mean links per model, share of models with any, entities in the category table)
LINKS_PER_MODEL = {
    "tag": (4.0, 0.95, 20_000),
    "author": (1.0, 0.9, 60_000),
    "library": (1.0, 0.8, 300),
    "framework": (1.2, 0.8, 10),
    "model_task": (1.0, 0.7, 50),
    "domain": (1.0, 0.6, 10),
    "architecture": (1.0, 0.6, 2_000),
    "license": (1.0, 0.4, 80),
    "dataset": (1.5, 0.3, 30_000),
    "paper": (1.2, 0.05, 5_000),
    "hardware": (1.0, 0.02, 40),
    "grant": (1.0, 0.005, 100),
}
# link table and its entity column, when they differ from model_to_<entity> / <entity>_id
LINK_TABLES = {"model_task": ("model_to_model_task", "model_task_id")}
GITHUB_SHARE = 0.05

_WORDS = ["model", "transformer", "dataset", "training", "evaluation", "tokenizer", "layer", "attention", "fine", "tuned", "language", "vision", "speech", "accuracy", "benchmark", "corpus", "sentence", "embedding", "batch", "epoch", "learning", "rate", "checkpoint", "inference", "pipeline", "results", "bias", "limitation", "license", "english", "multilingual", "classification", "generation"]  # noqa: E501 - a list of data
_CODE = '```python\nfrom transformers import AutoModel\n# load the weights\nmodel = AutoModel.from_pretrained("org/m")\n```\n'
_TABLE = "| metric | value |\n|---|---|\n" + "".join(f"| metric{i} | 0.{i}5 |\n" for i in range(8))


def build_database(path: Path, models: int, rng: np.random.Generator) -> None:
    """A PeaTMOSS-schema SQLite file: `models` models and the metadata category tables filled."""
    from artifact.sample.peatmoss import peatmoss_ddl

    path.unlink(missing_ok=True)
    db = sqlite3.connect(path)
    db.executescript(peatmoss_ddl())
    ids = np.arange(1, models + 1)
    db.executemany("INSERT INTO model (id, context_id) VALUES (?, ?)", ((int(i), f"org{i % 997}/model-{i}") for i in ids))
    for entity, (mean_links, share, entities) in LINKS_PER_MODEL.items():
        link_table, link_column = LINK_TABLES.get(entity, (f"model_to_{entity}", f"{entity}_id"))
        name_column = "title" if entity == "paper" else "name"
        extra = ", url" if entity == "dataset" else ""
        db.executemany(
            f'INSERT INTO "{entity}" (id, {name_column}{extra}) VALUES (?, ?{", ?" if extra else ""})',
            ((int(e), f"{entity}-{e}", *((f"https://data/{e}" if e % 3 else None,) if extra else ())) for e in range(1, entities + 1)),
        )
        having = ids[rng.random(models) < share]
        counts = 1 + rng.poisson(mean_links - 1, size=len(having))
        model_ids = np.repeat(having, counts)
        entity_ids = rng.integers(1, entities + 1, size=len(model_ids))
        db.executemany(
            f'INSERT OR IGNORE INTO "{link_table}" (model_id, "{link_column}") VALUES (?, ?)',
            zip(model_ids.tolist(), entity_ids.tolist()),
        )
    with_repo = ids[rng.random(models) < GITHUB_SHARE]
    db.executemany(
        "INSERT INTO github_repo (owner, name, url, model_id) VALUES (?, ?, ?, ?)",
        (("o", f"r{m}", f"https://github.com/o/r{m}", int(m)) for m in with_repo),
    )
    db.commit()
    db.close()


def synthetic_cards(count: int, rng: np.random.Generator) -> list[str]:
    """`count` Markdown cards of 5-20 kB with a random subset of the sections in random heading styles."""
    from artifact.cards.sections import SECTIONS
    from artifact.sample.cards import HEADING_STYLES, OTHER_HEADINGS, heading, section_heading

    cards = []
    for target in rng.integers(5_000, 20_001, size=count):
        parts = ["---\nlicense: mit\ntags:\n- text-classification\n---\n# org/model\n"]
        for section in (*SECTIONS, "other"):
            if rng.random() < 0.6:
                style = rng.integers(HEADING_STYLES)
                if section == "other":
                    parts.append(heading(OTHER_HEADINGS[rng.integers(len(OTHER_HEADINGS))], style))
                else:
                    parts.append(section_heading(section, style, rng))
                parts.append(_CODE if section == "how_to_use" else _TABLE if section == "evaluation" else "")
                parts.append("More information needed\n" if rng.random() < 0.2 else _prose(rng, 400))
        text = "\n".join(parts)
        while len(text) < target:
            text += "\n### Notes\n" + _prose(rng, 1500)
        cards.append(text[:target])
    return cards


def _prose(rng: np.random.Generator, length: int) -> str:
    words = rng.choice(_WORDS, size=length // 7)
    return " ".join(words)[:length] + ".\n"


def measure(task: str, arg: str) -> dict:
    """Run one measurement in this (fresh) interpreter; return seconds and peak memory."""
    if task == "cards":
        import pandas as pd

        from artifact.cards.scorer import score_cards

        cards = pd.Series(synthetic_cards(int(arg), np.random.default_rng(SEED)))
        megabytes = sum(map(len, cards)) / 1e6
        start = time.perf_counter()
        scored = score_cards(cards)
        seconds = time.perf_counter() - start
        what = f"{len(cards):,} cards ({megabytes:.0f} MB of Markdown), mean score {scored['score'].mean():.2f}"
    else:
        from artifact.loaders.peatmoss_metadata import load_metadata_presence
        from artifact.metrics.m4_documentation import metadata_scores

        start = time.perf_counter()
        scores = metadata_scores(load_metadata_presence(Path(arg)))
        seconds = time.perf_counter() - start
        what = f"{len(scores):,} models, mean metadata score {scores['metadata_score'].mean():.2f}"
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"task": task, "what": what, "seconds": seconds, "peak_mb": peak_mb}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cards", type=int, default=CARDS)
    parser.add_argument("--models", type=int, default=MODELS)
    parser.add_argument("--workdir", type=Path, help="where to build the database (default: a temporary folder)")
    parser.add_argument("--measure", nargs=2, metavar=("TASK", "ARG"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(*args.measure)))
        return 0
    with tempfile.TemporaryDirectory(dir=args.workdir) as folder:
        database = Path(folder) / "peatmoss_full.db"
        start = time.perf_counter()
        build_database(database, args.models, np.random.default_rng(SEED))
        print(f"built {database.name}: {args.models:,} models, {database.stat().st_size / 1e6:.0f} MB, "
              f"{time.perf_counter() - start:.1f} s (not counted)")
        results = [_child("cards", str(args.cards)), _child("metadata", str(database))]
    for result in results:
        print(f"{result['task']:>8}: {result['seconds']:6.1f} s  peak {result['peak_mb']:7.0f} MB  {result['what']}")
    total = sum(r["seconds"] for r in results)
    peak = max(r["peak_mb"] for r in results)
    ok = total < SECONDS and peak < MEMORY_MB
    print(f"   total: {total:6.1f} s  peak {peak:7.0f} MB  targets < {SECONDS:.0f} s, < {MEMORY_MB:.0f} MB: "
          f"{'met' if ok else 'MISSED'}")
    return 0 if ok else 1


def _child(task: str, arg: str) -> dict:
    """One measurement in a fresh interpreter, so its peak memory is its own."""
    done = subprocess.run([sys.executable, __file__, "--measure", task, arg], capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


if __name__ == "__main__":
    sys.exit(main())
