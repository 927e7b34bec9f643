# Shared by the command-line test scripts (sourced, not a test itself): a temporary directory, counters and
# assertions that print what was seen when they fail. The caller sets nothing; it reads $passes and $fails.
tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT
fails=0; passes=0
ok()   { passes=$((passes+1)); }
fail() { echo "FAIL: $*"; fails=$((fails+1)); }
expect_rc() { # expected-rc description command...
    local want="$1" what="$2"; shift 2
    "$@" >"$tmp/out" 2>"$tmp/err"; local rc=$?
    if [ "$rc" -eq "$want" ]; then ok; else fail "$what: exit $rc, wanted $want"; sed 's/^/  | /' "$tmp/out" "$tmp/err" | head -20; fi
}
expect_grep() { # pattern file description
    if grep -qE -- "$1" "$2"; then ok; else fail "$3: no match for /$1/ in $(basename "$2")"; sed 's/^/  | /' "$2" | head -20; fi
}
