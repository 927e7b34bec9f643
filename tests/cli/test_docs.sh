#!/usr/bin/env bash
# Every sockscope command the docs show works as shown. From README.md and docs/*.md it takes the code blocks
# marked ```sh (each line a command) and, in any code block, the lines starting with "$ " (a prompt); of those
# it runs, in document order, in one temporary directory per document, every command that starts with
# `sockscope` (or build/app/sockscope), also inside a `for ...; do ...; done` line. A block preceded by
# <!-- file: NAME --> is written to NAME first (the scenarios the docs tell the reader to save). A command
# ending in `# exit N` must exit N, any other 0. Skipped, and listed with the reason: commands with a
# placeholder (an all-capitals word such as NAME or FILE) and those that open the window. The complete
# example of docs/scenario-format.md must be among the files and run with every expectation met.
# Usage: test_docs.sh SOCKSCOPE SOURCE_DIR
set -u
bin="$(realpath "$1")"; src="$(realpath "$2")"
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

python3 - "$src" "$tmp/plan" <<'PY'
import glob, os, re, sys
src, plan = sys.argv[1], sys.argv[2]
docs = [os.path.join(src, "README.md")] + sorted(glob.glob(os.path.join(src, "docs", "*.md")))
with open(plan, "w") as out:
    for path in docs:
        rel = os.path.relpath(path, src)
        lines = open(path, encoding="utf-8").read().split("\n")
        i, pending_file = 0, None
        while i < len(lines):
            m = re.match(r"<!-- file: (\S+) -->", lines[i])
            if m:
                pending_file = m.group(1)
            if not lines[i].startswith("```"):
                i += 1
                continue
            lang, start = lines[i][3:].strip(), i + 1
            end = start
            while end < len(lines) and not lines[end].startswith("```"):
                end += 1
            body = lines[start:end]
            if pending_file:
                os.makedirs(os.path.join(plan + ".files", rel), exist_ok=True)
                with open(os.path.join(plan + ".files", rel, pending_file), "w") as f:
                    f.write("\n".join(body) + "\n")
                out.write(f"file\t{rel}\t{start}\t0\t{pending_file}\n")
                pending_file = None
            for n, line in enumerate(body, start + 1):
                if line.startswith("$ "):
                    cmd = line[2:]
                elif lang == "sh":
                    cmd = line
                else:
                    continue
                cmd = cmd.strip()
                words = re.sub(r"^for .*?; do ", "", cmd).split()
                if not words or os.path.basename(words[0]) != "sockscope":
                    continue
                want = 0
                m = re.search(r"#\s*exit (\d+)\s*$", cmd)
                if m:
                    want = int(m.group(1))
                cmd = re.sub(r"\s+#.*$", "", cmd)
                if re.search(r"\b[A-Z]{3,}\b", cmd):
                    out.write(f"skip\t{rel}\t{n}\tplaceholder\t{cmd}\n")
                elif len(words) == 1 or words[1] == "open":
                    out.write(f"skip\t{rel}\t{n}\topens the window\t{cmd}\n")
                else:
                    out.write(f"run\t{rel}\t{n}\t{want}\t{cmd}\n")
            i = end + 1
PY

# The docs' commands name the program `sockscope` (installed) or build/app/sockscope (built); both are ours.
mkdir -p "$tmp/bin"; ln -s "$bin" "$tmp/bin/sockscope"
ran=0; skipped=0; example_ran=0
while IFS=$'\t' read -r what doc line arg cmd; do
    dir="$tmp/run/$doc"; mkdir -p "$dir/docs/figures" "$dir/build/app"
    [ -e "$dir/build/app/sockscope" ] || ln -s "$bin" "$dir/build/app/sockscope"
    case "$what" in
    file) cp "$tmp/plan.files/$doc/$cmd" "$dir/$cmd" ;;
    skip) echo "skipped $doc:$line ($arg): $cmd"; skipped=$((skipped+1)) ;;
    run)
        ( cd "$dir" && PATH="$tmp/bin:$PATH" timeout 120 bash -c "$cmd" ) >"$tmp/out" 2>"$tmp/err" </dev/null
        rc=$?
        if [ "$rc" -eq "$arg" ]; then ok; else
            fail "$doc:$line: \`$cmd\` exited $rc, wanted $arg"; sed 's/^/  | /' "$tmp/out" "$tmp/err" | tail -15
        fi
        ran=$((ran+1))
        if [ "$doc" = docs/scenario-format.md ] && [[ "$cmd" == *"run close-rst.scn"* ]]; then
            example_ran=1
            expect_grep "^# end: ok" "$tmp/out" "the complete example's run ends ok"
            grep -q "CHECK FAILED" "$tmp/out" && fail "the complete example has an expectation that failed" || ok
        fi
        ;;
    esac
done < "$tmp/plan"

# The complete example is the first code block after its heading, and the docs run it.
grep -q "^file	docs/scenario-format.md	.*	close-rst.scn$" "$tmp/plan" && ok \
    || fail "docs/scenario-format.md: the complete example is not marked <!-- file: close-rst.scn -->"
example=$(awk '/^## A complete example/ {h = 1; next} h && /^```/ {if (inside) exit; inside = 1; next} inside' \
    "$src/docs/scenario-format.md")
[ "$example" = "$(cat "$tmp/plan.files/docs/scenario-format.md/close-rst.scn" 2>/dev/null)" ] && ok \
    || fail "the file the test runs is not the complete example"
[ "$example_ran" -eq 1 ] && ok || fail "no doc command runs the complete example (sockscope run close-rst.scn)"
[ "$ran" -ge 20 ] && ok || fail "only $ran doc commands found: did the markers change?"

echo "$ran commands run, $skipped skipped"
echo "$passes passed, $fails failed"
[ "$fails" -eq 0 ]
