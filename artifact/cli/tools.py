"""`sample`, `snapshot`, `score-cards` and `zenodo`: making inputs, scoring cards, the deposit."""

from __future__ import annotations

import argparse

from artifact.config import Settings
from artifact.errors import ArtifactError


def sample(args: argparse.Namespace) -> int:
    """Regenerate the embedded sample and print the sums of its files."""
    from artifact.inputs.resolve import sha256_of
    from artifact.sample.generate import generate

    for path in generate(args.out):
        print(f"{sha256_of(path)}  sample/data/{path.name}")
    return 0


def snapshot(args: argparse.Namespace) -> int:
    """Take today's top list of a registry into the local snapshots folder."""
    from artifact.snapshots.http_retry import RetryPolicy
    from artifact.snapshots.take import take_snapshot

    settings = Settings.from_env()
    if settings.offline:
        raise ArtifactError("a snapshot reads live sources: unset ARTIFACT_OFFLINE to take one")
    folder = args.out or settings.snapshots_dir
    policy = RetryPolicy(retries=args.retries, backoff=args.backoff, timeout=args.timeout)
    record = take_snapshot(args.registry, folder, args.top, policy)
    print(f"{record.registry} snapshot {record.id}: {record.count} entries, {record.size} B, sha256 {record.sha256}")
    print(f"  read {record.source} ({record.version or 'live listing'}) at {record.retrieved}")
    print(f"  written to {folder / record.file}, recorded in {folder / 'snapshots.toml'}")
    if record.registry == "hf" and record.count < record.top:
        print(f"  note: {record.top} models asked for, {record.count} distinct ones listed")
    if folder.resolve() != settings.snapshots_dir.resolve():
        print(f"  the extended profile reads {settings.snapshots_dir}: set ARTIFACT_SNAPSHOTS={folder} to use this one")
    return 0


def score_cards(args: argparse.Namespace) -> int:
    """Score a folder or table of model cards with the deterministic scorer."""
    from artifact.cards.scorer import score_cards
    from artifact.cards.sections import SECTIONS
    from artifact.loaders.card_texts import read_cards
    from artifact.tables import write_table

    if args.out.is_dir():
        raise ArtifactError(f"--out {args.out} is a folder; name the CSV file to write, e.g. {args.out / 'scores.csv'}")
    cards = read_cards(args.source, args.text_column, args.id_column)
    scored = score_cards(cards["card"]).assign(id=cards["id"])
    write_table(scored, args.out, ["id", *SECTIONS, "sections", "score"], sort_by=["id"])
    shares = ", ".join(f"{section} {scored[section].mean():.0%}" for section in SECTIONS)
    print(f"scored {len(scored)} cards into {args.out}; sections present: {shares}")
    return 0


def zenodo(args: argparse.Namespace) -> int:
    """Build the deterministic Zenodo deposit archive."""
    from artifact.inputs.cache import Cache
    from artifact.report.provenance import REPO_ROOT
    from artifact.zenodo import build_deposit, source_files

    files = [(str(p.relative_to(REPO_ROOT)), p) for p in source_files(REPO_ROOT)]
    if args.with_inputs:  # the verified input files only: no links, markers, quarantine or partial downloads
        cache = Cache(Settings.from_env().cache_dir)
        files += [(f"inputs/{p.relative_to(cache.root)}", p) for p, _ in cache.stored_files()]
    digest = build_deposit(files, args.out)
    print(f"{digest}  {args.out} ({len(files)} files + SHA256SUMS)")
    return 0
