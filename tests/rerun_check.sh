#!/usr/bin/env bash
# The resolved scenario written beside a run's results reruns to the same result.
set -euo pipefail
prepsim=$1 scenario=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$prepsim" run "$scenario" --set run.duration=5s -o "$tmp/a" > "$tmp/a.txt"
"$prepsim" run "$tmp/a/scenario.resolved.yaml" -o "$tmp/b" > "$tmp/b.txt"
diff -u "$tmp/a.txt" "$tmp/b.txt"
for f in jobs attribution resources devices scopes; do diff -u "$tmp/a/$f.csv" "$tmp/b/$f.csv"; done
diff -u "$tmp/a/scenario.resolved.yaml" <(sed -e 's#'"$tmp"'/b#'"$tmp"'/a#' "$tmp/b/scenario.resolved.yaml")
echo "rerun identical"
