// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Brief: kernel views of TCP sockets: NETLINK_SOCK_DIAG (inet_diag) dumps and per-fd TCP_INFO / queues.
// Thread-safety: a SockDiag object is used by one thread at a time; the free functions are reentrant.

#include "core/model/rawrecords.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace sockscope::core {

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

// Reads everything above for one fd; fields it cannot read keep their defaults.
FdSnapshot snapshotFd(int fd);

} // namespace sockscope::core
