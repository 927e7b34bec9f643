// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/model/rawrecords.h"

#include <arpa/inet.h>
#include <sys/socket.h>

namespace sockscope::core {

TimerKind timerFromKernel(int idiagTimer)
{
    switch (idiagTimer) {
    case 1:
        return TimerKind::Retransmit;
    case 2:
        return TimerKind::Keepalive;
    case 3:
        return TimerKind::TimeWait;
    case 4:
        return TimerKind::Persist;
    default:
        return TimerKind::Off;
    }
}

std::optional<TcpState> stateFromKernel(int kernelState)
{
    switch (kernelState) {
    case 1:
        return TcpState::Established;
    case 2:
        return TcpState::SynSent;
    case 3:
        return TcpState::SynReceived;
    case 4:
        return TcpState::FinWait1;
    case 5:
        return TcpState::FinWait2;
    case 6:
        return TcpState::TimeWait;
    case 7:
        return TcpState::Closed;
    case 8:
        return TcpState::CloseWait;
    case 9:
        return TcpState::LastAck;
    case 10:
        return TcpState::Listen;
    case 11:
        return TcpState::Closing;
    case 12:
        return TcpState::SynReceived; // TCP_NEW_SYN_RECV: a request socket, RFC 9293 has no such state
    default:
        return std::nullopt;
    }
}

std::string ipText(const std::array<std::uint8_t, 16> &ip, bool v6)
{
    char buf[INET6_ADDRSTRLEN] = {};
    inet_ntop(v6 ? AF_INET6 : AF_INET, ip.data(), buf, sizeof buf);
    return buf;
}

std::string endpointText(const std::array<std::uint8_t, 16> &ip, std::uint16_t port, bool v6)
{
    return v6 ? "[" + ipText(ip, true) + "]:" + std::to_string(port) : ipText(ip, false) + ":" + std::to_string(port);
}

} // namespace sockscope::core
