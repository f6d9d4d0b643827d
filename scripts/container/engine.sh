#!/usr/bin/env bash
# The container engine and the flags this host needs, in one place.
#
# Engine: $CONTAINER when set, else docker when a Docker daemon answers, else podman.
# Source this file for the functions `engine`, `engine_build` and `engine_run`, or run it:
#   scripts/container/engine.sh build|run|name ARGS...
#
# Podman flags (Debian bookworm's podman 4.3 on this CI machine; override through the variables):
# - PODMAN_FLAGS: --runtime runc, because the default runtime crun refuses the host's hybrid
#   cgroup v1 layout;
# - PODMAN_RUN_FLAGS: explicit --ulimit values, because podman's defaults ask for more open files and
#   processes than the host's hard limits allow, and the container then fails to start;
# - PODMAN_BUILD_FLAGS: the same ulimits, plus --network=host and the host's CA certificates
#   mounted read-only, so that RUN steps reach the package registry through this host's TLS proxy;
#   and --format docker, without which podman drops the Dockerfile's SHELL (bash with pipefail).
# Docker needs none of these.

_engine_name() {
  if [ -n "${CONTAINER:-}" ]; then
    echo "$CONTAINER"
  elif command -v docker >/dev/null 2>&1 && docker info >/dev/null 2>&1; then
    echo docker
  else
    echo podman
  fi
}
ENGINE="$(_engine_name)"
_ulimits="--ulimit nofile=1024:1024 --ulimit nproc=4096:4096"
PODMAN_FLAGS="${PODMAN_FLAGS-$(command -v runc >/dev/null 2>&1 && echo "--runtime $(command -v runc)")}"
PODMAN_RUN_FLAGS="${PODMAN_RUN_FLAGS-$_ulimits}"
PODMAN_BUILD_FLAGS="${PODMAN_BUILD_FLAGS-$_ulimits --format docker --network=host -v /etc/ssl/certs:/etc/ssl/certs:ro}"

# engine ARGS...: the engine with its global flags.
engine() {
  if [ "$(basename "$ENGINE")" = podman ]; then
    # shellcheck disable=SC2086  # the flag variables are word lists
    command "$ENGINE" $PODMAN_FLAGS "$@"
  else
    command "$ENGINE" "$@"
  fi
}

# engine_build ARGS...: `build` with the flags this host's builds need.
engine_build() {
  if [ "$(basename "$ENGINE")" = podman ]; then
    # shellcheck disable=SC2086
    engine build $PODMAN_BUILD_FLAGS "$@"
  else
    engine build "$@"
  fi
}

# engine_run ARGS...: `run` with the flags this host's containers need.
engine_run() {
  if [ "$(basename "$ENGINE")" = podman ]; then
    # shellcheck disable=SC2086
    engine run $PODMAN_RUN_FLAGS "$@"
  else
    engine run "$@"
  fi
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  set -euo pipefail
  command="${1:?usage: engine.sh build|run|name ARGS...}"
  shift
  case "$command" in
    build) engine_build "$@" ;;
    run) engine_run "$@" ;;
    name) echo "$ENGINE" ;;
    *) engine "$command" "$@" ;;
  esac
fi
