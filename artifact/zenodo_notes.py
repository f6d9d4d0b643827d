"""DEPOSIT.md, the deposit's own README: how to run it, what runs offline, and the inputs not packed."""

from __future__ import annotations

from collections.abc import Iterable

from artifact.inputs.manifest import InputEntry
from artifact.zenodo import INPUTS, InputFile, Tree


def offline_profiles(entries: Iterable[InputEntry], packed: list[InputFile]) -> dict[str, tuple[int, int]]:
    """{profile: (files packed, files it reads from URLs)} for every profile of the manifest but the sample."""
    packed_urls = {f.url for f in packed}
    counts: dict[str, list[int]] = {}
    for entry in entries:
        urls = [m.url for m in entry.members] or ([entry.url] if entry.url else [])
        for profile in entry.profiles:
            if profile != "sample":
                count = counts.setdefault(profile, [0, 0])
                count[0] += sum(url in packed_urls for url in urls)
                count[1] += len(urls)
    return {profile: (done, total) for profile, (done, total) in sorted(counts.items())}


def deposit_readme(
    tree: Tree, entries: list[InputEntry], packed: list[InputFile], listed: list[InputFile], nowhere: list[InputEntry]
) -> str:
    """The text of DEPOSIT.md: the two commands and what runs offline first, then where the deposit came from."""
    offline = ["`sample` (embedded)"]
    partial = []
    for profile, (done, total) in offline_profiles(entries, packed).items():
        (offline if done == total else partial).append(
            f"`{profile}`" + ("" if done == total else f" ({done} of its {total} files packed here)")
        )
    lines = [
        "# hf-claims-artifact: the Zenodo deposit",
        "",
        "Run from this folder: `make reproduce PROFILE=sample`, then `make compare PROFILE=sample` (byte for byte).",
        f"Offline, with no setting: {', '.join(offline)}. Inputs are read from `inputs/` here when ARTIFACT_MIRROR is unset.",
    ]
    if partial:
        lines.append(
            f"Offline once the files listed below are put at their path under `inputs/`: {', '.join(partial)}; "
            "`make fetch PROFILE=<profile>` checks them."
        )
    lines.append(
        "`make` first installs the locked dependencies (requirements.lock, by hash) from the package index, or use "
        "the container image (README.md, \"Container\")."
    )
    source = f"commit {tree.commit}"
    if tree.dirty:
        source += f" with uncommitted changes (--allow-dirty) to: {', '.join(tree.dirty)}"
    lines += ["", "## What this is", "", f"- Source: {source} (`git archive`; `README.md` is the project's own README).",
              f"- File times: {tree.epoch} (SOURCE_DATE_EPOCH). `SHA256SUMS` lists every member.",
              f"- Inputs packed under `inputs/` (their licence allows redistribution): {len(packed)} files."]
    lines += [f"  - `{f.name}` ({f.input_id}, {f.licence}, sha256 {f.sha256})" for f in packed]
    lines += ["", "## Inputs not packed (licence unknown or not redistributable)", ""]
    if listed:
        lines.append("Get each from its URL (or an archive of it), check its checksum and put it at the path shown.")
        lines += ["", "| input | licence | URL | size | checksum | put at |", "| --- | --- | --- | --- | --- | --- |"]
        lines += _listed_rows(listed)
    else:
        lines.append("None.")
    if nowhere:
        lines += ["", "## Inputs that cannot be had", ""]
        lines += [f"- {entry.id}: {entry.unavailable}" for entry in nowhere]
    return "\n".join(lines) + "\n"


def _listed_rows(listed: list[InputFile]) -> list[str]:
    """One table row per file, or per set of files (whose list, with each URL and sha256, is in the tree)."""
    rows, sets = [], {}
    for f in listed:
        if f.fileset:
            sets.setdefault(f.input_id, []).append(f)
            if len(sets[f.input_id]) > 1:
                continue
        checksum = f"sha256 {f.sha256}" if f.sha256 else f"git blob {f.git_blob}"
        rows.append(f"| {f.input_id} | {f.licence} | {f.url} | {f.size or ''} | {checksum} | `{f.name}` |")
    for input_id, members in sets.items():
        if len(members) > 1:
            index = next(i for i, row in enumerate(rows) if row.startswith(f"| {input_id} |"))
            where = f"artifact/inputs/{members[0].fileset}"
            rows[index] = (
                f"| {input_id} | {members[0].licence} | {len(members)} files, each URL in `{where}` | "
                f"{sum(m.size or 0 for m in members)} | each sha256 in `{where}` | `{INPUTS}/<host>/<URL path>` |"
            )
    return rows
