# The fixed image of the artifact: `docker build -t hf-claims-artifact .` then
# `docker run --rm --network=none -v "$PWD/outputs:/artifact/outputs" hf-claims-artifact`.
#
# BASE_IMAGE: python:3.11-slim-bookworm pinned by digest. The digest is the one a public Dockerfile
# records for that tag on 2026-04-06; the machine this file was written on has no Docker engine and
# no registry access, so it could not be checked here. Tests pass a locally bootstrapped Debian
# bookworm base instead (--build-arg BASE_IMAGE=...); every other line is the same for both.
ARG BASE_IMAGE=python:3.11-slim-bookworm@sha256:420310dd2ff7895895f0f1f9d15cae5a95dabceb8f1d6b9a23ef33c2c1c542c3
FROM ${BASE_IMAGE}

# Determinism: no interactive matplotlib backend, fixed hash seed, fixed timestamps, UTC, C locale.
ENV MPLBACKEND=Agg \
    PYTHONHASHSEED=0 \
    SOURCE_DATE_EPOCH=1719792000 \
    PYTHONDONTWRITEBYTECODE=1 \
    TZ=UTC \
    LC_ALL=C.UTF-8 \
    ARTIFACT_CACHE=/artifact/.cache

SHELL ["/bin/bash", "-o", "pipefail", "-c"]
# make is the only system package the artifact needs (the slim image lacks it). Debian bookworm's
# package set is itself fixed, so the version is not pinned here (hadolint DL3008).
# hadolint ignore=DL3008
RUN command -v make >/dev/null || { apt-get update \
    && apt-get install -y --no-install-recommends make \
    && rm -rf /var/lib/apt/lists/*; }

RUN useradd --create-home --uid 1000 artifact
WORKDIR /artifact
COPY --chown=artifact:artifact . /artifact
USER artifact

# The same route as on a workstation: a venv from the hash-locked requirements, then the project.
RUN make install PYTHON_BOOT=python3.11

CMD ["make", "reproduce"]
