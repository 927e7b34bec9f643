// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/lab/netns.h"

#include "core/stream/errnonames.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <net/if.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

namespace sockscope::core {

namespace {

bool writeFile(const char *path, const std::string &text)
{
    int fd = ::open(path, O_WRONLY | O_CLOEXEC);
    if (fd < 0)
        return false;
    bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
    ::close(fd);
    return ok;
}

// SOCKSCOPE_TEST_FAULT=uid_map makes the kernel refuse the mapping (an invalid line), so the tests can reach the
// half-made namespace without a special kernel.
std::string uidMapLine(uid_t uid)
{
    const char *fault = getenv("SOCKSCOPE_TEST_FAULT");
    if (fault && std::strcmp(fault, "uid_map") == 0)
        return "not a mapping";
    return "0 " + std::to_string(uid) + " 1";
}

std::string describe(const char *what, int err)
{
    return std::string(what) + " failed (" + errnoName(err) + ": " + std::strerror(err) + ")";
}

} // namespace

bool bringLoopbackUp(std::string *error)
{
    int s = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (s < 0) {
        *error = describe("socket(AF_INET, SOCK_DGRAM)", errno);
        return false;
    }
    ifreq ifr{};
    std::strncpy(ifr.ifr_name, "lo", IFNAMSIZ - 1);
    bool ok = ::ioctl(s, SIOCGIFFLAGS, &ifr) == 0;
    if (ok && !(ifr.ifr_flags & IFF_UP)) {
        ifr.ifr_flags |= IFF_UP | IFF_RUNNING;
        ok = ::ioctl(s, SIOCSIFFLAGS, &ifr) == 0;
    }
    if (!ok)
        *error = describe("bringing lo up (SIOCSIFFLAGS)", errno);
    ::close(s);
    return ok;
}

Isolation enterPrivateNetns()
{
    Isolation iso;
    if (getenv("SOCKSCOPE_FORCE_HOST")) {
        iso.note = "private network namespace not used (--host / SOCKSCOPE_FORCE_HOST): the host's loopback is used";
        return iso;
    }
    const uid_t uid = getuid();
    const gid_t gid = getgid();
    if (::unshare(CLONE_NEWUSER | CLONE_NEWNET) != 0) {
        int userErr = errno;
        // A privileged process on a system without user namespaces can still take a network namespace alone.
        if (::unshare(CLONE_NEWNET) != 0) {
            iso.note = describe("unshare(CLONE_NEWUSER|CLONE_NEWNET)", userErr) +
                       ": user namespaces are unavailable here (kernel.unprivileged_userns_clone=0, "
                       "user.max_user_namespaces=0, or a container/LSM policy), so the host's loopback is used";
            return iso;
        }
    } else {
        // Map ourselves to root inside, so we hold CAP_NET_ADMIN/CAP_NET_RAW over this namespace only. From here
        // on the process is in a new network namespace: a failure cannot fall back to the host's loopback, and
        // reporting "host" would be false (lo would be down), so it is an error.
        writeFile("/proc/self/setgroups", "deny");
        if (!writeFile("/proc/self/uid_map", uidMapLine(uid)) ||
            !writeFile("/proc/self/gid_map", "0 " + std::to_string(gid) + " 1")) {
            iso.error = describe("writing uid_map/gid_map", errno) +
                        " after the private namespace was made; the run cannot be isolated nor use the host's "
                        "loopback";
            return iso;
        }
    }
    // A first-level namespace shares the host's TCP hash table, and every sock_diag dump walks all of it
    // (about 1 ms). A namespace created from inside this one gets a private, small table.
    if (writeFile("/proc/sys/net/ipv4/tcp_child_ehash_entries", "256"))
        ::unshare(CLONE_NEWNET);
    std::string error;
    if (!bringLoopbackUp(&error)) {
        iso.error = error + " in the private namespace; the run cannot be isolated nor use the host's loopback";
        return iso;
    }
    iso.netns = true;
    return iso;
}

} // namespace sockscope::core
