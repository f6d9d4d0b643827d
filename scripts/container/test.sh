#!/usr/bin/env bash
# make container-test: build the image on a local Debian bookworm base and check its promises.
#
# Steps, each timed: lint the Dockerfile (hadolint); build or reuse the base (base.sh); build the
# image; per profile, a host run and a container run (--network=none, outputs on a bind mount) that
# must succeed, write nothing outside outputs/, match expected_outputs/<profile>/ (`compare`) and
# be byte-identical to the host run, file for file (except RUN_RECORDS below); the offline test
# suite inside the container; the self-check: images broken on purpose (broken/*.mk, each naming
# the failure it must cause) must fail that check.
#
# Usage: scripts/container/test.sh [--no-self-check] [PROFILE...]  (default: sample esem2024 independent)
# A profile the CLI does not list is skipped, and so is one other than sample without a mirror
# (ARTIFACT_MIRROR, else ../shared/mirror), which is mounted read-only at /mirror.
# Environment: IMAGE (default hf-claims-artifact:latest), CONTAINER (engine, see engine.sh).
# Needs root for the base (debootstrap) and the host's .venv (make install). Work folder:
# .container-test/ (outputs of every run, kept for inspection).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cd "$here/../.."
# shellcheck source=scripts/container/engine.sh
source "$here/engine.sh"

IMAGE="${IMAGE:-hf-claims-artifact:latest}"
WORK="$PWD/.container-test"
PY="$PWD/.venv/bin/python"
self_check=1
profiles=()
for arg in "$@"; do
  case "$arg" in
    --no-self-check) self_check=0 ;;
    -h | --help) awk 'NR > 1 && !/^#/ { exit } NR > 1 { print substr($0, 3) }' "$0"; exit 0 ;;
    -*) echo "unknown option $arg (see --help)" >&2; exit 2 ;;
    *) profiles+=("$arg") ;;
  esac
done
[ ${#profiles[@]} -gt 0 ] || profiles=(sample esem2024 independent)
# Outputs that record the run itself rather than its results: task timings (run/) and the reports,
# whose "This run" section names the Python build, the platform and the timings (`make compare`
# checks the sample's REPORT.md outside that section). Both runs must have them; their bytes may differ.
# inputs.json too: the reasons it gives for missing inputs name this machine's mirror and cache paths.
RUN_RECORDS=(run REPORT.md report.html inputs.json)
mirror="${ARTIFACT_MIRROR:-}"
if [ -z "$mirror" ] && [ -d ../shared/mirror ]; then mirror="$(cd ../shared/mirror && pwd)"; fi
mirror_args=() # the engine flags that give a container the mirror, read-only
[ -z "$mirror" ] || mirror_args=(-v "$mirror:/mirror:ro" -e ARTIFACT_MIRROR=/mirror -e ARTIFACT_OFFLINE=1)

timings=()
failures=()
# timed NAME COMMAND...: run COMMAND, record how long it took under NAME, return its status.
timed() {
  local name=$1 start=$SECONDS status=0
  shift
  echo "== $name"
  "$@" || status=$?
  timings+=("$(printf '%-34s %5d s%s' "$name" $((SECONDS - start)) "$([ $status = 0 ] || echo "  (failed)")")")
  return $status
}

# Lines of `engine diff` that are not the engine's own doing: writes outside the outputs mount.
outside_outputs() {
  grep -v -E '^(A|C) /(artifact/outputs|artifact/\.cache|mirror)$' |
    grep -v -E '^C /(artifact|etc|tmp|run)?$' |
    grep -v -E '^(A|C) /(etc/hosts|etc/hostname|etc/resolv\.conf|run/\.containerenv)$' || true
}

# A claim that differs from the paper is a finding of the run, not a failure of the image: the
# container test asks reproduce to exit 0 once the run completed, and judges the outputs by bytes.
RUN_TO_END="REPRODUCE_ARGS=--claims-never-fail"

# host_run PROFILE: the reference run on the host, into $WORK/host.
host_run() {
  ARTIFACT_OUTPUTS="$WORK/host" ARTIFACT_MIRROR="$mirror" ARTIFACT_OFFLINE=1 \
    make --no-print-directory reproduce PROFILE="$1" "$RUN_TO_END"
}

build_base() {
  base_image="$("$here/base.sh")"
}

# same_as_host HOST CONTAINER: the same files in both folders, byte-identical but for RUN_RECORDS.
same_as_host() {
  diff <(cd "$1" && find . -type f | sort) <(cd "$2" && find . -type f | sort) &&
    diff -r -q "${RUN_RECORDS[@]/#/--exclude=}" "$1" "$2"
}

# check_run IMAGE PROFILE LABEL: reproduce PROFILE in IMAGE into $WORK/LABEL and print one
# "FAIL: <reason>: <details>" line per broken promise; returns 1 when there is any.
check_run() {
  local image=$1 profile=$2 label=$3
  local out="$WORK/$label" name="hf-claims-check-$label-$$" problems=() stray status=0
  local mounts=(-v "$out:/artifact/outputs")
  # Every profile copies its verified inputs from the mirror into a cache of its own: the sample too, whose
  # witness runs the authors' scripts (pinned inputs, not shipped).
  mounts+=("${mirror_args[@]}" -v "$WORK/cache-$label:/artifact/.cache")
  mkdir -p "$WORK/cache-$label" && chmod 0777 "$WORK/cache-$label"
  mkdir -p "$out"
  chmod 0777 "$out" # the image's own user (uid 1000) writes the outputs
  engine_run --name "$name" --network=none "${mounts[@]}" "$image" make reproduce PROFILE="$profile" "$RUN_TO_END" || status=$?
  [ $status = 0 ] || problems+=("reproduce failed: exit status $status")
  stray="$(engine diff "$name" | outside_outputs)"
  engine rm "$name" >/dev/null
  [ -z "$stray" ] || problems+=("wrote outside outputs: $(echo "$stray" | tr '\n' ' ')")
  if [ -d "expected_outputs/$profile" ] &&
    ! ARTIFACT_OUTPUTS="$out" "$PY" -m artifact compare --profile "$profile" >"$out.compare"; then
    problems+=("differs from expected_outputs: $(grep -v -E 'DIFFERS|matches' "$out.compare" | tr '\n' ';')")
  fi
  if ! same_as_host "$WORK/host/$profile" "$out/$profile" >"$out.diff" 2>&1; then
    problems+=("differs from the host run: $(tr '\n' ';' <"$out.diff")")
  fi
  for problem in "${problems[@]}"; do echo "FAIL: $problem"; done
  [ ${#problems[@]} = 0 ]
}

# self_check MAKEFILE: build IMAGE plus MAKEFILE included by the Makefile, and show that check_run
# fails on it for the reason MAKEFILE's `# expect:` line names.
self_check() {
  local mk=$1 variant expect log
  variant="$(basename "$mk" .mk)"
  expect="$(sed -n 's/^# expect: //p' "$mk")"
  log="$WORK/broken-$variant.log"
  printf 'FROM %s\nCOPY --chown=1000:1000 %s /artifact/broken.mk\nRUN echo "include broken.mk" >> Makefile\n' \
    "$IMAGE" "$variant.mk" >"$WORK/broken-$variant.Containerfile"
  engine_build --quiet -t "localhost/hf-claims-broken:$variant" -f "$WORK/broken-$variant.Containerfile" "$here/broken" >/dev/null
  if check_run "localhost/hf-claims-broken:$variant" sample "broken-$variant" >"$log" 2>&1; then
    echo "FAIL: the image broken by $mk passed the container test"
    return 1
  elif grep -q "^FAIL: $expect" "$log"; then
    echo "caught: $variant -> $(grep "^FAIL: $expect" "$log" | cut -c1-200)"
  else
    echo "FAIL: $mk was caught, but not for the expected reason '$expect':"
    grep '^FAIL' "$log"
    return 1
  fi
}

listed_profiles="$("$PY" -c 'from artifact.profiles import PROFILES; print(" ".join(PROFILES))')"
rm -rf "$WORK"
mkdir -p "$WORK/host"
echo "engine: $ENGINE; image: $IMAGE; profiles: ${profiles[*]}; mirror: ${mirror:-none}"

timed "lint (hadolint)" .venv/bin/hadolint Dockerfile
timed "base image" build_base
timed "build image" engine_build --build-arg BASE_IMAGE="$base_image" --build-arg REVISION="$(git rev-parse HEAD 2>/dev/null || echo unknown)" -t "$IMAGE" .

for profile in "${profiles[@]}"; do
  if [[ " $listed_profiles " != *" $profile "* ]]; then
    echo "== skip profile $profile: the CLI lists only: $listed_profiles"
    continue
  elif [ "$profile" != sample ] && [ -z "$mirror" ]; then
    echo "== skip profile $profile: no mirror (set ARTIFACT_MIRROR)"
    continue
  fi
  timed "host run ($profile)" host_run "$profile" || failures+=("host run of $profile")
  timed "container run ($profile)" check_run "$IMAGE" "$profile" "container-$profile" ||
    failures+=("container run of $profile")
done

timed "test suite in the container" engine_run --rm --network=none "${mirror_args[@]}" "$IMAGE" make test ||
  failures+=("test suite in the container")

if [ $self_check = 1 ]; then
  [ -d "$WORK/host/sample" ] || timed "host run (sample)" host_run sample
  for mk in "$here"/broken/*.mk; do
    timed "self-check $(basename "$mk" .mk)" self_check "$mk" || failures+=("self-check $mk")
  done
fi

echo "== timings"
printf '%s\n' "${timings[@]}"
echo "image $IMAGE: $(engine image inspect --format '{{.Size}}' "$IMAGE" | numfmt --to=si)B on base $base_image"
if [ ${#failures[@]} -gt 0 ]; then
  echo "container-test FAILED: ${failures[*]} (details above and in $WORK)"
  exit 1
fi
echo "container-test passed"
