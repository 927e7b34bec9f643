// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Plain-language texts for students: why an errno, why a RST, what a TCP state or a signal means.
// Pure functions over values, so tests check them without a window.

#include "core/stream/event.h"

#include <QString>

#include <span>

namespace sockscope::ui {

// Why a call failed with this errno ("ECONNRESET"); call is the syscall name ("recv"), may be empty.
// Empty for an errno we have no text for.
QString errnoExplanation(const QString &err, const QString &call = {});

// What a TCP state means, in one or two sentences.
QString stateExplanation(core::TcpState state);

// What a signal means and what its default action is ("SIGPIPE").
QString signalExplanation(const QString &signal);

enum class RstCause
{
    Unknown,
    ConnectionRefused,     // SYN to a port nobody listens on
    ClosedWithUnreadData,  // close() while the receive queue still held bytes
    LingerZero,            // SO_LINGER {on, 0} then close(): abortive close
    SegmentToClosedSocket, // data or FIN reached a socket that was already closed
    Disconnected,          // connect(AF_UNSPEC) on a connected socket
};

QString rstCauseExplanation(RstCause cause);

// Classifies the RST at events[index] from what came before it in the stream.
RstCause classifyRst(std::span<const core::Event> events, std::size_t index);

// The whole explanation of one event (the cursor event) in the context of the stream, as HTML
// paragraphs; empty when there is nothing to explain.
QString explainEvent(std::span<const core::Event> events, std::size_t index);

} // namespace sockscope::ui
