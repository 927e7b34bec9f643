#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
# Writes the two big scenarios of the soak (scripts/soak.sh) into DIR:
#   backlog-1000.scn: 1000 non-blocking connects into a listener with backlog 0 that never accepts: one handshake
#     completes, 999 SYNs are dropped by the full queue and retransmitted together a second later (a burst for the
#     capture ring), then the run ends;
#   events-100k.scn: 8 connections, each sender with the smallest send buffer, so 4 MB go in small segments, each
#     ACKed: over 100,000 events, most of them packets.
# Usage: bigscenarios.py DIR
import sys

out = sys.argv[1]
HEAD = "title: {t}\ntopic: soak\nsummary: {s}\ntimeout: 5000\nactors: {a}\n\n"

lines = [HEAD.format(t="1000 connections into a full backlog",
                     s="999 of 1000 SYNs are dropped by a full accept queue and retransmitted together",
                     a="server client")]
lines += ["server  L = socket(v4)\n", "server  bind(L, 127.0.0.1:5000)\n", "server  listen(L, 0)\n"]
for i in range(1, 1001):
    lines.append(f"client  C{i} = socket(v4, nonblock)\n")
    lines.append(f"client  connect(C{i}, 127.0.0.1:5000)\n")
lines.append("server  wait(1500)\n")
open(f"{out}/backlog-1000.scn", "w").write("".join(lines))

PAIRS = 8
BYTES = 4 * 1024 * 1024
actors = " ".join(f"s{k} c{k}" for k in range(1, PAIRS + 1))
lines = [HEAD.format(t="over 100k events", s="8 bulk transfers in small segments", a=actors)]
for k in range(1, PAIRS + 1):
    lines += [f"s{k}  L{k} = socket(v4)\n", f"s{k}  bind(L{k}, 127.0.0.1:{5000 + k})\n", f"s{k}  listen(L{k}, 1)\n",
              f"c{k}  C{k} = socket(v4)\n", f"c{k}  setsockopt(C{k}, SO_SNDBUF, 1)\n",
              f"c{k}  connect(C{k}, 127.0.0.1:{5000 + k})\n", f"s{k}  A{k} = accept(L{k})\n"]
# Every sender at once; each blocks until its receiver has read enough.
lines += [f"c{k}  send(C{k}, {BYTES})" + (" &\n" if k < PAIRS else "\n") for k in range(1, PAIRS + 1)]
for _ in range(40):
    for k in range(1, PAIRS + 1):
        lines.append(f"s{k}  recv(A{k}, {BYTES})\n")
open(f"{out}/events-100k.scn", "w").write("".join(lines))
