#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Writes valid but hostile run files whose shape once made a reader quadratic.

Usage: forge_runs.py KIND N OUT.sockrun   (KIND: sockets, pending, socketcalls, blocked, signals, all)
Every file passes the run-file checks (n increasing, times never decreasing, names well formed), so a slow
export or Open is a cost of the shape, not of an error path. N is the number of repeated units (a few MB at
N = 20000).
"""
import json
import sys

HEADER = {"sockscope_run": 1, "saved": "2026-01-01T00:00:00Z", "scenario_name": "forged",
          "scenario_path": "forged.scn", "scenario_source": ""}


def run_event():
    return {"kind": "run", "version": 1, "scenario": "forged", "title": "forged", "kernel": "k",
            "isolation": "netns", "capture": True}


def sockets(n):
    # Sockets of 1000 actors in turns: each new socket belongs in the middle of the row list.
    for i in range(n):
        a = f"a{i % 1000}"
        yield {"kind": "socket", "sock": f"{a}.{i}", "actor": a, "role": "connect", "fd": 3,
               "local": None, "remote": None}


def pending(n):
    # Calls that never return, each followed by a step: every step flushed every earlier call.
    for i in range(n):
        yield {"kind": "syscall", "id": i, "step": i % 9000, "actor": "a", "call": "recv", "fd": 3,
               "sock": None, "args": {}}
        yield {"kind": "step", "step": i % 9000, "actor": "a", "text": "a recv(S, 1)", "line": 1}


def socketcalls(n):
    # socket() calls with no socket event after them: each one scanned the rest of the run.
    for i in range(n):
        yield {"kind": "syscall", "id": i, "step": 0, "actor": "a", "call": "socket", "fd": -1,
               "sock": None, "args": {"family": "v4"}}


def blocked(n):
    # Every call blocks across every later step: each return was checked against the steps in between.
    for i in range(n):
        yield {"kind": "syscall", "id": i, "step": 0, "actor": "a", "call": "recv", "fd": 3, "sock": None,
               "args": {}}
    for i in range(n):
        yield {"kind": "step", "step": i % 9000, "actor": "a", "text": "a sleep(1)", "line": 1}
    for i in range(n):
        yield {"kind": "return", "id": i, "ret": 0, "errno": None, "dur_ns": 1}


def signals(n):
    # Many sockets, then signals of an actor that owns none: each searched every socket.
    for i in range(n):
        yield {"kind": "queue", "sock": f"s{i % 1000}.{i}", "recv_q": 0, "send_q": 0}
    for i in range(n):
        yield {"kind": "signal", "actor": "lonely", "signal": "SIGPIPE", "during": -1}


KINDS = {"sockets": sockets, "pending": pending, "socketcalls": socketcalls, "blocked": blocked,
         "signals": signals}


def main():
    kind, n, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    gens = list(KINDS.values()) if kind == "all" else [KINDS[kind]]
    with open(out, "w") as f:
        f.write(json.dumps(HEADER, separators=(",", ":")) + "\n")
        events = [run_event()]
        for g in gens:
            events.extend(g(n))
        events.append({"kind": "end", "ok": True, "duration_ns": 1, "packets": 0, "drops": 0})
        for i, e in enumerate(events):
            f.write(json.dumps({"n": i, "t_ns": 0, **e}, separators=(",", ":")) + "\n")


if __name__ == "__main__":
    main()
