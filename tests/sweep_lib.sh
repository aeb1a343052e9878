# Shared by the sweep test scripts (sourced): a temporary folder removed on exit, fail(), and q DIR SQL to query
# DIR/sweep.db with the sqlite3 shell, or with Python's sqlite3 module where the shell is not installed.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
q() { sqlite3 "$1/sweep.db" "$2"; }
command -v sqlite3 >/dev/null || { python3 -c 'import sqlite3' || fail "need sqlite3 or python3"; }
if ! command -v sqlite3 >/dev/null; then
  sqlite3() { python3 -c 'import sqlite3,sys
for r in sqlite3.connect(sys.argv[1]).execute(sys.argv[2]): print("|".join(map(str, r)))' "$@"; }
fi
