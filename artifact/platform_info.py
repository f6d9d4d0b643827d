"""The numeric platform of a run: CPU, the SIMD code paths numpy dispatches to, the BLAS and its threads.

Outputs are meant not to depend on these (see README, "What the byte promise covers"); they are
recorded so that two evaluators whose bytes differ can see at once whether their platforms do.
"""

from __future__ import annotations

import json
import os
import platform
from pathlib import Path

from artifact.atomic import atomic_path
from artifact.config import Settings

PLATFORM_RECORD = "run/platform.json"  # under outputs/<profile>/


def cpu_model() -> str:
    """The CPU's model name (Linux /proc/cpuinfo), else what the platform module says."""
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.is_file():
        for line in cpuinfo.read_text(errors="replace").splitlines():
            if line.lower().startswith(("model name", "hardware", "cpu model")):
                return line.split(":", 1)[1].strip()
    return platform.processor() or platform.machine() or "unknown"


def _umath():
    """numpy's compiled core, which knows the CPU features and dispatch targets."""
    try:
        from numpy._core import _multiarray_umath
    except ImportError:  # numpy 1.x
        from numpy.core import _multiarray_umath
    return _multiarray_umath


def dispatched_targets() -> list[str]:
    """numpy's dispatch targets above its baseline that this CPU runs (what NPY_DISABLE_CPU_FEATURES can turn off)."""
    umath = _umath()
    return [target for target in umath.__cpu_dispatch__ if umath.__cpu_features__.get(target)]


def numpy_simd() -> dict[str, str]:
    """numpy's SIMD baseline (compiled in), the dispatch targets this CPU runs, and those it cannot."""
    umath, dispatched = _umath(), dispatched_targets()
    return {
        "numpy SIMD baseline": " ".join(umath.__cpu_baseline__) or "none",
        "numpy SIMD dispatched": " ".join(dispatched) or "none (baseline only)",
        "numpy SIMD not on this CPU": " ".join(t for t in umath.__cpu_dispatch__ if t not in dispatched) or "none",
    }


def blas() -> dict[str, str]:
    """Each BLAS (numpy's, scipy's) and OpenMP library loaded, with version, kernel (core) and threads (threadpoolctl)."""
    import numpy  # noqa: F401  (load the BLAS libraries, so that threadpoolctl sees them)
    import scipy.linalg  # noqa: F401
    from threadpoolctl import threadpool_info

    facts = {}
    for pool in sorted(threadpool_info(), key=lambda pool: pool.get("filepath", "")):
        library = Path(pool.get("filepath", "?")).name
        facts[f"{pool.get('user_api', '?')} {library}"] = (
            f"{pool.get('internal_api', '?')} {pool.get('version') or ''}, kernel {pool.get('architecture') or 'not reported'}, "
            f"{pool.get('num_threads', '?')} threads"
        )
    return facts or {"blas": "none loaded"}


def numeric_platform(thread_settings: str) -> dict[str, str]:
    """CPU model, logical CPUs, numpy's SIMD paths, BLAS and kernel, and the thread settings (config.THREAD_SETTINGS
    as set), as printable strings."""
    facts = {"cpu model": cpu_model(), "machine": platform.machine()}
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    facts["logical cpus (usable)"] = f"{os.cpu_count()} ({usable})"
    facts |= numpy_simd()
    facts |= blas()
    facts["thread and kernel settings"] = thread_settings or "none set"
    return facts


def write_platform(path: Path, thread_settings: str) -> None:
    """Record `numeric_platform()` as sorted JSON at `path` (a run record: outputs/<profile>/run/platform.json)."""
    with atomic_path(path) as tmp:
        tmp.write_text(json.dumps(numeric_platform(thread_settings), indent=2, sort_keys=True) + "\n")


if __name__ == "__main__":  # `python -m artifact.platform_info`: one fact a line
    for key, value in numeric_platform(Settings.from_env().thread_settings).items():
        print(f"{key}: {value}")
