// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/lab/nflogreader.h"

#include <arpa/inet.h>
#include <cerrno>
#include <cstring>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nfnetlink_log.h>
#include <linux/netlink.h>
#include <sys/socket.h>
#include <unistd.h>

namespace sockscope::core {

namespace {

constexpr std::uint32_t kCopyBytes = 256;       // IP + TCP headers with options fit
constexpr int kReceiveBuffer = 4 * 1024 * 1024; // a burst of drops must not overrun the socket

// One config message to the group: a command or a setting, as one attribute.
bool configure(int fd, int group, std::uint16_t attrType, const void *value, std::uint16_t valueLen)
{
    struct
    {
        nlmsghdr nlh;
        nfgenmsg nfg;
        char attrs[64];
    } req{};
    req.nlh.nlmsg_type = (NFNL_SUBSYS_ULOG << 8) | NFULNL_MSG_CONFIG;
    req.nlh.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
    req.nfg.nfgen_family = AF_UNSPEC;
    req.nfg.version = NFNETLINK_V0;
    req.nfg.res_id = htons(static_cast<std::uint16_t>(group));
    auto *attr = reinterpret_cast<nlattr *>(req.attrs);
    attr->nla_type = attrType;
    attr->nla_len = static_cast<std::uint16_t>(NLA_HDRLEN + valueLen);
    std::memcpy(req.attrs + NLA_HDRLEN, value, valueLen);
    req.nlh.nlmsg_len = static_cast<std::uint32_t>(NLMSG_LENGTH(sizeof(nfgenmsg)) + NLA_ALIGN(attr->nla_len));
    if (::send(fd, &req, req.nlh.nlmsg_len, 0) < 0)
        return false;
    char reply[512];
    ssize_t n = ::recv(fd, reply, sizeof reply, 0);
    if (n < static_cast<ssize_t>(NLMSG_HDRLEN + sizeof(nlmsgerr)))
        return false;
    const auto *h = reinterpret_cast<const nlmsghdr *>(reply);
    if (h->nlmsg_type != NLMSG_ERROR)
        return false;
    const auto *err = reinterpret_cast<const nlmsgerr *>(NLMSG_DATA(h));
    errno = -err->error;
    return err->error == 0;
}

} // namespace

std::unique_ptr<NflogReader> NflogReader::open(int group, std::string *error)
{
    int fd = ::socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_NETFILTER);
    if (fd < 0) {
        *error = std::string("NFLOG: netlink socket: ") + std::strerror(errno);
        return nullptr;
    }
    std::unique_ptr<NflogReader> reader(new NflogReader(fd));
    sockaddr_nl addr{};
    addr.nl_family = AF_NETLINK;
    ::setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &kReceiveBuffer, sizeof kReceiveBuffer);
    nfulnl_msg_config_cmd bind{NFULNL_CFG_CMD_BIND};
    nfulnl_msg_config_mode mode{};
    mode.copy_range = htonl(kCopyBytes);
    mode.copy_mode = NFULNL_COPY_PACKET;
    const std::uint32_t one = htonl(1); // send each packet at once, not in batches of 100 after a second
    if (::bind(fd, reinterpret_cast<sockaddr *>(&addr), sizeof addr) != 0 ||
        !configure(fd, group, NFULA_CFG_CMD, &bind, sizeof bind) ||
        !configure(fd, group, NFULA_CFG_MODE, &mode, sizeof mode) ||
        !configure(fd, group, NFULA_CFG_QTHRESH, &one, sizeof one)) {
        *error = "NFLOG: cannot bind group " + std::to_string(group) + ": " + std::strerror(errno);
        return nullptr;
    }
    return reader;
}

NflogReader::~NflogReader()
{
    ::close(m_fd);
}

std::vector<std::vector<std::uint8_t>> NflogReader::take()
{
    std::vector<std::vector<std::uint8_t>> packets;
    alignas(nlmsghdr) char buf[65536];
    for (;;) {
        ssize_t n = ::recv(m_fd, buf, sizeof buf, MSG_DONTWAIT);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && errno == ENOBUFS) {
            ++m_overruns;
            continue;
        }
        if (n <= 0)
            break;
        int left = static_cast<int>(n);
        for (auto *h = reinterpret_cast<nlmsghdr *>(buf); NLMSG_OK(h, left); h = NLMSG_NEXT(h, left)) {
            if (h->nlmsg_type != ((NFNL_SUBSYS_ULOG << 8) | NFULNL_MSG_PACKET))
                continue;
            const char *p = static_cast<const char *>(NLMSG_DATA(h)) + NLMSG_ALIGN(sizeof(nfgenmsg));
            const char *end = reinterpret_cast<const char *>(h) + h->nlmsg_len;
            while (p + NLA_HDRLEN <= end) {
                const auto *attr = reinterpret_cast<const nlattr *>(p);
                if (attr->nla_len < NLA_HDRLEN || p + attr->nla_len > end)
                    break;
                if ((attr->nla_type & NLA_TYPE_MASK) == NFULA_PAYLOAD) {
                    const auto *data = reinterpret_cast<const std::uint8_t *>(p + NLA_HDRLEN);
                    packets.emplace_back(data, data + (attr->nla_len - NLA_HDRLEN));
                }
                p += NLA_ALIGN(attr->nla_len);
            }
        }
    }
    return packets;
}

} // namespace sockscope::core
