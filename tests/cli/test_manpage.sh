#!/usr/bin/env bash
# sockscope(1) stays true to --help: every command and every option --help lists has its place in the man
# page, which groff formats without a warning; and 'show' prints a built-in's source, which runs.
# Usage: test_manpage.sh SOCKSCOPE SOURCE_DIR
set -u
bin="$1"; src="$2"; man="$src/resources/man/sockscope.1"
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

expect_rc 0 "--help" "$bin" --help
cp "$tmp/out" "$tmp/help"
# Commands: the first word of each "  name ..." row of the Commands: section.
commands=$(sed -n '/^Commands:/,/^$/p' "$tmp/help" | sed -n 's/^  \([a-z][a-z-]*\) .*/\1/p; s/^  \([a-z][a-z-]*\)$/\1/p')
[ "$(echo "$commands" | wc -w)" -ge 6 ] && ok || fail "found only '$commands' as commands in --help"
for c in $commands; do
    grep -qE "^\.SS \"?$c( |\"|$)" "$man" && ok || fail "command '$c' of --help has no .SS section in sockscope.1"
done
for o in $(grep -oE -- '--[a-z][a-z-]+' "$tmp/help" | sort -u); do
    grep -qF -- "\\-\\-${o#--}" "$man" && ok || fail "option '$o' of --help is not in sockscope.1"
done
grep -q '^\.SH EXIT STATUS' "$man" && ok || fail "sockscope.1 has no EXIT STATUS section"
for code in 0 1 2; do
    sed -n '/^\.SH EXIT STATUS/,/^\.SH /p' "$man" | grep -qx "\.B $code" && ok || fail "exit status $code not in sockscope.1"
done
if command -v groff >/dev/null; then
    groff -man -ww -z "$man" 2>"$tmp/groff" && [ ! -s "$tmp/groff" ] && ok || { fail "groff warns about sockscope.1"; cat "$tmp/groff"; }
else
    fail "groff is not installed (scripts/setup.sh installs it)"
fi

expect_rc 0 "show" "$bin" show close-unread-data
cmp -s "$tmp/out" "$src/resources/scenarios/close-unread-data.scn" && ok || fail "show does not print the .scn as shipped"
cp "$tmp/out" "$tmp/mine.scn"
expect_rc 0 "a shown built-in runs from its file" "$bin" run "$tmp/mine.scn"
expect_rc 2 "show without a name" "$bin" show
expect_rc 2 "show an unknown name" "$bin" show no-such-scenario
expect_grep "no built-in scenario named \"no-such-scenario\"" "$tmp/err" "show's error names the scenario"

echo "manpage: $passes passed, $fails failed"
[ "$fails" -eq 0 ]
