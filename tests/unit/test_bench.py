"""The benchmark's builder and measurement work (at a small scale: `make bench` runs the real one)."""

from __future__ import annotations

from pathlib import Path

from bench.peatmoss_scale import build, measure


def test_bench_builds_a_database_with_the_real_proportions_and_measures_it(tmp_path: Path) -> None:
    counts = build(tmp_path / "peatmoss.db", 4000)
    # About 0.6 model-library rows and 0.46 base links per model, as in the real database.
    assert 0.5 < counts["model_to_library"] / counts["models"] < 0.7
    assert 0.4 < counts["model_to_base_model"] / counts["models"] < 0.52
    measured = measure(tmp_path / "peatmoss.db")
    assert set(measured) == {"load", "metric 1", "metric 3", "total", "peak_mb"}
    assert measured["total"] >= measured["metric 1"] > 0
