#!/usr/bin/env bash
# A long fuzzing run (docs/fuzzing.md records what one found): SECONDS per target (default 600), and the new inputs
# that add coverage merged into tests/fuzz/corpus/ (review and commit them; turn crashes into bad-input tests).
#   bash tests/fuzz/run_long.sh [SECONDS]
exec bash "$(dirname "$0")/run.sh" "${1:-600}" --merge
