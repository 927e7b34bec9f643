#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
# Shrinks a failing differential scenario to the fewest steps that still fail with the same kind of failure
# (the failure text with socket names, addresses and event numbers masked). Greedy: drop chunks of steps, then
# single steps, while the signature still appears; each try is one real run on the kernel.
# Usage: differential-minimize.py TOOL IN.scn OUT.scn [SIGNATURE-REGEX]
import re, subprocess, sys, tempfile, os

tool, src, dst = sys.argv[1], sys.argv[2], sys.argv[3]
text = open(src).read().splitlines()
head = [l for l in text if not l.startswith("#") and re.match(r"^[a-z]+:", l)]
steps = [l for l in text if l and not l.startswith("#") and not re.match(r"^[a-z]+:", l)]

def mask(f):
    f = re.sub(r"\(n=\d+\)", "", f)
    f = re.sub(r"\[::1\]:\d+|127\.0\.0\.\d+:\d+", "ADDR", f)
    f = re.sub(r"\b[a-z]+\.(\d+|listen\d*)\b", "SOCK", f)
    return f.strip()

def failures(lines):
    # A trailing '&' with nothing after it is a parse error: drop it.
    lines = list(lines)
    if lines and lines[-1].rstrip().endswith("&"):
        return None
    with tempfile.NamedTemporaryFile("w", suffix=".scn", delete=False) as f:
        f.write("\n".join(head + [""] + lines) + "\n")
        path = f.name
    try:
        out = subprocess.run([tool, "--check", path], capture_output=True, text=True, timeout=60).stdout
    except subprocess.TimeoutExpired:
        return None
    finally:
        os.unlink(path)
    fs = [l.strip() for l in out.splitlines()[1:]]
    if any("invalid scenario" in l for l in fs):
        return None
    return {mask(l) for l in fs}

first = failures(steps)
if not first:
    sys.exit("does not fail")
want = re.compile(sys.argv[4]) if len(sys.argv) > 4 else None
target = sorted(s for s in first if not want or want.search(s))[0]
print("keeping:", target, file=sys.stderr)

def still(lines):
    fs = failures(lines)
    return fs is not None and any(s == target for s in fs)

chunk = max(1, len(steps) // 2)
while chunk >= 1:
    i = 0
    changed = False
    while i < len(steps):
        trial = steps[:i] + steps[i + chunk:]
        if trial and still(trial):
            steps = trial
            changed = True
        else:
            i += chunk
    if not changed:
        chunk //= 2
# Comments on the failure, then the scenario.
final = failures(steps) or set()
with open(dst, "w") as f:
    f.write(f"# Minimised from {os.path.basename(src)}; fails with: {target}\n")
    for h in head:
        f.write(h + "\n")
    f.write("\n" + "\n".join(steps) + "\n")
print(dst, len(steps), "steps", file=sys.stderr)
