# One entry point for evaluators and developers. `make reproduce` and `make test` install what
# is missing first. Variables: PROFILE (sample | esem2024 | independent | extended; default esem2024,
# the paper's, as for `python -m artifact reproduce` and plain luigi), WORKERS,
# SCHEDULER_URL (a Luigi central scheduler shared by workers; default: in-process), TEST_WORKERS
# (pytest-xdist workers of `make test`; 2).
SHELL := /bin/bash
PYTHON_BOOT ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
DEPS_STAMP := $(VENV)/.deps-installed
PROFILE ?= esem2024
# One Luigi worker by default: forked workers cost more than they give on these pipelines (cold runs,
# paired: sample 0.33x and esem2024 0.70x the wall time of --workers 2); the authors' PDFs are read in
# parallel inside their task.
WORKERS ?= 1
TEST_WORKERS ?= 2
SCHEDULER_URL ?=
EXIT_CODE_FILE ?=
export MPLBACKEND := Agg
export PYTHONHASHSEED := 0
export SOURCE_DATE_EPOCH ?= 1719792000

# The variables the targets' comments name as $(NAME): `make help` prints their values.
HELP_VARIABLES := PROFILE TEST_WORKERS

.PHONY: help install deps lock test lint check-metadata reproduce compare regenerate-sample fetch verify-data readme-facts data-md zenodo snapshot bench bench-documentation bench-independent bench-listing-scale bench-fingerprint bench-whole-process clean docker-build docker-run container-test

# List every target with the first sentence of its comment, variables expanded (the default target).
help:
	@awk -v values="$(foreach v,$(HELP_VARIABLES),$(v)=$($(v)))" -f scripts/make-help.awk $(firstword $(MAKEFILE_LIST))
	@echo; echo "environment (read in artifact/config.py; README, \"Environment variables\"):"
	@awk '/^#= / { print "  " substr($$0, 4) }' $(MAKEFILE_LIST)

#= ARTIFACT_OUTPUTS: root of the outputs folders (default outputs)
#= ARTIFACT_MANIFEST: another inputs manifest (default the shipped one)
#= ARTIFACT_CACHE, XDG_CACHE_HOME: the download cache (default $XDG_CACHE_HOME/hf-claims-artifact)
#= ARTIFACT_MIRROR: a mirror folder laid out as `wget -x` does, tried before the network
#= ARTIFACT_OFFLINE: 1 forbids the network
#= ARTIFACT_SNAPSHOTS: the local snapshots folder (default snapshots)
#= ARTIFACT_EXTENDED_BASE: the profile `extended` adds the snapshots to (default independent)
#= HF_ENDPOINT, HF_TOKEN: Hub API and token for `snapshot hf`
#= npm_config_registry, NPM_CONFIG_REGISTRY: npm registry for `snapshot npm`
#= ARTIFACT_GITHUB_API, ARTIFACT_GITHUB_RAW, GITHUB_TOKEN: GitHub hosts and token for `snapshot pypi`
#= ARTIFACT_GIT_COMMIT, ARTIFACT_IMAGE: commit and image the report names when it cannot see them
#= ARTIFACT_CONCLUSION_FILE: where reproduce writes what the run verified (scripts/exit-code.sh sets it)
#= SOURCE_DATE_EPOCH: date of the Zenodo archive's entries (this Makefile sets it)
#= OMP_NUM_THREADS, OPENBLAS_NUM_THREADS, MKL_NUM_THREADS, NPY_DISABLE_CPU_FEATURES, OPENBLAS_CORETYPE: recorded in the report
#= ARROW_DEFAULT_MEMORY_POOL: the memory pool of Arrow's buffers (jemalloc on Linux when unset)

# Create .venv from the hash-locked requirements and install the package (only what is missing).
install: $(STAMP)

# The locked dependencies alone (the Dockerfile installs them in a layer of their own, before the code).
deps: $(DEPS_STAMP)

# The venv is rebuilt only when the lock file or the package metadata change.
$(DEPS_STAMP): requirements.lock
	test -x $(PY) || $(PYTHON_BOOT) -m venv $(VENV)
	$(PY) -m pip install --quiet --require-hashes --no-deps -r requirements.lock
	touch $(DEPS_STAMP)

$(STAMP): $(DEPS_STAMP) pyproject.toml setup.cfg
	$(PY) -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $(STAMP)

# Regenerate the hash-locked requirements from setup.cfg's dependencies (pip-compile reads them through
# pyproject.toml's build backend; needs the package registry).
lock:
	test -x $(VENV)-lock/bin/pip-compile || { $(PYTHON_BOOT) -m venv $(VENV)-lock && $(VENV)-lock/bin/pip install --quiet pip-tools; }
	$(VENV)-lock/bin/pip-compile --quiet --generate-hashes --allow-unsafe --all-build-deps --extra test --extra witness \
	  --strip-extras --no-emit-index-url --no-emit-find-links -o requirements.lock pyproject.toml

# The offline test suite on $(TEST_WORKERS) pytest-xdist workers (a test module stays on one worker,
# so its fixtures are made once), and the linter (ruff, from the lock file). Python keeps its bytecode
# (__pycache__, ignored by git, removed by `make clean`) even where PYTHONDONTWRITEBYTECODE is set:
# otherwise each of the suite's ~90 runs compiles the project's modules again and each worker rewrites
# every test module's asserts (162 s against 148-151 s for the suite, 2 cores).
test: install lint
	PYTHONDONTWRITEBYTECODE= $(PY) -m pytest -q -n $(TEST_WORKERS) --dist loadfile

# Lint the whole tree with ruff (rules in pyproject.toml).
lint: install
	$(PY) -m ruff check artifact tasks tests bench scripts

# Check the archiving metadata: CITATION.cff and .zenodo.json valid and in agreement.
# (cffconvert --validate; Zenodo's deposit schema, vendored in tests/data/zenodo; setup.cfg's version),
# and the package built from setup.cfg without a warning.
check-metadata: install
	$(VENV)/bin/cffconvert --validate -i CITATION.cff
	$(PY) -m pytest -q tests/unit/test_zenodo.py tests/unit/test_dockerfile.py tests/unit/test_packaging.py

# Run the pipeline of $(PROFILE) and write its report; REPRODUCE_ARGS: more options of
# `python -m artifact reproduce` (--strict, --claims-never-fail, --dry-run, --dag). The last line
# names the CLI's exit code (0 ok, 1 task failed, 2 input error, 3 a claim differs, 4 nothing
# verified: no claim recomputed from data) and what the run verified; make itself exits 2 on any
# of 1-4. EXIT_CODE_FILE=path also writes the code to that file.
reproduce: install
	@EXIT_CODE_FILE=$(EXIT_CODE_FILE) scripts/exit-code.sh $(PY) -m artifact reproduce --profile $(PROFILE) --workers $(WORKERS) $(if $(SCHEDULER_URL),--scheduler-url $(SCHEDULER_URL)) $(REPRODUCE_ARGS)

# Compare outputs/$(PROFILE) with expected_outputs/$(PROFILE), byte for byte.
compare: install
	$(PY) -m artifact compare --profile $(PROFILE)

# Regenerate the embedded sample into artifact/sample/data and its checksums (rewrites tracked files).
regenerate-sample: install
	$(PY) -m artifact sample --out artifact/sample/data > artifact/inputs/sample.sha256.tmp
	mv artifact/inputs/sample.sha256.tmp artifact/inputs/sample.sha256

# Get and verify every input of $(PROFILE): cache, then ARTIFACT_MIRROR, then the network unless
# ARTIFACT_OFFLINE=1. Exits non-zero when an input is missing (each listed with URL, checksum and
# the path where the mirror would need it) and on any checksum mismatch.
fetch: install
	$(PY) -m artifact fetch --profile $(PROFILE)

# Re-hash every file in the cache (ARTIFACT_CACHE); with PROFILE=... given, only that profile's.
verify-data: install
	$(PY) -m artifact verify-data $(if $(filter command line environment,$(origin PROFILE)),--profile $(PROFILE))

# Rewrite the README's run figures (per profile: tasks, inputs, claims by verdict, files written) from the
# runs in outputs/ (reproduce sample, esem2024 and independent first); a test checks them.
readme-facts: install
	$(PY) scripts/readme_facts.py --outputs $(or $(ARTIFACT_OUTPUTS),outputs)

# Regenerate DATA.md from artifact/inputs/manifest.toml (a test checks that it is up to date).
data-md: install
	$(PY) -m artifact data-md --out DATA.md

# The Zenodo deposit from the committed tree: `git archive` of HEAD, DEPOSIT.md and SHA256SUMS; WITH_INPUTS=1
# adds every cached input whose licence allows redistribution, INPUTS="id ..." names some; ALLOW_DIRTY=1
# packs uncommitted changes (and says so). The same bytes as `python -m artifact zenodo`: file times are
# SOURCE_DATE_EPOCH when you set it, else the commit's date (not this Makefile's default).
zenodo: install
	$(if $(filter file,$(origin SOURCE_DATE_EPOCH)),env -u SOURCE_DATE_EPOCH) $(PY) -m artifact zenodo --out dist/hf-claims-artifact.tar.gz $(if $(WITH_INPUTS),--with-inputs) $(foreach id,$(INPUTS),--input $(id)) $(if $(ALLOW_DIRTY),--allow-dirty)

REGISTRIES ?= hf pypi npm
TOP ?=
# Take today's top lists into $ARTIFACT_SNAPSHOTS (default ./snapshots) for the extended profile;
# needs the network. REGISTRIES: any of hf pypi npm; TOP: see `python -m artifact snapshot --help`.
snapshot: install
	for registry in $(REGISTRIES); do $(PY) -m artifact snapshot $$registry $(if $(TOP),--top $(TOP)) || exit $$?; done

# Every bench below, one after the other, all figures printed; fails if any misses its target.
# The independent profile's benches need ARTIFACT_MIRROR (skipped, saying so, without it).
bench: install
	status=0; \
	$(PY) bench/peatmoss_scale.py || status=1; \
	$(PY) bench/bench_documentation.py || status=1; \
	$(PY) -m bench.listing_scale || status=1; \
	if [ -n "$(ARTIFACT_MIRROR)" ]; then \
	  $(PY) -m bench.bench_independent || status=1; \
	  $(PY) -m bench.fingerprint_check || status=1; \
	  $(PY) -m bench.whole_process || status=1; \
	else echo "bench-independent, bench-fingerprint and bench-whole-process skipped: set ARTIFACT_MIRROR"; fi; \
	exit $$status

# Metric 4 at full scale: score 15,000 synthetic cards of 5-20 kB and the metadata of 281,276 models
# in a synthetic PeaTMOSS database; prints seconds and peak memory, fails if over 60 s or 2 GB.
bench-documentation: install
	$(PY) bench/bench_documentation.py

# The independent profile's Metrics 1-3 on the 760 pages of the 2024-07 Hub listing, timed against a
# plain json reading and the typed-parse floor of the same pages in the same run; fails over 1x the
# plain reading or 2x the floor (needs ARTIFACT_MIRROR).
bench-independent: install
	$(PY) -m bench.bench_independent

# Metrics 1-3 on synthetic listings of 1, 2 and 3 times the 2024-07 one (2.28 million models):
# seconds and peak memory per scale; fails if growth is not linear or the peak reaches 1.6 GB.
bench-listing-scale: install
	$(PY) -m bench.listing_scale

# The fingerprint check of a complete independent run (runs one first): fails at 1 s or more
# (needs ARTIFACT_MIRROR).
bench-fingerprint: install
	$(PY) -m bench.fingerprint_check

# Whole-process medians of cold and no-op runs of sample and esem2024 against their targets
# (no-op <= 1 s; cold sample <= 8 s; esem2024 cold <= 8 s, <= 4 s with the authors' PDFs already read).
bench-whole-process: install
	$(PY) -m bench.whole_process

# Remove outputs and caches of Python and pytest (not the download cache); hidden folders such as .venv
# and .git are not entered (the venv's bytecode stays compiled).
clean:
	rm -rf outputs .pytest_cache .container-test
	find . -mindepth 1 -name '.*' -prune -o -name __pycache__ -type d -prune -exec rm -rf {} +

# The container image. The engine is docker when a Docker daemon answers, podman otherwise;
# CONTAINER=... overrides. scripts/container/engine.sh holds the flags podman needs on some hosts.
# BASE_IMAGE=... replaces the Dockerfile's digest-pinned base (e.g. one made by
# scripts/container/base.sh on a host that cannot pull images).
CONTAINER ?=
IMAGE ?= hf-claims-artifact:latest
BASE_IMAGE ?=
CONTAINER_NETWORK ?= none
CONTAINER_PROFILES ?=
ENGINE := CONTAINER=$(CONTAINER) scripts/container/engine.sh

# Build the container image.
docker-build:
	$(ENGINE) build $(if $(BASE_IMAGE),--build-arg BASE_IMAGE=$(BASE_IMAGE)) \
	  --build-arg REVISION=$$(git rev-parse HEAD 2>/dev/null || echo unknown) -t $(IMAGE) .

# `make reproduce PROFILE=...` in the image: outputs in ./outputs, owned by the caller (--user);
# ARTIFACT_MIRROR, when set, is mounted read-only; no network unless CONTAINER_NETWORK says so.
# PROFILE=extended also mounts the snapshots folder (ARTIFACT_SNAPSHOTS, default ./snapshots) read-only.
docker-run:
	mkdir -p outputs
	$(ENGINE) run --rm --network=$(CONTAINER_NETWORK) --user "$$(id -u):$$(id -g)" \
	  -v "$(CURDIR)/outputs:/artifact/outputs" \
	  $(if $(ARTIFACT_MIRROR),-v "$(abspath $(ARTIFACT_MIRROR)):/mirror:ro" -e ARTIFACT_MIRROR=/mirror) \
	  $(if $(filter extended,$(PROFILE)),-v "$(abspath $(or $(ARTIFACT_SNAPSHOTS),snapshots)):/snapshots:ro" \
	    -e ARTIFACT_SNAPSHOTS=/snapshots $(if $(ARTIFACT_EXTENDED_BASE),-e ARTIFACT_EXTENDED_BASE=$(ARTIFACT_EXTENDED_BASE))) \
	  $(IMAGE) make reproduce PROFILE=$(PROFILE)

# Build the image on a local Debian base and check it (scripts/container/test.sh --help);
# CONTAINER_PROFILES=... narrows the profiles it runs.
container-test: install
	CONTAINER=$(CONTAINER) IMAGE=$(IMAGE) scripts/container/test.sh $(CONTAINER_PROFILES)
