// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/lab/netsysctl.h"

#include "core/scenario/kernelsettings.h"
#include "core/stream/errnonames.h"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>

namespace sockscope::core {

namespace {

std::string failure(const KernelSetting &s, const char *what, int err)
{
    return "kernel setting " + s.name + "=" + std::to_string(s.value) + " (line " + std::to_string(s.line) +
           "): " + what + " " + sysctlPath(s.name) + " failed (" + errnoName(err) + ": " + std::strerror(err) + ")";
}

} // namespace

bool applyNamespaceSysctls(const std::vector<KernelSetting> &settings, std::string *error)
{
    for (const KernelSetting &s : settings) {
        const std::string path = sysctlPath(s.name);
        const std::string text = std::to_string(s.value) + "\n";
        int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
        if (fd < 0 || ::write(fd, text.data(), text.size()) != static_cast<ssize_t>(text.size())) {
            *error = failure(s, "writing", errno);
            if (fd >= 0)
                ::close(fd);
            return false;
        }
        ::close(fd);
        char buf[64] = {};
        fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
        const ssize_t n = fd < 0 ? -1 : ::read(fd, buf, sizeof buf - 1);
        const int readErr = errno;
        if (fd >= 0)
            ::close(fd);
        if (n <= 0) {
            *error = failure(s, "reading back", readErr);
            return false;
        }
        if (std::strtoll(buf, nullptr, 10) != s.value) {
            *error = "kernel setting " + s.name + "=" + std::to_string(s.value) + " (line " + std::to_string(s.line) +
                     "): the kernel kept " + std::string(buf, static_cast<std::size_t>(n - (buf[n - 1] == '\n'))) +
                     " in " + path;
            return false;
        }
    }
    return true;
}

} // namespace sockscope::core
