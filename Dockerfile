# The fixed image of the artifact (README, section Container), for example:
#   docker build -t hf-claims-artifact .
#   mkdir -p outputs && docker run --rm --network=none --user "$(id -u):$(id -g)" \
#     -v "$PWD/outputs:/artifact/outputs" hf-claims-artifact make reproduce PROFILE=sample
#
# BASE_IMAGE: python:3.11-slim-bookworm pinned by digest. The digest is the one a public Dockerfile
# records for that tag on 2026-04-06; the machine this file was written on has no Docker engine and
# no registry access, so it could not be checked here. `make container-test` passes a Debian
# bookworm base bootstrapped locally instead (--build-arg BASE_IMAGE=...); every other line is the
# same for both.
ARG BASE_IMAGE=python:3.11-slim-bookworm@sha256:420310dd2ff7895895f0f1f9d15cae5a95dabceb8f1d6b9a23ef33c2c1c542c3
FROM ${BASE_IMAGE}
# Re-declared after FROM so the report's provenance can name the base the image was built on.
ARG BASE_IMAGE

# Determinism: no interactive matplotlib backend, fixed hash seed, fixed timestamps, UTC, C locale.
# MPLCONFIGDIR holds matplotlib's font cache, built once below, so no run writes or rebuilds it.
ENV MPLBACKEND=Agg \
    PYTHONHASHSEED=0 \
    SOURCE_DATE_EPOCH=1719792000 \
    PYTHONDONTWRITEBYTECODE=1 \
    TZ=UTC \
    LC_ALL=C.UTF-8 \
    ARTIFACT_CACHE=/artifact/.cache \
    MPLCONFIGDIR=/artifact/.matplotlib \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    ARTIFACT_IMAGE="hf-claims-artifact image on ${BASE_IMAGE}"

SHELL ["/bin/bash", "-o", "pipefail", "-c"]
# make, and R for the authors' analysis.r (the witness, artifact/authors/witness.py), are the system
# packages the artifact needs (the slim image lacks both). Debian bookworm's package set is itself
# fixed, so the versions are not pinned here (hadolint DL3008). The image runs as a plain user, so
# the witness's sandbox has no namespaces in it: run the container with --network=none.
# hadolint ignore=DL3008
RUN { command -v make >/dev/null && command -v Rscript >/dev/null; } || { apt-get update \
    && apt-get install -y --no-install-recommends make r-base-core \
    && rm -rf /var/lib/apt/lists/*; }

# The download cache and matplotlib's folder are open to every user (sticky, like /tmp), so the
# image also runs under `--user "$(id -u):$(id -g)"`, which gives the bind-mounted outputs to the
# caller.
RUN groupadd --gid 1000 artifact \
    && useradd --create-home --uid 1000 --gid 1000 artifact \
    && install -d -o artifact -g artifact /artifact \
    && install -d -m 1777 /artifact/.cache /artifact/.matplotlib
WORKDIR /artifact
USER 1000:1000

# The same route as on a workstation: a venv from the hash-locked requirements (`make deps`, in a
# layer that changes only with the lock), then the project (`make install`), then matplotlib's
# font cache, so that runs find it ready.
COPY --chown=1000:1000 Makefile requirements.lock /artifact/
RUN make deps PYTHON_BOOT=python3.11
COPY --chown=1000:1000 . /artifact
RUN make install PYTHON_BOOT=python3.11 \
    && .venv/bin/python -c "import matplotlib.font_manager"

# Labels last, so that a new revision does not invalidate the cached layers above (a build argument
# changes every RUN after it). REVISION: the commit the image is built from (`make docker-build`
# passes `git rev-parse HEAD`; the report's provenance names it, as the image has no .git).
# SOURCE_URL: the public address of the source, which the project does not have yet.
ARG REVISION=unknown
ARG SOURCE_URL=""
LABEL org.opencontainers.image.title="hf-claims-artifact" \
      org.opencontainers.image.description="Replication artifact for What do we know about Hugging Face? (ESEM 2024)" \
      org.opencontainers.image.version="0.1.0" \
      org.opencontainers.image.licenses="MIT" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.source="${SOURCE_URL}" \
      org.opencontainers.image.base.name="${BASE_IMAGE}"
ENV ARTIFACT_GIT_COMMIT=${REVISION}

CMD ["make", "reproduce"]
