// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Brief: performs one scenario call with the real system call and measures it.
// Thread-safety: call from the actor's own thread; the VarTable is shared and locked inside.

#include "core/model/rawrecords.h"
#include "core/scenario/scenario.h"

#include <map>
#include <mutex>
#include <string>

namespace sockscope::core {

// Scenario variable -> fd, shared by all actors of one run (fds are process-wide).
class VarTable
{
public:
    int fd(const std::string &var) const;
    void set(const std::string &var, int fd);
    std::map<std::string, int> snapshot() const;

private:
    mutable std::mutex m_mutex;
    std::map<std::string, int> m_fds; // guarded by m_mutex; -1 after close()
};

struct CallResult
{
    std::int64_t ret = 0;
    int err = 0;
    std::optional<std::string> data;
    int newFd = -1;
};

// Runs the step's call (blocking or not). Address ports are remapped by portMap when non-null.
CallResult executeCall(const Step &step, int fd, const std::map<std::uint16_t, std::uint16_t> *portMap);

} // namespace sockscope::core
