#!/usr/bin/env bash
# sockscope export: every format for several built-ins, read back (PNG size and pixels, SVG arrows and labels,
# PDF header and pages, pcapng through tshark, Mermaid/PlantUML messages, run files round-tripped event for
# event, also from a fresh process); usage errors and bad input exit 2 with file:line:column and never touch an
# existing output file; --log; the headless `open`. Usage: test_export.sh SOCKSCOPE SOURCE_DIR
set -u
bin="$(realpath "$1")"; src="$2"; fx="$src/tests/fixtures"
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
check_py() { # description python-args... (script on stdin)
    local what="$1"; shift
    if python3 - "$@" >"$tmp/py" 2>&1; then ok; else fail "$what"; sed 's/^/  | /' "$tmp/py" | tail -15; fi
}

for s in close-unread-data simultaneous-close backlog-full reset-before-accept; do
    d="$tmp/$s"; mkdir -p "$d"
    expect_rc 0 "$s: export run" "$bin" export "$s" --format run -o "$d/run.sockrun"
    expect_grep "^\{\"sockscope_run\": ?1" "$d/run.sockrun" "$s: run file header"
    # Everything else from the saved run, in fresh processes: the run survives a restart.
    expect_rc 0 "$s: png"      "$bin" export "$d/run.sockrun" --view figure --format png --width 1400 -o "$d/fig.png"
    expect_rc 0 "$s: png scale" "$bin" export "$d/run.sockrun" --view timeline --format png --scale 2 -o "$d/tl.png"
    expect_rc 0 "$s: svg"      "$bin" export "$d/run.sockrun" --view sequence --format svg -o "$d/seq.svg"
    expect_rc 0 "$s: svg fig"  "$bin" export "$d/run.sockrun" --format svg --theme dark -o "$d/fig.svg"
    expect_rc 0 "$s: pdf"      "$bin" export "$d/run.sockrun" --view figure --format pdf -o "$d/fig.pdf"
    expect_rc 0 "$s: pcapng"   "$bin" export "$d/run.sockrun" --format pcapng -o "$d/cap.pcapng"
    expect_rc 0 "$s: json"     "$bin" export "$d/run.sockrun" --format json -o "$d/events.jsonl"
    expect_rc 0 "$s: txt"      "$bin" export "$d/run.sockrun" --format txt -o "$d/log.txt"
    expect_rc 0 "$s: mermaid"  "$bin" export "$d/run.sockrun" --format mermaid -o "$d/seq.mmd"
    expect_rc 0 "$s: plantuml" "$bin" export "$d/run.sockrun" --format plantuml -o "$d/seq.puml"
    expect_rc 0 "$s: run again" "$bin" export "$d/run.sockrun" --format run -o "$d/again.sockrun"
    expect_grep "^\+[0-9.]+ +(client|server)" "$d/log.txt" "$s: log lines"

    check_py "$s: read back" "$d" <<'PY'
import json, re, struct, sys, zlib, subprocess, shutil, xml.etree.ElementTree as ET
d = sys.argv[1]
run = open(f"{d}/run.sockrun").read().splitlines()
events = [json.loads(l) for l in run[1:]]
packets = [e for e in events if e["kind"] == "packet"]
calls = [e for e in events if e["kind"] == "syscall"]
assert packets and calls, "the run has segments and calls"
# JSON Lines export and a second run file: the same events, line for line.
assert open(f"{d}/events.jsonl").read().splitlines() == run[1:], "json export == run file events"
again = open(f"{d}/again.sockrun").read().splitlines()
assert again[1:] == run[1:], "run file round trip, event for event"
assert json.loads(again[0])["scenario_source"] == json.loads(run[0])["scenario_source"]
# PNG: the asked width, the figure's height, and real drawing (many distinct pixel bytes).
def png(path):
    b = open(path, "rb").read()
    assert b[:8] == b"\x89PNG\r\n\x1a\n", path
    w, h = struct.unpack(">II", b[16:24])
    idat, i = b"", 8
    while i < len(b):
        n, t = struct.unpack(">I4s", b[i:i+8]); 
        if t == b"IDAT": idat += b[i+8:i+8+n]
        i += 12 + n
    raw = zlib.decompress(idat)
    return w, h, len(set(raw))
w, h, distinct = png(f"{d}/fig.png")
assert w == 1400 and h > 400, (w, h)
assert distinct > 20, f"figure looks blank ({distinct} distinct bytes)"
w2, h2, distinct2 = png(f"{d}/tl.png")
assert w2 >= 1200 and h2 > 100 and distinct2 > 10, (w2, h2, distinct2)
# SVG: one arrow (a shaft pen with the painter's miter limit) per segment, one label per syscall.
def svg(path):
    root = ET.parse(path).getroot()
    ns = "{http://www.w3.org/2000/svg}"
    arrows = sum(len([c for c in g if c.tag in (ns+"polyline", ns+"path", ns+"line")])
                 for g in root.iter(ns+"g") if g.get("stroke-miterlimit") == "3.25")
    texts = ["".join(t.itertext()) for t in root.iter(ns+"text")]
    return arrows, texts
arrows, texts = svg(f"{d}/seq.svg")
assert arrows == len(packets), f"{arrows} arrows for {len(packets)} segments"
labels = [t for t in texts if re.match(r"[a-z_0-9]+\(", t)]
assert len(labels) == len(calls), f"{len(labels)} call labels for {len(calls)} syscalls: {labels}"
assert sorted(l.split("(")[0] for l in labels) == sorted(c["call"] for c in calls)
arrows, texts = svg(f"{d}/fig.svg")
assert arrows == len(packets), "figure: same arrows"
assert any("state timelines" in t.lower() for t in texts), "figure has the timelines"
# PDF: header, pages (pdfinfo when present agrees).
pdf = open(f"{d}/fig.pdf", "rb").read()
assert pdf.startswith(b"%PDF-"), "pdf header"
pages = len(re.findall(rb"/Type\s*/Page\b(?!s)", pdf))
assert pages >= 1, "pdf pages"
if shutil.which("pdfinfo"):
    info = subprocess.run(["pdfinfo", f"{d}/fig.pdf"], capture_output=True, text=True).stdout
    assert re.search(rf"^Pages:\s+{pages}$", info, re.M), info
print(f"pages={pages}")
# pcapng through tshark: the same segments, in order, with the same flags.
out = subprocess.run(["tshark", "-r", f"{d}/cap.pcapng", "-T", "fields", "-e", "tcp.flags"],
                     capture_output=True, text=True, check=True).stdout.split()
bits = {"FIN": 1, "SYN": 2, "RST": 4, "PSH": 8, "ACK": 16, "URG": 32}
want = [sum(bits[f] for f in p["flags"]) for p in packets if p.get("hdr")]
assert len(want) == len(packets), "every segment captured with its headers"
assert [int(x, 16) for x in out] == want, f"tshark {out} vs {want}"
# Mermaid / PlantUML: one message per segment.
mmd = [l for l in open(f"{d}/seq.mmd").read().splitlines() if re.search(r"(->>|--\)|-x|-\)|->)", l) and ":" in l and not l.strip().startswith("Note")]
assert len(mmd) == len(packets), f"mermaid {len(mmd)} messages for {len(packets)} segments"
puml = [l for l in open(f"{d}/seq.puml").read().splitlines() if re.search(r"\S\s*-+>>?x?\s*\S|\S\s*-+>?x\s*\S", l) and ":" in l and not l.lstrip().startswith("note")]
assert len(puml) == len(packets), f"plantuml {len(puml)} messages for {len(packets)} segments"
PY
    cat "$tmp/py" | grep -q pages= && echo "$s: $(grep pages= "$tmp/py")"
done

# pcapng in tshark: every call with its result, the signals and the state changes listed beside the segments (as
# frame comments and as frames Wireshark lists), and the payload bytes, so Follow TCP Stream shows the data.
expect_rc 0 "pcapng of three-way-handshake" "$bin" export three-way-handshake --format pcapng -o "$tmp/hs.pcapng"
tshark -r "$tmp/hs.pcapng" -T fields -e frame.comment >"$tmp/comments" 2>"$tmp/err"
expect_grep '^client: connect\([0-9]+, 127\.0\.0\.1:5000\) = 0$' "$tmp/comments" "pcapng: connect with its result"
expect_grep '^client: send\([0-9]+, "hello", 5\) = 5$' "$tmp/comments" "pcapng: send with its result"
expect_grep '^server: close\([0-9]+\) = 0$' "$tmp/comments" "pcapng: close"
expect_grep '^client\.1: SYN_SENT -> ESTABLISHED$' "$tmp/comments" "pcapng: state change"
expect_grep '^client\.1 -> server\.1$' "$tmp/comments" "pcapng: segments still commented from -> to"
tshark -r "$tmp/hs.pcapng" >"$tmp/list" 2>"$tmp/err"
expect_grep 'Syslog .*client: send\([0-9]+, "hello", 5\) = 5' "$tmp/list" "pcapng: Wireshark lists the call in the Info column"
# In the list, connect() comes before the handshake it caused, accept() after it (accept sends nothing).
python3 - "$tmp/list" <<'PY' >"$tmp/py" 2>&1 && ok || { fail "pcapng: connect, handshake, accept in order"; sed 's/^/  | /' "$tmp/py"; }
import re, sys
lines = open(sys.argv[1]).read().splitlines()
at = lambda pat: next(i for i, l in enumerate(lines) if re.search(pat, l))
start, syn, ack, end = at(r"connect\(.*\) = 0"), at(r"\[SYN\]"), at(r"\[ACK\] Seq=1 Ack=1 "), at(r"accept\(.*\) = ")
assert start < syn < ack < end, (start, syn, ack, end, lines)
PY
tshark -r "$tmp/hs.pcapng" -V >"$tmp/verbose" 2>"$tmp/err"
expect_grep '^Packet comments' "$tmp/verbose" "pcapng: tshark -V shows the comments"
tshark -r "$tmp/hs.pcapng" -q -z follow,tcp,ascii,0 >"$tmp/follow" 2>"$tmp/err"
expect_grep '^hello$' "$tmp/follow" "pcapng: Follow TCP Stream shows the bytes sent"
expect_grep '^Node 0: 127\.0\.0\.1:[0-9]+$' "$tmp/follow" "pcapng: Follow TCP Stream names the ends"

# A scenario straight to an image, with the log on stdout.
expect_rc 0 "scenario to svg with --log" "$bin" export close-unread-data --view sequence --format svg -o "$tmp/direct.svg" --log
expect_grep "server\.1 -> client\.1 +RST ACK" "$tmp/out" "--log prints the log"
expect_grep "wrote .*direct.svg" "$tmp/err" "says what it wrote"
# The format follows the extension when --format is left out.
expect_rc 0 "format from extension" "$bin" export "$tmp/close-unread-data/run.sockrun" -o "$tmp/auto.mmd"
expect_grep "^sequenceDiagram" "$tmp/auto.mmd" "mermaid from .mmd"
# An expectation that fails: the file is still written, exit 1, and it says so.
expect_rc 1 "failed expectation" "$bin" export "$fx/wrong-expectation.scn" --format png -o "$tmp/wrong.png"
[ -s "$tmp/wrong.png" ] && ok || fail "figure written although an expectation failed"
expect_grep "expectation was NOT met" "$tmp/err" "says the expectation failed"

# Usage errors: exit 2, and an existing output is never touched.
echo "precious" > "$tmp/keep.png"
expect_rc 2 "unknown option" "$bin" export close-unread-data --format png -o "$tmp/keep.png" --colour
expect_grep "unknown option '--colour'" "$tmp/err" "unknown option message"
expect_rc 2 "unknown format" "$bin" export close-unread-data --format gif -o "$tmp/keep.png"
expect_grep "unknown format 'gif'" "$tmp/err" "unknown format message"
expect_rc 2 "unknown view" "$bin" export close-unread-data --view table --format png -o "$tmp/keep.png"
expect_rc 2 "missing -o" "$bin" export close-unread-data --format png
expect_grep "needs -o FILE" "$tmp/err" "missing -o message"
expect_rc 2 "bad width" "$bin" export close-unread-data --format png --width wide -o "$tmp/keep.png"
expect_rc 2 "zero width" "$bin" export close-unread-data --format png --width 0 -o "$tmp/keep.png"
expect_rc 2 "bad scale" "$bin" export close-unread-data --format png --scale -1 -o "$tmp/keep.png"
expect_rc 2 "bad theme" "$bin" export close-unread-data --format png --theme pink -o "$tmp/keep.png"
expect_rc 2 "no input" "$bin" export --format png -o "$tmp/keep.png"
# Bad input: file:line:column.
expect_rc 2 "malformed scenario" "$bin" export "$fx/malformed.scn" --format png -o "$tmp/keep.png"
expect_grep "malformed.scn:7:17: error:" "$tmp/err" "scenario error with line:column"
head -3 "$tmp/close-unread-data/run.sockrun" > "$tmp/truncated.sockrun"
expect_rc 2 "truncated run file" "$bin" export "$tmp/truncated.sockrun" --format svg -o "$tmp/keep.png"
expect_grep "truncated.sockrun:[0-9]+:[0-9]+: error: " "$tmp/err" "truncated run file: file:line:col"
{ head -4 "$tmp/close-unread-data/run.sockrun"; echo '{"n": 4, "t_ns": 1, "kind": "packet", "from": 7}'; } > "$tmp/broken.sockrun"
expect_rc 2 "malformed run file" "$bin" export "$tmp/broken.sockrun" --format json -o "$tmp/keep.png"
expect_grep "broken.sockrun:5:[0-9]+: error: " "$tmp/err" "malformed run file: file:line:col"
expect_rc 2 "missing run file" "$bin" export "$tmp/none.sockrun" --format png -o "$tmp/keep.png"
expect_grep "none.sockrun" "$tmp/err" "missing run file named"
expect_rc 2 "unwritable output" "$bin" export "$tmp/close-unread-data/run.sockrun" --format png -o "$tmp/no/such/dir/x.png"
[ "$(cat "$tmp/keep.png")" = "precious" ] && ok || fail "an existing output file was touched by a failed export"
[ -z "$(ls -A "$tmp" | grep '^\.keep')" ] && ok || fail "a temporary file was left behind"

# No display at all: `open` writes nothing unasked and says how to export; --headless-export (what
# scripts/run.sh passes) runs it headless and leaves the figure where it was asked.
mkdir -p "$tmp/headless" # (a directory named like the built-in would be taken for a file)
( cd "$tmp/headless" && env -u DISPLAY -u WAYLAND_DISPLAY -u QT_QPA_PLATFORM "$bin" open close-unread-data >"$tmp/out" 2>"$tmp/err" ); rc=$?
[ "$rc" -eq 2 ] && ok || { fail "headless open without --headless-export: exit $rc, wanted 2"; sed 's/^/  | /' "$tmp/err" | head; }
[ -z "$(ls -A "$tmp/headless")" ] && ok || fail "headless open wrote $(ls -A "$tmp/headless") unasked"
expect_grep "use 'sockscope export close-unread-data -o fig.png'" "$tmp/err" "headless open says how to export"
( cd "$tmp/headless" && env -u DISPLAY -u WAYLAND_DISPLAY -u QT_QPA_PLATFORM "$bin" open --headless-export fig.png close-unread-data >"$tmp/out" 2>"$tmp/err" ); rc=$?
[ "$rc" -eq 0 ] && ok || { fail "headless open --headless-export: exit $rc"; sed 's/^/  | /' "$tmp/err" | head; }
[ -s "$tmp/headless/fig.png" ] && ok || fail "headless open --headless-export wrote no figure"
expect_grep "RST ACK" "$tmp/out" "headless open prints the log"
expect_grep "figure written to $tmp/headless/fig.png" "$tmp/err" "headless open says where the figure is"

echo "$passes passed, $fails failed"
[ "$fails" -eq 0 ]
