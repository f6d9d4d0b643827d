"""npm: `lib/top-download.js` of the newest npm-high-impact release, from its npm registry tarball.

The registry's package document names the latest version, its tarball and the tarball's
`integrity` (sha512); the tarball is checked against it and the one file is read from it in
memory, never unpacked to disk nor executed. The registry is `npm_config_registry` (npm's own
setting) when set, else the public one.
"""

from __future__ import annotations

import base64
import hashlib
import io
import os
import tarfile

from artifact.snapshots.http_retry import RetryingTransport, RetryPolicy, SnapshotError, get, get_json, new_client
from artifact.snapshots.store import Fetched

PACKAGE = "npm-high-impact"
MEMBER = "package/lib/top-download.js"
FORMAT = "npm-top-js"
_ABBREVIATED = {"Accept": "application/vnd.npm.install-v1+json"}  # the registry's short package document


def npm_registry(env: dict[str, str] | None = None) -> str:
    """npm_config_registry (any case) if set, else the public registry."""
    env = os.environ if env is None else env
    registry = env.get("npm_config_registry") or env.get("NPM_CONFIG_REGISTRY") or "https://registry.npmjs.org"
    return registry.rstrip("/")


def fetch_npm(policy: RetryPolicy, env: dict[str, str] | None = None) -> Fetched:
    """The ranked list file of the latest release, byte for byte as packed."""
    document_url = f"{npm_registry(env)}/{PACKAGE}"
    with new_client(RetryingTransport(policy)) as client:
        document = get_json(client, document_url, headers=_ABBREVIATED)
        try:
            version = document["dist-tags"]["latest"]
            dist = document["versions"][version]["dist"]
            tarball_url, integrity = dist["tarball"], dist["integrity"]
        except (KeyError, TypeError) as error:
            raise SnapshotError(f"GET {document_url}: no latest version with tarball and integrity ({error!r})") from None
        tarball = get(client, tarball_url).content
    check_integrity(tarball, integrity, tarball_url)
    return Fetched(
        "npm",
        FORMAT,
        ".js",
        read_member(tarball, MEMBER, tarball_url),
        source=f"{tarball_url} ({MEMBER})",
        version=f"{PACKAGE} {version}, {integrity}",
    )


def check_integrity(data: bytes, integrity: str, url: str) -> None:
    """Raise unless `data` matches one of the sha512 digests of an npm `integrity` string."""
    digests = [entry.split("-", 1)[1] for entry in integrity.split() if entry.startswith("sha512-")]
    if not digests:
        raise SnapshotError(f"{url}: the registry gives no sha512 integrity ({integrity!r}); nothing was written")
    observed = base64.b64encode(hashlib.sha512(data).digest()).decode()
    if observed not in digests:
        raise SnapshotError(f"{url}: sha512 {observed} differs from the registry's {integrity}; nothing was written")


def read_member(tarball: bytes, member: str, url: str) -> bytes:
    """The bytes of one file of a .tgz held in memory."""
    try:
        with tarfile.open(fileobj=io.BytesIO(tarball), mode="r:gz") as archive:
            handle = archive.extractfile(member)
            if handle is None:
                raise KeyError(member)
            return handle.read()
    except KeyError:
        raise SnapshotError(f"{url} holds no {member}; the package layout changed") from None
    except (tarfile.TarError, OSError, EOFError) as error:
        raise SnapshotError(f"{url} is not a readable .tgz ({error})") from None


def fetch(top: int, policy: RetryPolicy) -> Fetched:
    """The registry's live top list, as artifact/snapshots/take.py asks every source (`top`: checked by take.py, not here)."""
    return fetch_npm(policy)
