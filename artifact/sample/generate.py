"""Generate every file of the embedded sample from one seed.

`python -m artifact sample --out DIR` writes them; the committed copies in `artifact/sample/data`
are listed with their checksums in the inputs manifest, and a test regenerates them byte for byte.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from artifact.sample.cards import write_card_scores
from artifact.sample.peatmoss import write_m3_intermediate, write_peatmoss
from artifact.sample.turnover_inputs import hf_snapshots, write_hf_snapshots, write_package_lists

SAMPLE_SEED = 20240704
# Stream of the PeaTMOSS tables beyond `model` (libraries, lineage, metadata) and of the files derived
# from them, kept apart from the main stream so that changing them leaves the other files as they are.
PEATMOSS_EXTENSION_STREAM = 4


def generate(out_dir: Path) -> list[Path]:
    """Write all sample files into `out_dir` and return their paths, sorted."""
    out_dir.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(SAMPLE_SEED)
    written = write_package_lists(out_dir, rng)
    snapshots = hf_snapshots(rng)
    written += write_hf_snapshots(out_dir, snapshots, rng)
    peatmoss_path = out_dir / "peatmoss.db"
    extension_rng = np.random.default_rng([SAMPLE_SEED, PEATMOSS_EXTENSION_STREAM])
    write_peatmoss(peatmoss_path, snapshots["2023-10"], rng, extension_rng)
    intermediate_path = out_dir / "m3_intermediate.csv"
    write_m3_intermediate(intermediate_path, peatmoss_path)
    written += [peatmoss_path, intermediate_path]
    # Metric 4's archived answers: the same models, drawn with a stream of their own.
    written += write_card_scores(out_dir, snapshots["2023-10"], seed=[SAMPLE_SEED, 5])
    return sorted(written)
