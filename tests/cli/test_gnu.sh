#!/usr/bin/env bash
# The command line behaves like a GNU tool: --opt=value and --opt value, '--', -h/--help on every command
# (never running anything, with or without a display), -o - writes the very bytes of the file to stdout,
# unknown options and missing values are one line plus "Try ..." and exit 2, --quiet, --color, progress only
# on a terminal, and no display means no file written unasked. Usage: test_gnu.sh SOCKSCOPE SOURCE_DIR
set -u
bin="$(realpath "$1")"; src="$(realpath "$2")"; fx="$src/tests/fixtures"
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
expect_eq() { # actual expected description
    if [ "$1" = "$2" ]; then ok; else fail "$3"; echo "  | got:    $1"; echo "  | wanted: $2"; fi
}
# No display, and a time limit: a broken command line could open a window (offscreen) and wait forever.
nodisplay() { env -u DISPLAY -u WAYLAND_DISPLAY -u QT_QPA_PLATFORM timeout 60 "$@"; }
esc=$'\033['

"$bin" export close-unread-data --format run -o "$tmp/saved.sockrun" 2>/dev/null || fail "export a run to read back"

# --opt=value, --opt value, -oVALUE, abbreviations, options after operands: the same export.
expect_rc 0 "--opt=value" "$bin" export --format=txt --output="$tmp/eq.txt" "$tmp/saved.sockrun"
expect_rc 0 "--opt value" "$bin" export "$tmp/saved.sockrun" --format txt --output "$tmp/sp.txt"
expect_rc 0 "-oVALUE" "$bin" export "$tmp/saved.sockrun" --form=txt "-o$tmp/short.txt"
cmp -s "$tmp/eq.txt" "$tmp/sp.txt" && cmp -s "$tmp/eq.txt" "$tmp/short.txt" && ok ||
    fail "--opt=value, --opt value and -oVALUE wrote different files"
expect_grep "RST ACK" "$tmp/eq.txt" "--opt=value wrote the log"
expect_rc 0 "--runs=2" "$bin" run close-unread-data --runs=2
expect_grep "^2 runs, 2 met every expectation" "$tmp/out" "--runs=2 ran twice"

# '--' ends the options: a scenario file whose name starts with a dash runs.
mkdir "$tmp/dash"
cp "$src/resources/scenarios/close-unread-data.scn" "$tmp/dash/--json.scn"
( cd "$tmp/dash" && "$bin" run -- --json.scn >"$tmp/out" 2>"$tmp/err" ); rc=$?
expect_eq "$rc" 0 "run -- --json.scn: exit"
expect_grep "^# end: ok" "$tmp/out" "after '--', --json.scn is the scenario, not --json"
expect_rc 2 "run -- --help is a scenario name" "$bin" run -- --help
expect_grep "no built-in scenario or file named" "$tmp/err" "after '--', --help is an operand"

# -h and --help on every command: help on stdout, exit 0, nothing run or written, display or not.
mkdir "$tmp/help"
for cmd in open list show run check export; do
    for h in -h --help; do
        ( cd "$tmp/help" && nodisplay "$bin" "$cmd" "$h" close-unread-data >"$tmp/out" 2>"$tmp/err" ); rc=$?
        expect_eq "$rc" 0 "$cmd $h: exit"
        expect_grep "^Usage: sockscope $cmd " "$tmp/out" "$cmd $h: usage line"
        expect_grep "^  -h, --help " "$tmp/out" "$cmd $h: lists -h/--help"
        expect_eq "$(cat "$tmp/err")" "" "$cmd $h: nothing on stderr"
        grep -q "# end:" "$tmp/out" && fail "$cmd $h ran the scenario" || ok
    done
done
[ -z "$(ls -A "$tmp/help")" ] && ok || fail "--help wrote $(ls -A "$tmp/help")"
expect_rc 0 "help run" "$bin" help run
expect_grep "^  -q, --quiet " "$tmp/out" "'help run' prints run's options"

# -o -: the same bytes as the file, for a run file, a PNG and the log; no file named '-' appears.
cd "$tmp"
for f in run png txt; do
    "$bin" export "$tmp/saved.sockrun" --format "$f" -o "$tmp/file.$f" 2>/dev/null
    "$bin" export "$tmp/saved.sockrun" --format "$f" -o - >"$tmp/stdout.$f" 2>"$tmp/err"; rc=$?
    expect_eq "$rc" 0 "-o - ($f): exit"
    # (a run file's header says when it was saved, to the second)
    unsaved() { sed -E '1s/"saved":"[^"]*"//' "$1"; }
    [ -s "$tmp/stdout.$f" ] && cmp -s <(unsaved "$tmp/file.$f") <(unsaved "$tmp/stdout.$f") && ok ||
        fail "-o - ($f): stdout differs from the file export"
    expect_grep "wrote standard output" "$tmp/err" "-o - ($f): says where it wrote"
done
[ "$(head -c 8 "$tmp/stdout.png" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ] && ok ||
    fail "-o - png: no PNG signature on stdout"
python3 - "$tmp/stdout.run" <<'PY' && ok || fail "-o - run: not a valid run file"
import json, sys
lines = open(sys.argv[1]).read().splitlines()
assert json.loads(lines[0])["sockscope_run"] == 1, "header"
events = [json.loads(l) for l in lines[1:]]
assert events[0]["kind"] == "run" and events[-1]["kind"] == "end", "run ... end"
PY
[ ! -e "$tmp/-" ] && ok || fail "-o - wrote a file named '-'"
"$bin" export close-unread-data --format run -o - 2>/dev/null | head -c 16 | grep -q '^{"sockscope_run"' && ok ||
    fail "-o - of a fresh run: no run file header on stdout"
expect_rc 2 "-o - with --log" "$bin" export "$tmp/saved.sockrun" --format txt -o - --log
expect_grep "^sockscope export: --log and -o - would both write to standard output$" "$tmp/err" "-o - --log message"

# Unknown options and missing values: one line naming it, then "Try ...", exit 2; nothing run.
while IFS='|' read -r want args; do
    # shellcheck disable=SC2086
    expect_rc 2 "usage error: $args" "$bin" $args
    cmd="$(echo "$args" | cut -d' ' -f1)"
    expect_eq "$(cat "$tmp/err")" "$(printf 'sockscope %s: %s\nTry '\''sockscope %s --help'\''.' "$cmd" "$want" "$cmd")" \
        "usage error: $args: message"
    [ ! -s "$tmp/out" ] && ok || fail "usage error: $args: printed on stdout"
done <<'CASES'
unknown option '--frob'|run close-unread-data --frob
unknown option '--frob'|run --frob=1 close-unread-data
unknown option '-x'|check -x
unknown option '--colour'|export close-unread-data --colour -o x.png
ambiguous option '--h' (--help, --host)|run --h close-unread-data
option '--runs' needs a value (N)|run close-unread-data --runs
option '-o' needs a value (FILE)|export close-unread-data -o
option '--output' needs a value (FILE)|export close-unread-data --output
missing SCENARIO: a built-in name (see 'sockscope list') or a .scn file|run
extra operand 'b' (takes SCENARIO)|run a b
extra operand 'x' (takes none)|list x
--color takes auto, always or never, not 'rainbow'|run close-unread-data --color=rainbow
CASES
expect_rc 2 "unknown command" "$bin" --frob
expect_eq "$(head -1 "$tmp/err")" "sockscope: unknown command or option '--frob'" "unknown command message"

# --quiet: nothing but errors and failures.
expect_rc 0 "run --quiet" "$bin" run close-unread-data --quiet
expect_eq "$(cat "$tmp/out" "$tmp/err")" "" "run --quiet prints nothing for a passing run"
expect_rc 1 "run -q, failing" "$bin" run -q "$fx/wrong-expectation.scn"
expect_grep "^FAILED step 9" "$tmp/out" "run -q still prints the failure"
grep -q "# end:" "$tmp/out" && fail "run -q printed the log" || ok
expect_rc 0 "export --quiet" "$bin" export "$tmp/saved.sockrun" -q -o "$tmp/q.txt"
expect_eq "$(cat "$tmp/out" "$tmp/err")" "" "export --quiet prints nothing"
expect_rc 0 "check --quiet" "$bin" check --quiet close-unread-data half-close
expect_eq "$(cat "$tmp/out" "$tmp/err")" "" "check --quiet prints nothing when all pass"

# --color: always colours the log, never and auto-into-a-file do not; auto on a terminal does unless NO_COLOR.
expect_rc 0 "--color=always" "$bin" run close-unread-data --color=always
grep -qF "$esc" "$tmp/out" && ok || fail "--color=always: no ESC[ in the log"
expect_grep $'\033\\[[0-9;]*m\\+[0-9.]+ +server\\.1 -> client\\.1 +RST' "$tmp/out" "--color=always colours the RST line"
expect_rc 0 "--color never" "$bin" run close-unread-data --color never
grep -qF "$esc" "$tmp/out" && fail "--color never: ESC[ in the log" || ok
expect_rc 0 "--color auto into a file" "$bin" run close-unread-data
grep -qF "$esc" "$tmp/out" && fail "--color=auto into a file: ESC[ in the log" || ok
expect_rc 0 "export --log --color=always" "$bin" export "$tmp/saved.sockrun" -o "$tmp/c.txt" --log --color=always
grep -qF "$esc" "$tmp/out" && ok || fail "export --log --color=always: no colour"
grep -qF "$esc" "$tmp/c.txt" && fail "the exported log file has colour codes" || ok

# Progress: on stderr only when it is a terminal (script(1) gives it one), and cleared.
expect_rc 0 "--runs 3 into files" "$bin" run close-unread-data --runs 3
grep -q $'\r' "$tmp/err" "$tmp/out" && fail "--runs: progress written although stderr is a file" || ok
if command -v script >/dev/null; then
    script -qec "'$bin' run close-unread-data --runs 3 --color=never" /dev/null >"$tmp/tty" 2>&1
    grep -qa '\[2/3\] runs' "$tmp/tty" && ok || { fail "--runs on a terminal: no progress"; cat -A "$tmp/tty" | head; }
    grep -qa '^3 runs, 3 met every expectation' "$tmp/tty" && ok || fail "--runs on a terminal: summary on a line of its own"
    script -qec "'$bin' check close-unread-data half-close" /dev/null >"$tmp/tty" 2>&1
    grep -qa '\[2/2\] checking half-close' "$tmp/tty" && ok || { fail "check on a terminal: no progress"; cat -A "$tmp/tty" | head; }
    sed 's/.*\x1b\[K//' "$tmp/tty" | grep -qa '^half-close  ' && ok || fail "check on a terminal: the row does not start its line"
    script -qec "'$bin' run close-unread-data" /dev/null >"$tmp/tty" 2>&1
    grep -qF "$esc" "$tmp/tty" && ok || fail "--color=auto on a terminal: no colour"
    NO_COLOR=1 script -qec "'$bin' run close-unread-data" /dev/null >"$tmp/tty" 2>&1
    grep -qF "$esc" "$tmp/tty" && fail "--color=auto with NO_COLOR: colour" || ok
else
    echo "note: script(1) is missing; the terminal checks did not run"
fi

# No display: 'sockscope' and 'sockscope open NAME' write nothing into an empty directory and say how to export.
mkdir "$tmp/empty"
for args in "" "open close-unread-data" "open"; do
    # shellcheck disable=SC2086
    ( cd "$tmp/empty" && nodisplay "$bin" $args >"$tmp/out" 2>"$tmp/err" ); rc=$?
    expect_eq "$rc" 2 "no display, 'sockscope $args': exit"
    expect_grep "use 'sockscope export close-unread-data -o fig.png'" "$tmp/err" "no display, 'sockscope $args': says how"
    [ -z "$(ls -A "$tmp/empty")" ] && ok || fail "no display, 'sockscope $args' wrote $(ls -A "$tmp/empty")"
done

# bash completion: its option table is each command's --help, and it offers values and names.
source "$src/tests/cli/completion_stubs.sh"
source "$src/resources/completion/sockscope.bash"
for cmd in open list show run check export; do
    nodisplay "$bin" "$cmd" --help | sed -n '/^Options:/,/^$/p' | grep -oE -- '^ +(-[a-z], )?--[a-z-]+' |
        grep -oE -- '-[a-z]|--[a-z-]+' | sort >"$tmp/help-opts"
    spec="${_sockscope_commands[$cmd]}"
    tr ' ' '\n' <<<"${spec#*: }" | sort >"$tmp/comp-opts"
    cmp -s "$tmp/help-opts" "$tmp/comp-opts" && ok ||
        { fail "completion options of $cmd differ from its --help"; diff "$tmp/help-opts" "$tmp/comp-opts" | head; }
done
expect_eq "$(PATH="$(dirname "$bin"):$PATH" comp sockscope run --c)" "--color" "completion: run --c"
expect_eq "$(comp sockscope export x --format=s)" "svg" "completion: --format=s"
expect_eq "$(comp sockscope run --color '')" "auto always never" "completion: --color values"
expect_eq "$(comp sockscope export x -o '')" "<files:>" "completion: -o takes a file"
expect_eq "$(comp sockscope run close-unread-data '')" "" "completion: run takes one scenario"
expect_eq "$(PATH="$(dirname "$bin"):$PATH" comp sockscope show close-u)" "close-unread-data" "completion: built-in names"

echo "gnu: $passes passed, $fails failed"
[ "$fails" -eq 0 ]
