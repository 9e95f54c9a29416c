#!/usr/bin/env bash
# Refresh requirements/ci.txt, the pinned versions CI installs (.ci/run), from pyproject.toml's
# dependencies and its `test` and `postgres` extras. Existing pins are kept unless they no
# longer satisfy pyproject.toml; `tools/lock.sh --upgrade` moves everything to the newest
# versions (then run the whole suite before committing the new lock).
# Needs pip-tools: python -m pip install -e ".[dev]"
set -euo pipefail
cd "$(dirname "$0")/.."
CUSTOM_COMPILE_COMMAND="tools/lock.sh" pip-compile --quiet --extra test --extra postgres \
  --strip-extras --no-emit-index-url --no-emit-find-links \
  --output-file requirements/ci.txt "$@" pyproject.toml
