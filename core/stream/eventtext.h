// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Brief: the one text of each fact an event shows (relative time, segment, call, result), so that the log,
// Mermaid/PlantUML, the event table, the sequence diagram and the narrative all read the same.
// Thread-safety: pure functions.

#include "core/stream/event.h"

#include <cstdint>
#include <string>

namespace sockscope::core {

// "+0.045599": seconds since the run's start, TRUNCATED to the microsecond like strace -r, so a time never
// reads later than the event it stamps; a negative time (cannot happen on one clock) reads "+0.000000".
std::string relativeTimeText(std::int64_t tNs);

// "RST ACK seq=1 ack=11", "PSH ACK seq=1 ack=1 len=10": ack only with ACK set (without it the field means
// nothing), len only for a segment that carries data. The window is not part of it.
std::string segmentText(const PacketInfo &p);
// "client.1 -> server.1  SYN seq=0": the segment between its two ends (socket names, or addresses for an end
// no socket owns).
std::string packetText(const PacketInfo &p);

// "send(3, \"hi\", 5, MSG_NOSIGNAL)": fd first (unless an argument repeats it), symbols, numbers and addresses
// bare, user text quoted, escaped and cut after 32 bytes ("..."), as strace prints them.
std::string callText(const SyscallInfo &call);
// The end of an actor's process, from its exit call's return (data: the fds closed): "server exited: the kernel
// closed fds 3, 5 and 7", "client was killed by SIGPIPE: the kernel closed fd 4".
std::string exitText(const std::string &actor, const std::string &reason, const ReturnInfo &result);

enum class ErrnoText
{
    Hide, // "= -1 ECONNRESET": for labels with little room (diagram, Mermaid)
    Show  // "= -1 ECONNRESET (Connection reset by peer)": for listings (log, table)
};
// "= 1 [POLLIN POLLHUP]", "= -1 ECONNRESET", with the errno's description when asked for.
std::string resultText(const ReturnInfo &result, ErrnoText withText);

// "800 ms", "59.9 s": a timer's time left, ms below 10 s, tenths of a second above.
std::string timerDurationText(std::int64_t ms);
// "timewait timer restarted: 59.9 s left (+212 ms)", "retransmit timer backoff: retransmission 2, next in 800 ms",
// "keepalive timer armed: 1000 ms left", "retransmit timer stopped": a timer event without its socket.
std::string timerText(const TimerInfo &t);
// The diagram's short label of a restart or a backoff beside the socket's lifeline: "restart 59.9 s",
// "retx 2, next 800 ms", "probe 1, next 75.0 s".
std::string timerMarkText(const TimerInfo &t);

// The run's kernel settings, "net.ipv4.tcp_fin_timeout=5 net.core.somaxconn=16" ("" when it set none): the CLI
// header, the window's status bar and the export caption all show this.
std::string sysctlText(const RunInfo &run);

} // namespace sockscope::core
