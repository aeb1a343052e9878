#!/usr/bin/env bash
# Runs one bad-input scenario and checks that prepsim refuses it properly:
#   check.sh PREPSIM_BINARY FILE
# FILE starts with comment lines:
#   # expect: <substring the error message must contain>
#   # line: <N>      (the message must name FILE:N:)   or   # line: any
#   # in: <name>     (optional: the side file the message names instead of FILE, e.g. bad.side.xml)
#   # set: <k=v>     (optional, repeatable: passed as --set k=v, for errors that only an override causes)
# Passes when `prepsim run FILE [--set ...] -o TMP/out` exits 2, prints the expected substring and line on stderr, prints
# nothing on stdout and does not create TMP/out. Prints the reason and exits 1 otherwise.
set -u

if [[ $# -ne 2 ]]; then
  echo "usage: $0 PREPSIM_BINARY FILE" >&2
  exit 1
fi
bin=$1
file=$2

fail() {
  echo "FAIL: $file: $*" >&2
  if [[ -n "${tmp:-}" && -f "$tmp/stderr" ]]; then
    echo "--- stderr was:" >&2
    cat "$tmp/stderr" >&2
  fi
  if [[ -n "${tmp:-}" && -s "$tmp/stdout" ]]; then
    echo "--- stdout was (first 20 lines):" >&2
    head -n 20 "$tmp/stdout" >&2
  fi
  exit 1
}

[[ -x "$bin" ]] || fail "prepsim binary '$bin' is not executable"
[[ -f "$file" ]] || fail "no such file"

# The header: the first lines starting with '# expect:' and '# line:'.
expect=$(sed -n 's/^# expect: \{0,1\}//p' "$file" | head -n 1)
line=$(sed -n 's/^# line: *\([0-9a-z]*\) *$/\1/p' "$file" | head -n 1)
in=$(sed -n 's/^# in: *\(.*[^ ]\) *$/\1/p' "$file" | head -n 1)
[[ -n "$in" ]] || in=$(basename "$file")
sets=()
while IFS= read -r s; do sets+=(--set "$s"); done < <(sed -n 's/^# set: *\(.*[^ ]\) *$/\1/p' "$file")
[[ -n "$expect" ]] || fail "no '# expect: <substring>' header line"
[[ -n "$line" ]] || fail "no '# line: N' (or '# line: any') header line"
[[ "$line" == any || "$line" =~ ^[0-9]+$ ]] || fail "'# line:' must be a number or 'any', got '$line'"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/prepsim-bad-input.XXXXXX") || fail "mktemp failed"
trap 'rm -rf "$tmp"' EXIT

"$bin" run "$file" "${sets[@]}" -o "$tmp/out" >"$tmp/stdout" 2>"$tmp/stderr" </dev/null
rc=$?

[[ $rc -eq 2 ]] || fail "exit code $rc, expected 2 (bad input)"
grep -qF -- "$expect" "$tmp/stderr" || fail "stderr does not contain the expected text '$expect'"
if [[ "$line" != any ]]; then
  grep -qF -- "$in:$line: " "$tmp/stderr" || fail "stderr does not name the faulty line ('$in:$line: ')"
fi
grep -q '^prepsim: ' "$tmp/stderr" || fail "stderr has no 'prepsim: FILE:LINE: key: message' line"
[[ -s "$tmp/stdout" ]] && fail "something was written to stdout"
[[ -e "$tmp/out" ]] && fail "the output directory $tmp/out was created"
echo "ok: $file"
exit 0
