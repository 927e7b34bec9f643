#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
# Writes the two big scenarios of the soak (scripts/soak.sh) into DIR:
#   backlog-1000.scn: 1000 non-blocking connects into a listener with backlog 0 that never accepts: one handshake
#     completes, 999 SYNs are dropped by the full queue and retransmitted together a second later (a burst for the
#     capture ring), then the run ends;
#   events-100k.scn: 4 connections, each alternating a non-blocking send of 16 MB and a non-blocking recv of
#     16 MB, 330 times: 2,664 steps (a step writes about 6 events of its own, and the parser allows 10,000
#     steps), so most of the 100,000 events are the kernel's: about 40 full-size loopback segments and their
#     ACKs and queue samples per round.
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

PAIRS = 4
ROUNDS = 330
actors = " ".join(f"s{k} c{k}" for k in range(1, PAIRS + 1))
lines = [HEAD.format(t="over 100k events", s="4 bulk transfers, never blocking, each step moving megabytes", a=actors)]
for k in range(1, PAIRS + 1):
    lines += [f"s{k}  L{k} = socket(v4)\n", f"s{k}  bind(L{k}, 127.0.0.1:{5000 + k})\n", f"s{k}  listen(L{k}, 1)\n",
              f"c{k}  C{k} = socket(v4)\n", f"c{k}  connect(C{k}, 127.0.0.1:{5000 + k})\n", f"s{k}  A{k} = accept(L{k})\n"]
# Neither side ever blocks, so no step can outlast its timeout however the kernel paces the data; the kernel
# carries on between the steps, as far as the send buffer and the receive window allow.
for _ in range(ROUNDS):
    for k in range(1, PAIRS + 1):
        lines.append(f"c{k}  send(C{k}, 16777216, MSG_DONTWAIT)\n")
        lines.append(f"s{k}  recv(A{k}, 16777216, MSG_DONTWAIT)\n")
open(f"{out}/events-100k.scn", "w").write("".join(lines))
