#!/usr/bin/env bash
# Fuzzing in CI (called by tests/run_all.sh): every target 20 s, so the six take two minutes plus the build.
# PREPSIM_FUZZ_SECONDS overrides the time per target.
exec bash "$(dirname "$0")/run.sh" "${PREPSIM_FUZZ_SECONDS:-20}"
