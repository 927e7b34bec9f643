// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/model/tcpmachine.h"

namespace sockscope::core {

namespace {

// Serial-number arithmetic (RFC 1982): a >= b modulo 2^32.
bool seqGe(std::uint32_t a, std::uint32_t b)
{
    return static_cast<std::int32_t>(a - b) >= 0;
}
} // namespace

// Our FIN is sent (or queued behind data): the side that closes first waits in FIN_WAIT_1, the side that
// answers a FIN in LAST_ACK; any other state has nothing to close.
std::optional<TcpState> TcpMachine::afterOwnFin()
{
    switch (m_state) {
    case TcpState::Established:
    case TcpState::SynReceived:
        return moveTo(TcpState::FinWait1);
    case TcpState::CloseWait:
        return moveTo(TcpState::LastAck);
    default:
        return std::nullopt;
    }
}

std::optional<TcpState> TcpMachine::moveTo(TcpState next)
{
    if (next == m_state)
        return std::nullopt;
    m_state = next;
    return next;
}

bool TcpMachine::acksOurFin(std::uint8_t flags, std::uint32_t ack) const
{
    return m_finSent && (flags & kTcpAck) && seqGe(ack, m_finEnd);
}

std::optional<TcpState> TcpMachine::onSend(std::uint8_t flags, std::uint32_t seq, std::uint32_t /*ack*/,
                                           std::uint32_t len)
{
    if (flags & kTcpRst) {
        // A reset ends every synchronised or half-open state; a TIME_WAIT or closed socket that answers
        // with RST stays as it is. So does SYN_SENT: its only RST answers an ACK that does not acknowledge
        // its SYN (RFC 9293 3.10.7.3, e.g. the challenge ACK of an old connection on a reused 4-tuple), and
        // the SYN is sent again; aborting a SYN_SENT socket sends nothing (tcp_need_reset).
        if (m_state == TcpState::TimeWait || m_state == TcpState::Closed || m_state == TcpState::Listen ||
            m_state == TcpState::SynSent)
            return std::nullopt;
        return moveTo(TcpState::Closed);
    }
    // A SYN from CLOSED is a new connection attempt (a connect() after a refused one picks a new ISS); any
    // other SYN is a retransmission or the SYN|ACK of a passive or simultaneous open, which keeps the ISS.
    const bool opens = (flags & kTcpSyn) && !(flags & kTcpAck) && m_state == TcpState::Closed;
    const std::uint32_t end = seq + len + ((flags & kTcpSyn) ? 1 : 0) + ((flags & kTcpFin) ? 1 : 0);
    if ((flags & kTcpSyn) && (!m_synSent || opens)) {
        m_synSent = true;
        m_iss = seq;
        m_finSent = false;
        m_sndUna = seq;
        m_sndNxt = end;
        if (opens)
            return moveTo(TcpState::SynSent);
    }
    if (m_synSent && static_cast<std::int32_t>(end - m_sndNxt) > 0)
        m_sndNxt = end;
    if (flags & kTcpFin) {
        // The FIN occupies one sequence number after the segment's data (and after the SYN, if both).
        m_finSent = true;
        m_finEnd = seq + len + ((flags & kTcpSyn) ? 1 : 0) + 1;
        return afterOwnFin();
    }
    return std::nullopt;
}

std::optional<TcpState> TcpMachine::onReceive(std::uint8_t flags, std::uint32_t /*seq*/, std::uint32_t ack,
                                              std::uint32_t len)
{
    if ((flags & kTcpAck) && m_synSent && static_cast<std::int32_t>(ack - m_sndUna) > 0 &&
        static_cast<std::int32_t>(ack - m_sndNxt) <= 0)
        m_sndUna = ack;
    if (flags & kTcpRst) {
        switch (m_state) {
        case TcpState::Closed:
        case TcpState::Listen:
            return std::nullopt;
        case TcpState::SynSent:
            // In SYN_SENT only a RST that acknowledges our SYN is acceptable (RFC 9293 3.10.7.3).
            if (!(flags & kTcpAck) || ack != m_iss + 1)
                return std::nullopt;
            return moveTo(TcpState::Closed);
        default:
            return moveTo(TcpState::Closed);
        }
    }
    if (flags & kTcpSyn) {
        // A SYN|ACK that does not acknowledge our SYN is answered with a RST and dropped (RFC 9293 3.10.7.3;
        // Linux's tcp_rcv_synsent_state_process and, for simultaneous open, tcp_validate_incoming).
        const bool acksOurSyn = !m_synSent || ack == m_iss + 1;
        if (m_state == TcpState::SynSent && !(flags & kTcpAck))
            return moveTo(TcpState::SynReceived); // simultaneous open: the peer's own SYN
        if ((m_state == TcpState::SynSent || m_state == TcpState::SynReceived) && (flags & kTcpAck) && acksOurSyn)
            return moveTo(TcpState::Established);
        return std::nullopt;
    }
    std::optional<TcpState> changed;
    auto step = [&](TcpState next) {
        if (auto s = moveTo(next))
            changed = s;
    };
    const bool deferred = m_deferAccept && len == 0 && !(flags & kTcpFin);
    if (m_state == TcpState::SynReceived && (flags & kTcpAck) && seqGe(ack, m_iss + 1) && !deferred)
        step(TcpState::Established);
    const bool finAcked = acksOurFin(flags, ack);
    if (flags & kTcpFin) {
        switch (m_state) {
        case TcpState::Established:
            step(TcpState::CloseWait);
            break;
        case TcpState::FinWait1:
            step(finAcked ? TcpState::TimeWait : TcpState::Closing);
            break;
        case TcpState::FinWait2:
            step(TcpState::TimeWait);
            break;
        default:
            break;
        }
        return changed;
    }
    if (finAcked) {
        switch (m_state) {
        case TcpState::FinWait1:
            step(TcpState::FinWait2);
            break;
        case TcpState::Closing:
            step(TcpState::TimeWait);
            break;
        case TcpState::LastAck:
            step(TcpState::Closed);
            break;
        default:
            break;
        }
    }
    return changed;
}

std::optional<TcpState> TcpMachine::onCall(MachineCall call)
{
    switch (call) {
    case MachineCall::Listen:
        return m_state == TcpState::Closed ? moveTo(TcpState::Listen) : std::nullopt;
    case MachineCall::Close:
        // Closing a listener or a socket still in SYN_SENT sends nothing: the state just ends.
        if (m_state == TcpState::Listen || m_state == TcpState::SynSent)
            return moveTo(TcpState::Closed);
        return std::nullopt;
    case MachineCall::ShutdownRead:
    case MachineCall::ShutdownWrite:
        // inet_shutdown: a listener stops listening (tcp_disconnect) only when reading is shut down too; a
        // connect() in progress is abandoned either way.
        if ((m_state == TcpState::Listen && call == MachineCall::ShutdownRead) || m_state == TcpState::SynSent)
            return moveTo(TcpState::Closed);
        return std::nullopt;
    case MachineCall::FinQueued:
        return afterOwnFin();
    case MachineCall::Disconnect:
        // The RST it sends (if any) has moved most states already; LISTEN, SYN_SENT, CLOSING and LAST_ACK end
        // without one (tcp_need_reset).
        return m_state == TcpState::TimeWait ? std::nullopt : moveTo(TcpState::Closed);
    case MachineCall::TupleTaken:
        if (m_state == TcpState::TimeWait || m_state == TcpState::FinWait2)
            return moveTo(TcpState::Closed);
        return std::nullopt;
    case MachineCall::Expired:
        if (m_state == TcpState::TimeWait || m_state == TcpState::FinWait2)
            return moveTo(TcpState::Closed);
        return std::nullopt;
    case MachineCall::TimedOut:
        if (m_state == TcpState::Closed || m_state == TcpState::Listen || m_state == TcpState::TimeWait)
            return std::nullopt;
        return moveTo(TcpState::Closed);
    }
    return std::nullopt;
}

} // namespace sockscope::core
