#!/usr/bin/env bash
# Runs one bad input and checks that prepsim refuses it properly:
#   check.sh PREPSIM_BINARY FILE
# FILE (or FILE's name with .expect for .yaml, when that exists: for inputs whose encoding hides comment lines,
# such as UTF-16) starts with comment lines:
#   # expect: <substring the error message must contain>
#   # line: <N>      (the message must name FILE:N:)   or   # line: any   or   # line: none (a flag, no file)
#   # in: <name>     (optional: the side file the message names instead of FILE, e.g. bad.side.xml)
#   # command: run | sweep | raw   (optional, default run: `prepsim run FILE ARGS -o OUT`; sweep: `prepsim sweep
#                    FILE ARGS -o OUT`; raw: `prepsim ARGS -o OUT`, FILE only describes the case)
#   # args: <words>  (optional: more arguments, split on spaces)
#   # out: file | under-file   (optional: OUT is an existing file, or a path under one; it must be left as it was)
# Passes when prepsim exits 2, prints the expected substring and line on stderr in one 'prepsim...' line, prints
# nothing on stdout and creates nothing at OUT. Prints the reason and exits 1 otherwise.
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

# The header: the first lines starting with '# expect:', '# line:' ...
header=$file
[[ -f "${file%.yaml}.expect" ]] && header=${file%.yaml}.expect
expect=$(sed -n 's/^# expect: \{0,1\}//p' "$header" | head -n 1)
line=$(sed -n 's/^# line: *\([0-9a-z]*\) *$/\1/p' "$header" | head -n 1)
in=$(sed -n 's/^# in: *\(.*[^ ]\) *$/\1/p' "$header" | head -n 1)
command=$(sed -n 's/^# command: *\([a-z]*\) *$/\1/p' "$header" | head -n 1)
args=$(sed -n 's/^# args: *//p' "$header" | head -n 1)
out_kind=$(sed -n 's/^# out: *\([a-z-]*\) *$/\1/p' "$header" | head -n 1)
[[ -n "$in" ]] || in=$(basename "$file")
[[ -n "$command" ]] || command=run
[[ -n "$expect" ]] || fail "no '# expect: <substring>' header line"
[[ -n "$line" ]] || fail "no '# line: N' (or '# line: any' or '# line: none') header line"
[[ "$line" == any || "$line" == none || "$line" =~ ^[0-9]+$ ]] || fail "'# line:' must be a number, any or none"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/prepsim-bad-input.XXXXXX") || fail "mktemp failed"
trap 'rm -rf "$tmp"' EXIT

out=$tmp/out
case "$out_kind" in
  "") ;;
  file) printf 'x' >"$tmp/out" ;;
  under-file) printf 'x' >"$tmp/f"; out=$tmp/f/out ;;
  *) fail "'# out:' must be file or under-file" ;;
esac
read -r -a extra <<<"$args"
case "$command" in
  run) "$bin" run "$file" "${extra[@]}" -o "$out" >"$tmp/stdout" 2>"$tmp/stderr" </dev/null ;;
  sweep) "$bin" sweep "$file" "${extra[@]}" -o "$out" >"$tmp/stdout" 2>"$tmp/stderr" </dev/null ;;
  raw) "$bin" "${extra[@]}" -o "$out" >"$tmp/stdout" 2>"$tmp/stderr" </dev/null ;;
  *) fail "'# command:' must be run, sweep or raw" ;;
esac
rc=$?

[[ $rc -eq 2 ]] || fail "exit code $rc, expected 2 (bad input)"
grep -qF -- "$expect" "$tmp/stderr" || fail "stderr does not contain the expected text '$expect'"
if [[ "$line" =~ ^[0-9]+$ ]]; then
  grep -qF -- "$in:$line: " "$tmp/stderr" || fail "stderr does not name the faulty line ('$in:$line: ')"
fi
grep -q '^prepsim[a-z ]*: ' "$tmp/stderr" || fail "stderr has no 'prepsim: FILE:LINE: key: message' line"
[[ $(grep -c . "$tmp/stderr") -le 1 || $command == sweep ]] || fail "more than one line on stderr"
[[ -s "$tmp/stdout" ]] && fail "something was written to stdout"
case "$out_kind" in
  "") [[ -e "$tmp/out" ]] && fail "the output directory $tmp/out was created" ;;
  file) [[ -f "$tmp/out" && $(cat "$tmp/out") == x ]] || fail "the file given as -o was changed" ;;
  under-file) [[ -f "$tmp/f" && $(cat "$tmp/f") == x ]] || fail "the file above -o was changed" ;;
esac
[[ -z $(find "$tmp" -name '.*prepsim-tmp*' -print -quit) ]] || fail "a temporary output folder was left behind"
echo "ok: $file"
exit 0
