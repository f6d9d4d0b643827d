"""DATA.md, generated from the manifest: every input, what it is, its checksums, who uses it."""

from __future__ import annotations

from artifact.inputs.manifest import InputEntry

_INTRO = """\
# Inputs

Generated from `artifact/inputs/manifest.toml` by `make data-md`; do not edit by hand (a test fails
when this file and the manifest disagree).

Every input is pinned: a URL fixed to an immutable revision (a git commit in the URL) and its
checksum. `make fetch PROFILE=<profile>` gets and verifies a profile's inputs: from the cache
(`ARTIFACT_CACHE`), then from a mirror folder (`ARTIFACT_MIRROR`, where the file of a URL lives at
`<mirror>/<host>/<url path>`, or the same path plus `.gz`), then from the network unless
`ARTIFACT_OFFLINE=1`. Nothing is used before its checksum matched; `make verify-data` re-hashes the
cache. Inputs pinned only by a git blob id get their sha256 recorded in `artifact/inputs/inputs.lock`
by the first verified fetch. Claims C1-C3 are the paper's: C1 transformers increases accessibility,
C2 popularity impacts PTM selection, C3 documentation quality influences selection.
"""


def render_data_md(entries: dict[str, InputEntry]) -> str:
    """The text of DATA.md for the manifest's entries."""
    pinned = [e for e in entries.values() if not e.local]
    shipped = [e for e in entries.values() if e.local]
    lines = [_INTRO, "## Summary", "", "| input | profiles | snapshot | size | pinned by | used by |"]
    lines.append("|---|---|---|---|---|---|")
    for entry in pinned:
        lines.append(
            f"| `{entry.id}` | {', '.join(entry.profiles)} | {entry.snapshot} | {_size(entry)} | "
            f"{_pinned_by(entry)} | {entry.used_by} |"
        )
    for entry in pinned:
        lines += ["", f"## `{entry.id}`", "", entry.what, ""] + [f"- {item}" for item in _details(entry)]
    if shipped:
        lines += [
            "",
            "## Files shipped in the package (sample profile)",
            "",
            "Synthetic, made by `artifact/sample/generate.py`; their sha256 are in `artifact/inputs/sample.sha256`",
            "(`make regenerate-sample` regenerates both).",
            "",
            "| input | file | snapshot | what |",
            "|---|---|---|---|",
        ]
        lines += [f"| `{e.id}` | `artifact/{e.local}` | {e.snapshot} | {e.what} |" for e in shipped]
    return "\n".join(lines) + "\n"


def _size(entry: InputEntry) -> str:
    """Bytes as pinned: a single file's size, a set's total, or the bound of a git blob pin."""
    if entry.members:
        return f"{sum(m.size for m in entry.members):,} B in {len(entry.members)} files"
    if entry.size is not None:
        return f"{entry.size:,} B"
    return f"at most {entry.max_size:,} B" if entry.url else "-"


def _pinned_by(entry: InputEntry) -> str:
    """Which checksum vouches for the entry, or why nothing can."""
    if entry.members:
        return "sha256 of each file"
    if entry.sha256:
        return "sha256"
    if entry.git_blob:
        return "git blob (sha256 locked on first fetch)"
    return entry.unavailable


def _details(entry: InputEntry) -> list[str]:
    """The bullet points of an entry's section."""
    items = [
        f"profiles: {', '.join(entry.profiles)}",
        f"snapshot: {entry.snapshot}; format: {entry.format}",
        f"used by: {entry.used_by or '-'}",
        f"source: {entry.source}",
        f"citation: {entry.citation or '-'}",
        f"licence: {entry.licence}",
    ]
    if entry.unavailable:
        items.append(f"**not available**: {entry.unavailable}")
    if entry.url:
        items.append(f"URL: <{entry.url}>")
    if entry.size is not None:
        items.append(f"size: {entry.size:,} bytes")
    elif entry.max_size is not None:
        items.append(f"size: at most {entry.max_size:,} bytes (its host's limit; recorded in inputs.lock once fetched)")
    if entry.sha256:
        items.append(f"sha256: `{entry.sha256}`")
    if entry.git_blob:
        items.append(f"git blob: `{entry.git_blob}`")
    if entry.archive:
        member = f"`{entry.member}`" if entry.member else "its single `*.db` file"
        items.append(f"a {entry.archive} archive; the input is {member}, extracted safely into the cache")
    if entry.members:
        items.append(
            f"files: {len(entry.members)} ({_size(entry)}), each with URL, size, sha256 and git blob in "
            f"`artifact/inputs/{entry.fileset}`; resolved together into one folder under their own names"
        )
    return items
