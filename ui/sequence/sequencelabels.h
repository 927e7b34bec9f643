// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Brief: the short texts the sequence diagram writes (calls, results, segments, times) and the full event text
// of its tooltip. Built on demand for visible rows only; nothing is stored per event. The texts are core's
// (core/stream/eventtext.h), so the diagram reads like the log, the table and Mermaid.
// Thread-safety: pure functions.

#include "core/stream/event.h"

#include <QString>

namespace sockscope::ui {

class RunModel;

// core::callText: "connect(4, 127.0.0.1:5000)", "send(4, \"hello\", 5)", "close(5)".
QString callLabel(const core::SyscallInfo &call);
// core::resultText without the errno's description: "= 0", "= -1 ECONNRESET", "= 1 [EPOLLIN EPOLLHUP]".
QString resultLabel(const core::ReturnInfo &ret);
// core::segmentText: "RST ACK seq=1 ack=6", "PSH ACK seq=1 ack=1 len=5".
QString segmentLabel(const core::PacketInfo &p);
// core::relativeTimeText: "+0.000231" (seconds since run start, truncated to the microsecond).
QString relativeTime(qint64 tNs);
// "10.0 ms", "250 us": a duration for gap markers and blocked spans.
QString durationText(qint64 ns);
// Every field of the event, one per line, plus the paired call or return. With reveal on (revealLimit >= 0,
// RevealRule) a return not revealed yet and the step's expected result are left out.
QString eventDetails(const RunModel &run, int eventIndex, int revealLimit = -1);

} // namespace sockscope::ui
