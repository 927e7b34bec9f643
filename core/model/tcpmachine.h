// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Brief: the RFC 9293 state machine of one socket, driven by the segments it sends and receives and by the
// calls made on it. Used to derive the microsecond-long states that polling misses.
// Thread-safety: a plain value; no shared state.

#include "core/stream/event.h"

#include <cstdint>
#include <optional>

namespace sockscope::core {

// The flag bits as they appear in a TCP header's flag byte (raw records carry that byte).
inline constexpr std::uint8_t kTcpFin = static_cast<std::uint8_t>(SegmentFlag::Fin);
inline constexpr std::uint8_t kTcpSyn = static_cast<std::uint8_t>(SegmentFlag::Syn);
inline constexpr std::uint8_t kTcpRst = static_cast<std::uint8_t>(SegmentFlag::Rst);
inline constexpr std::uint8_t kTcpAck = static_cast<std::uint8_t>(SegmentFlag::Ack);

enum class MachineCall
{
    Listen,
    Close,
    ShutdownRead,  // shutdown(SHUT_RD or SHUT_RDWR) that returned 0
    ShutdownWrite, // shutdown(SHUT_WR) that returned 0
    // close() or shutdown(SHUT_WR/RDWR) of a synchronised socket that returned (or blocks) before its FIN
    // left: the kernel changes the state at the call and sends the FIN once the data queued before it is out.
    FinQueued,
    // A new connect() sent its SYN on this socket's 4-tuple: the kernel let it take the tuple from the
    // TIME_WAIT minisocket (an orphan in FIN_WAIT_2 is one too) and killed that (__inet_check_established).
    TupleTaken,
    // connect(AF_UNSPEC) returned 0: tcp_disconnect() ended the connection (a RST went to a synchronised peer).
    Disconnect,
    // A timer ended the connection without a segment: retransmissions exhausted (tcp_retries2, tcp_syn_retries,
    // TCP_USER_TIMEOUT) or keepalive probes unanswered (tcp_write_err: ETIMEDOUT, tcp_done, no RST).
    TimedOut,
    // The kernel's own timer removed a TIME_WAIT (2 MSL, 60 s on Linux) or an orphaned FIN_WAIT_2 minisocket
    // (tcp_fin_timeout): it left the kernel's tables without a segment.
    Expired,
};

class TcpMachine
{
public:
    TcpMachine() = default;
    explicit TcpMachine(TcpState initial) : m_state(initial) {}

    TcpState state() const { return m_state; }
    // Sequence space we sent (SYN, data, FIN) is not acknowledged yet: the retransmission timer is armed.
    bool outstanding() const { return m_synSent && static_cast<std::int32_t>(m_sndNxt - m_sndUna) > 0; }
    // Each returns the new state when the event changes it. seq/ack are absolute header values.
    std::optional<TcpState> onSend(std::uint8_t flags, std::uint32_t seq, std::uint32_t ack, std::uint32_t len);
    std::optional<TcpState> onReceive(std::uint8_t flags, std::uint32_t seq, std::uint32_t ack, std::uint32_t len);
    std::optional<TcpState> onCall(MachineCall call);
    // A passive-open child: the SYN its listener accepted puts it in SYN_RECEIVED; its SYN|ACK sets the ISS.
    // Under the listener's TCP_DEFER_ACCEPT the final pure ACK is dropped (tcp_check_req): data completes it.
    void startPassive(bool deferAccept = false)
    {
        m_state = TcpState::SynReceived;
        m_deferAccept = deferAccept;
    }

private:
    std::optional<TcpState> moveTo(TcpState next);
    std::optional<TcpState> afterOwnFin();
    bool acksOurFin(std::uint8_t flags, std::uint32_t ack) const;

    TcpState m_state = TcpState::Closed;
    bool m_synSent = false;
    std::uint32_t m_iss = 0; // our initial sequence number
    bool m_finSent = false;
    bool m_deferAccept = false; // see startPassive
    std::uint32_t m_finEnd = 0; // sequence number just after our FIN
    std::uint32_t m_sndNxt = 0; // just after the highest sequence number we sent
    std::uint32_t m_sndUna = 0; // the highest acknowledgement we received
};

} // namespace sockscope::core
