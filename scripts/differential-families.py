#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
# Sorts failing differential scenarios into families by the steps they contain (best on minimised ones, where
# only the steps the failure needs are left) and prints a count per family with the seeds.
# Usage: differential-families.py FILE.scn...
import collections, re, sys

FAMILIES = [  # (family, regex on the scenario's steps), first match wins; ordered by the minimised reproducers
    ("self-connect", r"bind\(S\d+"),
    ("shutdown on a listener", r"shutdown\(L\d+"),
    ("several connects on one socket (refused, then again)", r"connect\(C\d+, [^)]*:510\d\)"),
    ("failed listen() renames a connected socket", r"listen\(C\d+"),
    ("connect() on a bound listener socket (a self-connect)", r"connect\(L\d+"),
    ("client bound to a fixed port (peer never named; TIME_WAIT 4-tuple reuse)", r"bind\(C\d+, [^)]*:60\d\d\)"),
    ("close()/shutdown() behind unsent data, lingering close", r"send\((C|A)\d+, (20000|70000|300000)|SO_LINGER, 1, 1"),
    ("abortive close (SO_LINGER 0)", r"SO_LINGER, 1, 0"),
    ("failed bind() on a connected socket", r"bind\(C\d+, [^)]*:500\d\)"),
    ("listener closed with connections queued", r"close\(L\d+"),
    ("simultaneous close", r"&$"),
    ("half close / shutdown", r"shutdown\((C|A)\d+"),
]

def family(text):
    steps = "\n".join(l for l in text.splitlines() if l and not l.startswith("#") and not re.match(r"^[a-z]+:", l))
    for name, rx in FAMILIES:
        if re.search(rx, steps, re.M):
            return name
    return "other"

groups = collections.defaultdict(list)
for path in sys.argv[1:]:
    m = re.search(r"seed-(\d+)", path)
    groups[family(open(path).read())].append(int(m.group(1)) if m else path)
for name, seeds in sorted(groups.items(), key=lambda kv: -len(kv[1])):
    print(f"{len(seeds):5d}  {name}: {' '.join(str(s) for s in sorted(seeds, key=str)[:40])}{' ...' if len(seeds) > 40 else ''}")
