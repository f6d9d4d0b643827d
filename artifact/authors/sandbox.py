"""Running one of the authors' scripts unchanged, fenced in: the witness's runner.

A script runs in a child process, in a fresh temporary folder holding copies of only the files it
reads (under the names its code opens), with a stripped environment (matplotlib on Agg, one BLAS
thread), a wall-time limit (the child's process group is killed at it) and a memory limit
(`RLIMIT_AS`). When this process is root and `unshare` is present, the child also gets a network
namespace of its own (no interface but a down loopback) and a mount namespace in which every file
system is read-only except its folder; otherwise (`isolation = "python-guards"`) a Python script
runs under an audit hook that refuses sockets and writes outside its folder, and an R script runs
with the network and the file system of this process: the outcome says which.

Results are read as data only: a Python script's module globals (after `runpy`) and the values a
driver snippet computes with its functions are serialised to JSON inside the child; an R script's
values are written by an R driver as CSV. Nothing is unpickled. A script that fails, times out,
runs out of memory or tries what is fenced off gives an outcome with that status and the reason;
only a script whose bytes differ from their pin raises (ChecksumMismatchError), before running.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from artifact.atomic import scratch_prefix
from artifact.errors import ChecksumMismatchError

RAN, FAILED, TIMEOUT, MEMORY, BLOCKED = "ran", "failed", "timed out", "out of memory", "blocked"
NAMESPACES, PYTHON_GUARDS = "namespaces", "python-guards"
RESULT_FILE = ".witness-result.json"
MAX_RESULT_BYTES = 64 * 2**20  # the most a result file may hold
MAX_LOG_CHARS = 2000  # the tail of the child's error stream kept in a failure's reason
_RUNNING: set[int] = set()  # the process groups of the children running now (`stop_children`)


@dataclass(frozen=True)
class Limits:
    """What a child may use: wall seconds and bytes of address space."""

    seconds: float = 120.0
    memory_bytes: int = 3 * 2**30


@dataclass(frozen=True)
class Script:
    """A pinned script: its verified file, its pin, and where it sits in its folder (e.g. `src/x.py`)."""

    path: Path
    sha256: str
    name: str


@dataclass(frozen=True)
class Outcome:
    """What a run gave: its status, why (empty when it ran), the values read, the isolation used."""

    status: str
    reason: str
    values: dict = field(default_factory=dict)
    isolation: str = ""


def isolation_available() -> bool:
    """Whether namespaces can fence the child: root and an `unshare` command."""
    return os.geteuid() == 0 and shutil.which("unshare") is not None


@cache
def r_version() -> str:
    """The version line of Rscript, or why there is none."""
    if shutil.which("Rscript") is None:
        return "not installed (Debian package r-base-core)"
    try:
        done = subprocess.run(["Rscript", "--version"], capture_output=True, text=True, timeout=20, check=False)
    except (OSError, subprocess.SubprocessError) as error:
        return f"Rscript did not answer ({error})"
    return (done.stdout + done.stderr).strip().splitlines()[0] if (done.stdout + done.stderr).strip() else "Rscript printed no version"


def run_python(
    script: Script, files: Mapping[str, Path], driver: str = "", limits: Limits = Limits(), isolate: bool = True, folders: tuple[str, ...] = ()
) -> Outcome:
    """Run `script` with runpy, then `driver` (Python source) in its globals (see `run_python_many`)."""
    return run_python_many([(script, driver)], files, limits, isolate, folders)[0]


def run_python_many(
    runs: Sequence[tuple[Script, str]], files: Mapping[str, Path], limits: Limits = Limits(), isolate: bool = True,
    folders: tuple[str, ...] = (), where: Path | None = None,
) -> list[Outcome]:
    """Run scripts of one folder one after the other in one child (their imports paid once), each in a module namespace of its own.

    With a driver, a script is loaded as module "witness" (its `if __name__ == "__main__"` block does
    not run) and the driver, run in its globals, leaves what it wants read in a dict named `witness`;
    without one, the script runs as `__main__` and its plain globals are read. The limits hold for the
    child as a whole; pyplot's figures and settings are reset between scripts. The child's folder is made
    in `where` (default: the system's temporary folder).
    """
    with tempfile.TemporaryDirectory(prefix=scratch_prefix("witness"), dir=where) as folder:
        box = Path(folder)
        for script, _ in runs:
            _stage(box, script, files)
        for name in folders:  # where the scripts write (their figures)
            (box / name).mkdir(parents=True, exist_ok=True)
        (box / ".driver.py").write_text(_PY_DRIVER)
        (box / ".plan.json").write_text(json.dumps([[script.name, driver] for script, driver in runs]))
        command = [sys.executable, "-I", str(box / ".driver.py"), str(box), "0" if isolate and isolation_available() else "1"]
        return _run(command, box, runs[0][0], len(runs), limits, isolate, guards=True)


def run_r(script: Script, files: Mapping[str, Path], values: Mapping[str, str], limits: Limits = Limits(), isolate: bool = True) -> Outcome:
    """Run an R script with `source()`, then read `values` (name -> R expression on its globals) as numbers (see `run_r_many`)."""
    return run_r_many([(script, values)], files, limits, isolate)[0]


def run_r_many(
    runs: Sequence[tuple[Script, Mapping[str, str]]], files: Mapping[str, Path], limits: Limits = Limits(), isolate: bool = True,
    where: Path | None = None,
) -> list[Outcome]:
    """Run R scripts one after the other in one Rscript, each sourced in an environment of its own from its folder.

    The values a script computed before an error are read too; the error is its outcome's reason. The
    child's folder is made in `where` (default: the system's temporary folder).
    """
    rscript = shutil.which("Rscript")
    if rscript is None:
        return [Outcome(FAILED, "Rscript is not installed (Debian package r-base-core)")] * len(runs)
    with tempfile.TemporaryDirectory(prefix=scratch_prefix("witness"), dir=where) as folder:
        box = Path(folder)
        calls = []
        for script, values in runs:
            _stage(box, script, files)
            wanted = ", ".join(f"{json.dumps(name)} = quote({expression})" for name, expression in values.items())
            calls.append(f"run({json.dumps(str(box / script.name))}, list({wanted}))")
        driver = _R_DRIVER.replace("@RUNS@", ",\n  ".join(calls)).replace("@BOX@", json.dumps(str(box)))
        (box / ".driver.R").write_text(driver)
        return _run([rscript, "--vanilla", str(box / ".driver.R")], box, runs[0][0], len(runs), limits, isolate, guards=False)


def check_pin(script: Script, origin: Path | None = None) -> None:
    """Refuse (ChecksumMismatchError, naming `origin` or the file) a script whose bytes differ from its pin: it is not run."""
    with script.path.open("rb") as handle:
        digest = hashlib.file_digest(handle, "sha256").hexdigest()
    if digest != script.sha256:
        raise ChecksumMismatchError(
            f"{origin or script.path}: the authors' script {script.name} has sha256 {digest}, its pin is {script.sha256}; "
            "it is not run. Fetch it again (`make fetch`) or check the manifest."
        )


def _stage(box: Path, script: Script, files: Mapping[str, Path]) -> None:
    """Copy the script (after checking its pin) and the files it reads into `box`."""
    target = box / script.name
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(script.path, target)
    check_pin(Script(target, script.sha256, script.name), script.path)
    for name, source in files.items():
        (box / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, box / name)
    (box / ".home").mkdir(exist_ok=True)


def _run(command: list[str], box: Path, script: Script, count: int, limits: Limits, isolate: bool, guards: bool) -> list[Outcome]:
    """Run `command` in `box` under the limits; the outcome of each of its `count` scripts, from its exit, errors and result file."""
    fenced = isolate and isolation_available()
    isolation = NAMESPACES if fenced else (PYTHON_GUARDS if guards else "none (not root or no unshare)")
    if fenced:
        command = ["unshare", "--net", "--mount", "--propagation", "private", "--", "sh", "-c", _FENCE, "fence", str(box), *command]
    env = {
        "PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": str(box / ".home"), "TMPDIR": str(box / ".home"),
        "MPLBACKEND": "Agg", "MPLCONFIGDIR": str(box / ".home"), "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8",
        "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "PYTHONHASHSEED": "0",
    }
    workdir = box / Path(script.name).parent
    with subprocess.Popen(
        command, cwd=workdir, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        start_new_session=True, preexec_fn=lambda: _limit(limits),
    ) as child:
        _RUNNING.add(child.pid)
        try:
            _, errors = child.communicate(timeout=limits.seconds)
        except subprocess.TimeoutExpired:
            os.killpg(child.pid, signal.SIGKILL)
            child.communicate()
            return [Outcome(TIMEOUT, f"stopped at the wall-time limit of {limits.seconds:g} s", isolation=isolation)] * count
        finally:
            _RUNNING.discard(child.pid)
    return _outcomes(child.returncode, errors.decode(errors="replace"), box, count, limits, isolation)


def stop_children() -> None:
    """Kill every child running now, with its process group (a run that ends early leaves none behind)."""
    for group in list(_RUNNING):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(group, signal.SIGKILL)


def _limit(limits: Limits) -> None:
    """In the child before it starts: its address-space limit."""
    resource.setrlimit(resource.RLIMIT_AS, (limits.memory_bytes, limits.memory_bytes))


def _outcomes(code: int, errors: str, box: Path, count: int, limits: Limits, isolation: str) -> list[Outcome]:
    """The outcome of each script of a finished child, from its result file (bounded read) and its error stream."""
    result_path = box / RESULT_FILE
    records: list[dict] = []
    problem = ""
    if result_path.is_file() and result_path.stat().st_size <= MAX_RESULT_BYTES:
        with result_path.open() as handle:
            records = json.loads(handle.read(MAX_RESULT_BYTES)).get("runs", [])
    elif result_path.is_file():
        problem = f"its result file exceeds {MAX_RESULT_BYTES} bytes"
    tail = errors[-MAX_LOG_CHARS:].strip()
    if code == 97:
        problem = "the sandbox could not be set up (bind and read-only mounts refused)"
    records += [{"values": {}, "error": problem or (tail.splitlines()[-1] if tail else f"exit code {code}")}] * (count - len(records))
    return [_outcome(record.get("values", {}), record.get("error", ""), tail, limits, isolation) for record in records[:count]]


def _outcome(values: dict, reason: str, tail: str, limits: Limits, isolation: str) -> Outcome:
    """One script's outcome: its values, and its error read for the limit it hit."""
    text = f"{reason}\n{tail}" if reason else ""
    if "MemoryError" in text or "cannot allocate" in text:
        return Outcome(MEMORY, f"stopped at the memory limit of {limits.memory_bytes // 2**20} MiB: {reason}", values, isolation)
    if "WitnessBlocked" in text or "Network is unreachable" in text or "Read-only file system" in text:
        return Outcome(BLOCKED, f"tried what the sandbox fences off: {reason.splitlines()[-1]}", values, isolation)
    if reason:
        return Outcome(FAILED, reason, values, isolation)
    return Outcome(RAN, "", values, isolation)


# In the new mount namespace: the box becomes a mount of its own, then every mount read-only but it.
_FENCE = r"""
box="$1"; shift
mount --bind "$box" "$box" || exit 97
mount -o remount,bind,ro / || exit 97
for m in $(awk '{print $2}' /proc/self/mounts | sort -u); do
  case "$m" in "$box"|/|/proc|/proc/*|/sys|/sys/*) ;; *) mount -o remount,bind,ro "$m" 2>/dev/null ;; esac
done
cd "$PWD" || exit 97  # the working folder again, now through the box's own mount
exec "$@"
"""

_PY_DRIVER = r'''
import gc, json, math, os, runpy, sys, traceback
box = sys.argv[1]

class WitnessBlocked(PermissionError):
    pass

def guard(event, args):
    if event == "socket.connect" or event == "socket.bind":
        raise WitnessBlocked(f"network use refused ({event})")
    writes = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND
    if event == "open" and (any(c in str(args[1] or "") for c in "wax+") or (args[1] is None and (args[2] or 0) & writes)):
        path = os.path.realpath(os.fspath(args[0])) if isinstance(args[0], (str, bytes, os.PathLike)) else ""
        if path and not (path + os.sep).startswith(os.path.realpath(box) + os.sep):
            raise WitnessBlocked(f"write outside its folder refused: {path}")

if sys.argv[2] == "1":  # no namespaces: the guards instead
    sys.addaudithook(guard)

def plain(value):
    import numpy, pandas
    if isinstance(value, pandas.DataFrame):
        return {"columns": [str(c) for c in value.columns], "rows": [[plain(v) for v in row] for row in value.itertuples(index=False)]}
    if isinstance(value, pandas.Series):
        return [plain(v) for v in value.tolist()]
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (numpy.integer, int)) and not isinstance(value, bool):
        return int(value)
    if isinstance(value, (numpy.floating, float)):
        return float(value) if math.isfinite(value) else repr(float(value))
    if isinstance(value, (str, bool)) or value is None:
        return value
    return None

def main_locals(function):
    """Run `function` unchanged; its local variables as they were when it returned or raised."""
    seen = {}
    def hook(frame, event, arg):
        if event == "return" and frame.f_code is function.__code__:
            seen.update(frame.f_locals)
    sys.setprofile(hook)
    try:
        function()
        error = ""
    except Exception as failure:
        error = "".join(traceback.format_exception_only(type(failure), failure)).strip()
    finally:
        sys.setprofile(None)
    return seen, error

def reset_pyplot():
    if "matplotlib.pyplot" in sys.modules:
        sys.modules["matplotlib.pyplot"].close("all")
        sys.modules["matplotlib"].rcdefaults()

def run_one(name, snippet):
    result = {"values": {}, "error": ""}
    try:
        os.chdir(os.path.dirname(os.path.join(box, name)))
        scope = runpy.run_path(os.path.join(box, name), run_name="witness" if snippet else "__main__")
        if snippet:
            scope["main_locals"] = main_locals
            exec(compile(snippet, "driver", "exec"), scope)
            result["values"] = {k: plain(v) for k, v in scope["witness"].items()}
        else:
            result["values"] = {k: plain(v) for k, v in scope.items() if not k.startswith("_") and plain(v) is not None}
    except BaseException as error:
        result["error"] = "".join(traceback.format_exception_only(type(error), error)).strip()
    reset_pyplot()
    return result

with open(os.path.join(box, ".plan.json")) as handle:
    plan = json.load(handle)
runs = [run_one(name, snippet) for name, snippet in plan]
with open(os.path.join(box, ".witness-result.json"), "w") as handle:
    json.dump({"runs": runs}, handle)
gc.freeze()  # the result is written: the scripts' objects are left to the system, not collected one by one at exit
'''

# The R driver: source the script, keep its error, write the values it left as JSON (numbers as text).
_R_DRIVER = r"""
clean <- function(s) gsub("[\"\\\\[:cntrl:]]", " ", s)
run <- function(script, wanted) {
  env <- new.env(parent = globalenv())
  error <- ""
  tryCatch(source(script, local = env, chdir = TRUE), error = function(e) error <<- conditionMessage(e))
  values <- vapply(wanted, function(e) tryCatch(sprintf("%.17g", as.numeric(eval(e, env))[1]), error = function(x) ""), "")
  pairs <- paste0('"', names(values), '": "', values, '"')
  paste0('{"values": {', paste(pairs, collapse = ", "), '}, "error": "', clean(error), '"}')
}
runs <- c(
  @RUNS@
)
writeLines(paste0('{"runs": [', paste(runs, collapse = ", "), ']}'), file.path(@BOX@, ".witness-result.json"))
"""
