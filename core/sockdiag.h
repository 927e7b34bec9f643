// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Brief: kernel views of TCP sockets: NETLINK_SOCK_DIAG (inet_diag) dumps and per-fd TCP_INFO / queues.
// Thread-safety: a SockDiag object is used by one thread at a time; the free functions are reentrant.

#include "core/event.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace sockscope::core {

// Kernel TCP state numbers (include/net/tcp_states.h) mapped to RFC 9293 names.
// TCP_NEW_SYN_RECV (12) maps to SYN_RECEIVED, TCP_CLOSE (7) to CLOSED.
std::optional<TcpState> stateFromKernel(int kernelState);

struct DiagSocket
{
    int kernelState = 0; // idiag_state
    TcpState state = TcpState::Closed;
    std::uint64_t cookie = 0; // idiag_cookie, equals SO_COOKIE of the fd
    bool v6 = false;
    std::string local;       // "127.0.0.1:5000", "[::1]:5000"
    std::string remote;      // "0.0.0.0:0" for a listener
    std::uint32_t recvQ = 0; // idiag_rqueue (accept queue length for a listener)
    std::uint32_t sendQ = 0; // idiag_wqueue (backlog for a listener)
    std::uint32_t inode = 0; // 0 for orphans, TIME_WAIT and request sockets
};

class SockDiag
{
public:
    static std::unique_ptr<SockDiag> open(std::string *error); // NETLINK_SOCK_DIAG socket
    ~SockDiag();
    // All TCP sockets of this network namespace, IPv4 and IPv6, every state (including TIME_WAIT
    // and SYN_RECV request sockets). Empty and *error set on failure.
    std::vector<DiagSocket> dump(std::string *error = nullptr);

private:
    explicit SockDiag(int fd);
    int m_fd;
};

struct FdSnapshot
{
    int kernelState = -1;     // tcpi_state, -1 when TCP_INFO failed
    std::uint64_t cookie = 0; // SO_COOKIE
    std::string local;        // getsockname, "" when unbound
    std::string remote;       // getpeername, "" when not connected
    int recvQ = 0;            // SIOCINQ
    int sendQ = 0;            // SIOCOUTQ
};
// Reads everything above for one fd; fields it cannot read keep their defaults.
FdSnapshot snapshotFd(int fd);

} // namespace sockscope::core
