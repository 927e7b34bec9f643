// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Brief: reads what the fault rules dropped, from their NFLOG group (nfnetlink_log, spoken directly over
// netlink), so the capture, which sees every segment before the ingress hook, can mark those segments dropped.
// Thread-safety: one thread (the lab's scheduler).

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace sockscope::core {

class NflogReader
{
public:
    // Binds to the group in the current network namespace; null and *error on failure.
    static std::unique_ptr<NflogReader> open(int group, std::string *error);
    ~NflogReader();
    NflogReader(const NflogReader &) = delete;
    NflogReader &operator=(const NflogReader &) = delete;

    // The IP packets (their first bytes, headers included) logged since the last call; never blocks.
    std::vector<std::vector<std::uint8_t>> take();
    // Packets the socket could not queue (ENOBUFS): a dropped segment that may go unmarked.
    std::uint64_t overruns() const { return m_overruns; }

private:
    explicit NflogReader(int fd) : m_fd(fd) {}
    int m_fd;
    std::uint64_t m_overruns = 0;
};

} // namespace sockscope::core
