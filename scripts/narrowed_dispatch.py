"""Run a profile again with numpy's SIMD dispatch narrowed to its baseline and compare every output byte.

`python scripts/narrowed_dispatch.py [--profile sample] [--normal outputs/sample] [--out DIR]`
sets NPY_DISABLE_CPU_FEATURES to every dispatch target above numpy's baseline that this CPU runs
(computed here, at run time) and, on x86-64, OPENBLAS_CORETYPE to the kernels of a baseline CPU,
reproduces the profile afresh into DIR, checks that the run recorded the narrowed dispatch, and
compares every file with the normal run's outputs, except the run-specific ones (REPORT.md,
report.html and run/, which hold times and the platform). Exits 1 on any difference, naming the
files; 0 when every byte matches. CI runs it after `make reproduce PROFILE=sample`.
"""

from __future__ import annotations

import argparse
import json
import platform
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from artifact.config import child_environment  # noqa: E402
from artifact.platform_info import PLATFORM_RECORD, dispatched_targets  # noqa: E402

RUN_SPECIFIC = ("REPORT.md", "report.html", "run/")
BASELINE_BLAS_CORE = "Nehalem"


def output_files(root: Path) -> dict[str, bytes]:
    """Every file under `root` but the run-specific ones, by relative path."""
    files = {str(p.relative_to(root)): p for p in sorted(root.rglob("*")) if p.is_file()}
    return {name: path.read_bytes() for name, path in files.items() if not name.startswith(RUN_SPECIFIC)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--profile", default="sample")
    parser.add_argument("--normal", type=Path, help="the normal run's outputs (default outputs/PROFILE)")
    parser.add_argument("--out", type=Path, default=REPO / "outputs-narrowed", help="outputs root of the narrowed run")
    args = parser.parse_args()
    normal = args.normal or REPO / "outputs" / args.profile
    features = dispatched_targets()
    if not features:
        print("numpy dispatches to nothing above its baseline on this CPU: the narrowed run is the normal run")
    print(f"NPY_DISABLE_CPU_FEATURES={' '.join(features)!r}", flush=True)
    env = child_environment({"NPY_DISABLE_CPU_FEATURES": " ".join(features), "ARTIFACT_OUTPUTS": str(args.out)})
    if platform.machine() in ("x86_64", "AMD64"):  # OpenBLAS's kernels too: those of an SSE4.2 CPU (x86-64-v2)
        env["OPENBLAS_CORETYPE"] = BASELINE_BLAS_CORE
        print(f"OPENBLAS_CORETYPE={BASELINE_BLAS_CORE}", flush=True)
    shutil.rmtree(args.out / args.profile, ignore_errors=True)  # a fresh run, not one found complete
    run = [sys.executable, "-m", "artifact", "reproduce", "--profile", args.profile, "--workers", "2"]
    code = subprocess.run(run, check=False, cwd=REPO, env=env).returncode
    if code not in (0, 3):  # 3: a claim differs from the paper, which the normal run says too
        print(f"the narrowed run failed (exit {code})")
        return 1
    narrowed = args.out / args.profile
    recorded = json.loads((narrowed / PLATFORM_RECORD).read_text())["numpy SIMD dispatched"]
    if features and not recorded.startswith("none"):
        print(f"numpy still dispatched to {recorded} under NPY_DISABLE_CPU_FEATURES")
        return 1
    got, want = output_files(narrowed), output_files(normal)
    differing = sorted(name for name in got.keys() | want.keys() if got.get(name) != want.get(name))
    for name in differing:
        print(f"differs with dispatch narrowed: {name}" + ("" if name in got and name in want else " (present in one run only)"))
    print(f"{len(want)} files compared: {'all bytes match' if not differing else f'{len(differing)} differ'}")
    return 1 if differing else 0


if __name__ == "__main__":
    sys.exit(main())
