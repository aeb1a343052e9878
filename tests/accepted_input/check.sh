#!/usr/bin/env bash
# Inputs prepsim must accept although they are not plain LF UTF-8: CRLF line endings and a UTF-8 byte order mark,
# in scenarios and in a platform. Each must run (exit 0) to exactly the console summary of reference.yaml.
#   check.sh PREPSIM_BINARY DIR
set -u
bin=$1
dir=$2
tmp=$(mktemp -d "${TMPDIR:-/tmp}/prepsim-accepted.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
"$bin" run "$dir/reference.yaml" >"$tmp/reference.out" 2>"$tmp/reference.err" || { cat "$tmp/reference.err"; exit 1; }
bad=0
for f in "$dir"/*.yaml; do
  name=$(basename "$f" .yaml)
  [ "$name" = reference ] && continue
  if ! "$bin" run "$f" >"$tmp/$name.out" 2>"$tmp/$name.err"; then
    echo "FAIL: $name was refused: $(cat "$tmp/$name.err")"
    bad=1
  elif ! cmp -s "$tmp/reference.out" "$tmp/$name.out"; then
    echo "FAIL: $name ran differently from reference.yaml:"
    diff "$tmp/reference.out" "$tmp/$name.out" | head -n 10
    bad=1
  else
    echo "ok: $name"
  fi
done
exit $bad
