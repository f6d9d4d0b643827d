"""Run `python -m artifact ...` with numpy's floating-point functions moved by one ulp.

`python -m tests.regression.perturb {up,down} ARGS...` replaces numpy's `log`, `log10`, `log2`,
`exp`, `power`, `sqrt` (and the coefficients `polyfit` and `lstsq` return) by versions whose
floating-point results are moved one ulp towards +inf (`up`) or -inf (`down`), then runs the CLI.
Every caller that looks these functions up on the numpy module at call time is affected: the
artifact's metrics, and matplotlib's log scales and norms. A CPU whose SIMD kernels round the last
bit differently changes results by about this much; the outputs must not change.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable

import numpy as np

FUNCTIONS = ("log", "log10", "log2", "exp", "power", "sqrt")
DIRECTIONS = {"up": np.inf, "down": -np.inf}


def _nudge(value, towards: float):
    """`value` moved one ulp towards `towards` where it is a floating-point number or array (masks kept)."""
    if isinstance(value, tuple):
        return tuple(_nudge(part, towards) for part in value)
    if not np.issubdtype(np.asarray(value).dtype, np.floating):
        return value
    if isinstance(value, np.ma.MaskedArray):
        return np.ma.array(np.nextafter(value.data, towards), mask=value.mask, fill_value=value.fill_value)
    return np.nextafter(value, towards)  # an ndarray subclass stays one, a numpy scalar stays a scalar


def _perturbed(original: Callable, towards: float) -> Callable:
    """`original` with its floating-point results nudged by one ulp (in place when given `out=`)."""

    @functools.wraps(original)
    def wrapper(*args, **kwargs):
        result = original(*args, **kwargs)
        if "out" in kwargs and isinstance(result, np.ndarray) and np.issubdtype(result.dtype, np.floating):
            np.nextafter(result, towards, out=result)
            return result
        return _nudge(result, towards)

    return wrapper


class _PerturbedUfunc:
    """A numpy ufunc whose call and `outer`/`reduce`/`accumulate` results are nudged by one ulp."""

    def __init__(self, ufunc: np.ufunc, towards: float) -> None:
        self._ufunc, self._towards = ufunc, towards
        self._call = _perturbed(ufunc, towards)

    def __call__(self, *args, **kwargs):
        return self._call(*args, **kwargs)

    def __getattr__(self, name: str):
        found = getattr(self._ufunc, name)
        return _perturbed(found, self._towards) if name in ("outer", "reduce", "accumulate", "reduceat") else found


def install(direction: str) -> None:
    """Replace the numpy functions by their perturbed versions for the rest of the process."""
    towards = DIRECTIONS[direction]
    for name in FUNCTIONS:
        setattr(np, name, _PerturbedUfunc(getattr(np, name), towards))
    np.polyfit = _perturbed(np.polyfit, towards)
    np.linalg.lstsq = _solution_perturbed(np.linalg.lstsq, towards)


def _solution_perturbed(lstsq: Callable, towards: float) -> Callable:
    """`lstsq` with its solution (not residuals, rank or singular values) nudged by one ulp."""

    @functools.wraps(lstsq)
    def wrapper(*args, **kwargs):
        solution, *rest = lstsq(*args, **kwargs)
        return (_nudge(solution, towards), *rest)

    return wrapper


if __name__ == "__main__":
    install(sys.argv[1])
    from artifact.cli import entry_point

    entry_point(sys.argv[2:])
