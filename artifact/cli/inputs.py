"""`fetch`, `verify-data` and `data-md`: the pinned inputs of the manifest."""

from __future__ import annotations

import argparse
import sys
import textwrap
from collections import Counter
from typing import TYPE_CHECKING

from artifact.atomic import atomic_path
from artifact.config import Settings, check_writable_folder
from artifact.errors import ArtifactError, ChecksumMismatchError
from artifact.profiles import get_profile, profile_names

if TYPE_CHECKING:
    from artifact.inputs.manifest import InputEntry


def _profile_inputs(profile: str | None, settings: Settings) -> list[InputEntry]:
    """The manifest's entries used by `profile` (all entries when it is None), in manifest order."""
    from artifact.inputs.manifest import load_manifest

    manifest = load_manifest(settings.manifest)
    entries = list(manifest.values())
    if profile is None:
        return entries
    if profile in profile_names():  # a profile's inputs, with those of its base and its local snapshots
        chosen = list(get_profile(profile, settings).input_entries(manifest).values())
    else:
        chosen = [entry for entry in entries if profile in entry.profiles]
    if not chosen:
        known = sorted({name for entry in entries for name in entry.profiles})
        raise ArtifactError(f"no input of the manifest belongs to profile {profile!r}; known: {', '.join(known)}")
    return chosen


def fetch(args: argparse.Namespace) -> int:
    """Get and verify every input of a profile: one line per input, then a summary."""
    from artifact.inputs.resolve import iter_resolve

    settings = Settings.from_env()
    check_writable_folder(settings.cache_dir, "ARTIFACT_CACHE")
    counts: Counter[str] = Counter()
    entries = _profile_inputs(args.profile, settings)
    for result in iter_resolve(entries, settings):
        entry = result.entry
        if result.path is not None:
            status, checksum = "OK", f"sha256 {result.sha256[:16]}" if result.sha256 else f"{len(entry.members)} files"
            line = f"{entry.id:<27} {result.size:>13,} B  {checksum:<23} from {result.origin:<8} {result.path}"
        elif entry.unavailable:
            status, line = "UNAVAILABLE", f"{entry.id:<27} {entry.unavailable}"
        else:
            status, line = "MISSING", f"{entry.id}\n{textwrap.indent(result.missing, ' ' * 13)}"
        counts[status] += 1
        print(f"{status:<12} {line}", flush=True)
    print(
        f"fetch {args.profile}: {counts['OK']} verified, {counts['MISSING']} missing, "
        f"{counts['UNAVAILABLE']} unavailable (cache {settings.cache_dir}, "
        f"mirror {settings.mirror_dir or 'not set'}, network {'off' if settings.offline else 'allowed'})"
    )
    if counts["MISSING"]:
        print("to get them: put each file at its mirror path above (ARTIFACT_MIRROR), or run where its URL answers")
    return 0 if counts["OK"] == sum(counts.values()) else 2  # an input error, as every command's exit code 2


def verify_data(args: argparse.Namespace) -> int:
    """Re-hash the cache (and the package's own inputs); fail naming any changed file."""
    from artifact.inputs.cache import Cache
    from artifact.inputs.resolve import cache_keys, resolve

    settings = Settings.from_env()
    entries = _profile_inputs(args.profile, settings)
    problems = []
    shipped = [entry for entry in entries if entry.local]
    for entry in shipped:
        try:
            resolve(entry, settings)
        except ChecksumMismatchError as error:
            problems.append(str(error))
    cache = Cache(settings.cache_dir)
    checks = cache.verify_all(cache_keys(entries, settings) if args.profile else None)
    for entry in (entry for entry in entries if entry.fileset):
        for folder in cache.set_dirs(entry.id):
            for moved in cache.reject_unlisted(folder, entry):
                problems.append(f"UNLISTED in {folder}: {moved}; artifact/inputs/{entry.fileset} does not name it")
    for check in checks:
        if not check.ok:
            problems.append(
                f"CHANGED {check.path}: expected sha256 {check.expected}, observed {check.observed}; "
                "delete it and run `make fetch` to get the pinned bytes again"
            )
    for problem in problems:
        print(problem)
    scope = f"profile {args.profile}" if args.profile else "all profiles"
    print(
        f"verify-data ({scope}): re-hashed {len(checks)} cached files in {settings.cache_dir} and "
        f"{len(shipped)} package files: {'all match' if not problems else f'{len(problems)} CHANGED'}"
    )
    return 1 if problems else 0


def data_md(args: argparse.Namespace) -> int:
    """Write DATA.md from the manifest."""
    from artifact.inputs.datamd import render_data_md
    from artifact.inputs.manifest import load_manifest

    text = render_data_md(load_manifest(Settings.from_env().manifest))
    if args.out is None:
        sys.stdout.write(text)
    else:
        with atomic_path(args.out) as tmp:
            tmp.write_text(text)
    return 0
