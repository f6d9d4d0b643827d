#!/usr/bin/env bash
# Build the local Debian bookworm base image without any container registry, or reuse it.
#
# The image is tagged with a hash of this file, so it is rebuilt only when this recipe changes.
# Prints the image reference on stdout (progress goes to stderr). Needs root (debootstrap).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=scripts/container/engine.sh
source "$here/engine.sh"

SUITE=bookworm
MIRROR=http://deb.debian.org/debian
# python3-venv, not python3.11-venv: the latter alone misses a dependency under debootstrap.
PACKAGES=python3,python3-venv,python3-pip,make,ca-certificates

recipe_hash="$(sha256sum "$here/base.sh" | cut -c1-12)"
image="localhost/artifact-base:$SUITE-$recipe_hash"

if engine image inspect "$image" >/dev/null 2>&1; then
  echo "base image $image present: reused" >&2
else
  echo "base image $image missing: debootstrap $SUITE ($PACKAGES)" >&2
  command -v debootstrap >/dev/null || { echo "error: debootstrap is not installed (apt-get install debootstrap)" >&2; exit 2; }
  root="$(mktemp -d /var/tmp/artifact-base.XXXXXX)"
  trap 'rm -rf "$root"' EXIT
  debootstrap --variant=minbase --include="$PACKAGES" "$SUITE" "$root" "$MIRROR" >&2
  rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/*
  tar -C "$root" -c . | engine import \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'ENV LANG=C.UTF-8' \
    --change 'CMD ["/bin/bash"]' \
    - "$image" >&2
fi
echo "$image"
