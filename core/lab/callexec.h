// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Brief: performs one scenario call with the real system call and measures it.
// Thread-safety: call from the actor's own thread; the VarTable is shared and locked inside.

#include "core/model/rawrecords.h"
#include "core/scenario/scenario.h"

#include <map>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace sockscope::core {

// Scenario variable -> fd, shared by all actors of one run (fds are process-wide).
class VarTable
{
public:
    int fd(const std::string &var) const;
    void set(const std::string &var, int fd);
    std::map<std::string, int> snapshot() const;
    std::string nameOf(int fd) const; // the open variable holding fd, or "fd N"
    // The process whose descriptor table holds the variable: the actor that assigned it, or the one give() named.
    void setOwner(const std::string &var, const std::string &actor);
    // The open descriptors the actor owns, as (fd, variable), in fd order.
    std::vector<std::pair<int, std::string>> ownedBy(const std::string &actor) const;

private:
    mutable std::mutex m_mutex;
    std::map<std::string, int> m_fds;            // guarded by m_mutex; -1 after close()
    std::map<std::string, std::string> m_owners; // guarded by m_mutex; variable -> actor
};

struct CallResult
{
    std::int64_t ret = 0;
    int err = 0;
    std::optional<std::string> data;
    int newFd = -1;
};

// Runs the step's call (blocking or not). Address ports are remapped by portMap when non-null. vars gives
// epoll_ctl() its epoll fd and names the sockets an epoll_wait(E, MS) reports; without it those calls fail (EBADF).
CallResult executeCall(const Step &step, int fd, const std::map<std::uint16_t, std::uint16_t> *portMap,
                       const VarTable *vars = nullptr);

// close(fd) for a scenario's close() and an actor's exit(), which may close a descriptor another actor's thread is
// blocked on (close-while-blocked, a shared socket): what the kernel then does is the lesson. ThreadSanitizer's
// close() wrapper counts a descriptor as memory that close() writes and the blocked recv() read, and ended the lab
// on a "data race" the scenario asked for; the system call itself, unwrapped, is the same call in every build.
int closeDescriptor(int fd);

} // namespace sockscope::core
