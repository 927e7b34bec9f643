// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/model/callargs.h"

namespace sockscope::core {

namespace {

SyscallArg num(std::string key, std::int64_t v)
{
    return {std::move(key), std::to_string(v), true};
}
SyscallArg str(std::string key, std::string v)
{
    return {std::move(key), std::move(v), false};
}

std::string joinFlags(const std::vector<std::string> &flags)
{
    std::string out;
    for (const auto &f : flags)
        out += (out.empty() ? "" : "|") + f;
    return out;
}

} // namespace

std::vector<SyscallArg> describeArgs(const Step &step)
{
    std::vector<SyscallArg> a;
    switch (step.call) {
    case Call::Socket:
        a.push_back(str("domain", step.v6 ? "AF_INET6" : "AF_INET"));
        a.push_back(str("type", step.nonblock ? "SOCK_STREAM|SOCK_NONBLOCK" : "SOCK_STREAM"));
        break;
    case Call::Setsockopt:
        a.push_back(str("option", step.option));
        a.push_back(num("value", step.number));
        if (step.option == "SO_LINGER")
            a.push_back(num("linger", step.number2));
        break;
    case Call::Getsockopt:
    case Call::Fcntl:
        a.push_back(str("option", step.option));
        if (!step.flags.empty()) // the TCP_INFO fields asked for
            a.push_back(str("fields", joinFlags(step.flags)));
        break;
    case Call::Bind:
    case Call::Connect:
        a.push_back(str("addr", step.addr.text()));
        break;
    case Call::Listen:
        a.push_back(num("backlog", step.number));
        break;
    case Call::Send:
    case Call::Sendmsg:
    case Call::Write:
        if (!step.payload.empty())
            a.push_back(str("data", step.payload));
        a.push_back(num("len", step.number));
        if (!step.flags.empty())
            a.push_back(str("flags", joinFlags(step.flags)));
        break;
    case Call::Recv:
    case Call::Recvmsg:
    case Call::Read:
        a.push_back(num("len", step.number));
        if (!step.flags.empty())
            a.push_back(str("flags", joinFlags(step.flags)));
        break;
    case Call::Shutdown:
        a.push_back(str("how", step.option));
        break;
    case Call::Accept4:
        a.push_back(str("flags", joinFlags(step.flags)));
        break;
    case Call::Select:
        a.push_back(str("sets", joinFlags(step.flags)));
        a.push_back(num("timeout_ms", step.timeoutMs));
        break;
    case Call::EpollCtl:
        a.push_back(str("epoll", step.epoll));
        a.push_back(str("op", step.option));
        if (!step.flags.empty())
            a.push_back(str("events", joinFlags(step.flags)));
        break;
    case Call::EpollWait:
        if (!step.epoll.empty()) {
            a.push_back(str("epoll", step.epoll));
            a.push_back(num("timeout_ms", step.timeoutMs));
            break;
        }
        [[fallthrough]];
    case Call::Poll:
        a.push_back(str("events", joinFlags(step.flags)));
        a.push_back(num("timeout_ms", step.timeoutMs));
        break;
    case Call::Sleep:
    case Call::Wait:
        a.push_back(num("ms", step.number));
        break;
    case Call::Share:
    case Call::Give:
        a.push_back(str("actor", step.target));
        break;
    case Call::Kill:
        a.push_back(str("actor", step.target));
        a.push_back(str("signal", "SIGKILL"));
        break;
    case Call::Signal:
        a.push_back(str("actor", step.target));
        a.push_back(str("signal", step.option));
        if (!step.flags.empty())
            a.push_back(str("flags", joinFlags(step.flags)));
        break;
    case Call::Exit:
        // exit() itself, or a signal whose default action ended the process ("SIGPIPE"); the event builder adds
        // "fds", the descriptors the kernel closed.
        a.push_back(str("reason", step.option.empty() ? "exit" : step.option));
        break;
    case Call::Dup:
    case Call::Accept:
    case Call::Close:
    case Call::Getsockname:
    case Call::Getpeername:
    case Call::EpollCreate:
        break;
    }
    return a;
}

} // namespace sockscope::core
