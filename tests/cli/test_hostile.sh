#!/usr/bin/env bash
# Hostile input from the outside: forged run files exit 2 with file:line:column and write nothing; -o replaces
# nothing but a regular file; a setuid or setgid copy refuses to run before reading any file; a half-made
# namespace is an error, not "isolation: host"; forged runs of a few MB export in seconds (shapes that were
# quadratic). Usage: test_hostile.sh SOCKSCOPE SOURCE_DIR
set -u
bin="$(realpath "$1")"; src="$2"
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
expect_eq() { # actual expected description
    if [ "$1" = "$2" ]; then ok; else fail "$3"; echo "  | got:    $1"; echo "  | wanted: $2"; fi
}
header='{"sockscope_run":1,"saved":"s","scenario_name":"x","scenario_path":"x.scn","scenario_source":""}'
run='{"n":0,"t_ns":0,"kind":"run","version":1,"scenario":"x","title":"","kernel":"k","isolation":"netns","capture":true}'
end='{"n":9,"t_ns":9,"kind":"end","ok":true,"duration_ns":9,"packets":0,"drops":0}'
forge() { printf '%s\n%s\n%s\n%s\n' "$header" "$run" "$1" "$end" > "$tmp/forged.sockrun"; }

# Each limit: exit 2, the exact message, no output file.
while IFS='|' read -r what line want; do
    forge "$line"
    rm -f "$tmp/out.txt"
    expect_rc 2 "$what: exit 2" "$bin" export "$tmp/forged.sockrun" --format txt -o "$tmp/out.txt"
    expect_eq "$(cat "$tmp/err")" "$tmp/forged.sockrun:$want" "$what: message"
    [ ! -e "$tmp/out.txt" ] && ok || fail "$what: an output file was written"
done <<'CASES'
number overflow|{"n":1,"t_ns":1e999,"kind":"step"}|3:15: error: invalid JSON: number overflow parsing '1e999'
huge step index|{"n":1,"t_ns":1,"kind":"step","step":2000000000,"actor":"a","text":"t","line":1}|3:31: error: step event: field "step" is out of range: 2000000000 (allowed 0 to 9999)
negative time|{"n":1,"t_ns":-1,"kind":"step"}|3:8: error: field "t_ns" is out of range: -1 (allowed 0 to 604800000000000)
wrong type|{"n":1,"t_ns":1,"kind":"check","step":"0","expected":"a","got":"b","ok":false}|3:32: error: check event: field "step" must be an integer
CASES
deep="{\"n\":1,\"t_ns\":1,\"kind\":\"step\",\"x\":$(printf '[%.0s' $(seq 50000))$(printf ']%.0s' $(seq 50000))}"
forge "$deep"
expect_rc 2 "deep nesting: exit 2" "$bin" export "$tmp/forged.sockrun" --format txt -o "$tmp/out.txt"
expect_eq "$(cat "$tmp/err")" "$tmp/forged.sockrun:3:50: error: JSON nested deeper than 16 levels" "deep nesting: message"
printf '%s\n%s\n{"n":1,"t_ns":1,"kind":"queue","sock":"a\xff","recv_q":0,"send_q":0}\n%s\n' "$header" "$run" "$end" \
    > "$tmp/forged.sockrun"
expect_rc 2 "invalid UTF-8: exit 2" "$bin" export "$tmp/forged.sockrun" --format txt -o "$tmp/out.txt"
expect_grep "forged.sockrun:3:41: error: invalid JSON: .*ill-formed UTF-8 byte; last read: '\"a\\\\xff'" "$tmp/err" \
    "invalid UTF-8: message, the byte escaped"
mkfifo "$tmp/fifo.sockrun"
expect_rc 2 "a FIFO as input" timeout 20 "$bin" export "$tmp/fifo.sockrun" --format txt -o "$tmp/out.txt"
expect_eq "$(cat "$tmp/err")" "$tmp/fifo.sockrun: error: not a regular file" "a FIFO is not read"

# -o: only a regular file is ever replaced.
"$bin" export close-unread-data --format run -o "$tmp/good.sockrun" >/dev/null 2>&1 || fail "export a run"
echo keep > "$tmp/target"
ln -s "$tmp/target" "$tmp/link"
mkdir "$tmp/adir"
mkfifo "$tmp/fifo"
targets=("$tmp/link:a symbolic link" "$tmp/adir:a directory" "$tmp/fifo:a FIFO")
if [ "$(id -u)" -eq 0 ]; then
    mknod "$tmp/null" c 1 3 && targets+=("$tmp/null:a device")
fi
for t in "${targets[@]}"; do
    path="${t%%:*}"; kind="${t#*:}"
    expect_rc 2 "-o $kind: exit 2" "$bin" export "$tmp/good.sockrun" --format txt -o "$path"
    expect_grep "refusing to replace $path: it is $kind, not a regular file" "$tmp/err" "-o $kind: message"
done
[ -L "$tmp/link" ] && [ "$(cat "$tmp/target")" = keep ] && ok || fail "the symlink or its target changed"
[ -p "$tmp/fifo" ] && [ -d "$tmp/adir" ] && ok || fail "the FIFO or the directory was replaced"
[ "$(id -u)" -ne 0 ] || { [ -c "$tmp/null" ] && ok || fail "the device node was replaced"; }

# Setuid and setgid copies refuse to run, before reading the file they are given.
if [ "$(id -u)" -eq 0 ] && command -v setpriv >/dev/null; then
    suid="$(mktemp -d /var/tmp/sockscope-suid-XXXXXX)"
    chmod 755 "$suid"
    cp "$bin" "$suid/sockscope"
    cp "$(dirname "$bin")/sockscope-lab" "$suid/sockscope-lab"
    echo 'root-only secret line' > "$suid/secret"
    chmod 600 "$suid/secret"
    for mode in 4755 2755; do
        chmod "$mode" "$suid/sockscope" "$suid/sockscope-lab"
        expect_rc 2 "mode $mode: sockscope refuses" setpriv --reuid=65534 --regid=65534 --clear-groups \
            "$suid/sockscope" export "$suid/secret" --format txt -o "$suid/out.txt"
        expect_grep "^sockscope: refusing to run with privileges its user does not have \(setuid or setgid" \
            "$tmp/err" "mode $mode: says why"
        grep -q secret "$tmp/err" "$tmp/out" && fail "mode $mode: the secret leaked" || ok
        [ ! -e "$suid/out.txt" ] && ok || fail "mode $mode: a file was written"
        expect_rc 2 "mode $mode: sockscope-lab refuses" setpriv --reuid=65534 --regid=65534 --clear-groups \
            "$suid/sockscope-lab"
        expect_grep "^sockscope-lab: refusing to run with privileges" "$tmp/err" "mode $mode: the lab says why"
    done
    rm -rf "$suid"
else
    echo "note: the setuid checks need root and setpriv (uid $(id -u)); they did not run"
fi

# uid_map refused after unshare (injected): an error in words, never "isolation: host".
SOCKSCOPE_TEST_FAULT=uid_map "$bin" run close-unread-data --json >"$tmp/out" 2>"$tmp/err"; rc=$?
[ "$rc" -ne 0 ] && ok || fail "half-made namespace: exit $rc, wanted non-zero"
expect_grep "writing uid_map/gid_map failed \(EINVAL: Invalid argument\) after the private namespace was made" \
    "$tmp/err" "half-made namespace: says what failed"
grep -q '"isolation":"host"' "$tmp/out" && fail "half-made namespace reported as isolation host" || ok

# A lab that sends a check for a step the scenario does not have: `run` reports it and does not abort.
fake="$(mktemp -d)"
cp "$bin" "$fake/sockscope"
cat > "$fake/sockscope-lab" <<FAKE
#!/bin/sh
read header
echo '$run'
echo '{"n":1,"t_ns":1,"kind":"check","step":99,"expected":"a","got":"b","ok":false}'
sleep 5
FAKE
chmod 755 "$fake/sockscope-lab"
"$fake/sockscope" run close-unread-data >"$tmp/out" 2>"$tmp/err"; rc=$?
[ "$rc" -ne 0 ] && [ "$rc" -lt 128 ] && ok || fail "fake lab, check step 99: exit $rc (wanted a failure, not a crash)"
grep -q "check event for step 99, but the scenario has 11 steps" "$tmp/out" "$tmp/err" && ok ||
    { fail "fake lab, check step 99: not reported"; sed 's/^/  | /' "$tmp/out" "$tmp/err" | head; }
rm -rf "$fake"

# Forged runs of a few MB, shapes that were quadratic: every text export and a PNG finish.
for kind in sockets pending socketcalls blocked signals; do
    python3 "$src/tests/fuzz/forge_runs.py" "$kind" 20000 "$tmp/$kind.sockrun"
    for f in txt mermaid plantuml; do
        expect_rc 0 "forged $kind: $f" timeout 120 "$bin" export "$tmp/$kind.sockrun" --format "$f" -o "$tmp/$kind.$f"
    done
done
# The window's model and layout: 20000 sockets make an image too large to write, which it says once laid out.
expect_rc 2 "forged sockets: png" timeout 120 "$bin" export "$tmp/sockets.sockrun" --format png -o "$tmp/sockets.png"
expect_grep "the image would be [0-9]+ x [0-9]+ pixels" "$tmp/err" "forged sockets: laid out, then refused as too large"

echo "$passes passed, $fails failed"
[ "$fails" -eq 0 ]
