// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/scenario/scenariocalls.h"

#include "core/stream/errnonames.h"

#include <algorithm>
#include <array>
#include <initializer_list>

namespace sockscope::core {

namespace {

using scn::LineCursor;

struct CallSpelling
{
    std::string_view name;
    Call call;
};

constexpr std::array<CallSpelling, 32> kCalls{{
    {"socket", Call::Socket},
    {"setsockopt", Call::Setsockopt},
    {"getsockopt", Call::Getsockopt},
    {"fcntl", Call::Fcntl},
    {"bind", Call::Bind},
    {"listen", Call::Listen},
    {"connect", Call::Connect},
    {"accept", Call::Accept},
    {"send", Call::Send},
    {"write", Call::Write},
    {"recv", Call::Recv},
    {"sendmsg", Call::Sendmsg},
    {"recvmsg", Call::Recvmsg},
    {"read", Call::Read},
    {"shutdown", Call::Shutdown},
    {"close", Call::Close},
    {"poll", Call::Poll},
    {"epoll_wait", Call::EpollWait},
    {"sleep", Call::Sleep},
    {"wait", Call::Wait},
    {"getsockname", Call::Getsockname},
    {"getpeername", Call::Getpeername},
    {"accept4", Call::Accept4},
    {"select", Call::Select},
    {"epoll_create", Call::EpollCreate},
    {"epoll_ctl", Call::EpollCtl},
    {"dup", Call::Dup},
    {"share", Call::Share},
    {"give", Call::Give},
    {"exit", Call::Exit},
    {"signal", Call::Signal},
    {"kill", Call::Kill},
}};

constexpr std::int64_t kMaxBytes = 16 * 1024 * 1024;
constexpr std::int64_t kMaxMs = 60000;
constexpr std::int64_t kMaxBacklog = 4096;
constexpr std::int64_t kMaxLingerSecs = 600; // longer would only make close() outlast any step timeout
constexpr char kLoopbackOnly[] = "only loopback addresses are allowed (127.0.0.0/8 or [::1])";
constexpr char kBindForms[] = "127.x.y.z:PORT, [::1]:PORT, 0.0.0.0:PORT or [::]:PORT (PORT 0: ephemeral)";

using Names = std::initializer_list<std::string_view>;

bool contains(Names names, std::string_view name)
{
    return std::find(names.begin(), names.end(), name) != names.end();
}

// "A, B or C"
std::string joinNames(Names names)
{
    std::string out;
    std::size_t i = 0;
    for (auto n : names) {
        if (i > 0)
            out += i + 1 == names.size() ? " or " : ", ";
        out += n;
        ++i;
    }
    return out;
}

// One of a fixed set of names, e.g. an option or a flag; what = "a socket option".
std::string_view oneOf(LineCursor &c, std::string_view what, Names names)
{
    c.skipSpace();
    std::size_t at = c.pos();
    std::string_view name = c.identifier(std::string(what) + " (" + joinNames(names) + ")");
    if (!contains(names, name))
        LineCursor::failAt(at, "expected " + std::string(what) + " (" + joinNames(names) + "), found '" +
                                   std::string(name) + "'");
    return name;
}

// After an argument that may be the last one: true for ',', false for ')'.
bool commaOrClose(LineCursor &c, std::string_view after)
{
    if (c.accept(','))
        return true;
    if (c.accept(')'))
        return false;
    c.failExpected("',' or ')' after " + std::string(after));
}

enum class VarKind
{
    Socket,
    Epoll,
    Any, // close() takes either
};

// A variable of the acting actor; the kind is checked unless Any. epoll is set to whether it is an epoll one.
std::string variable(LineCursor &c, const Step &step, const scn::Variables &vars, VarKind kind, bool *epoll = nullptr)
{
    c.skipSpace();
    std::size_t at = c.pos();
    const std::string what = kind == VarKind::Epoll ? "epoll variable" : "socket variable";
    std::string name(c.identifier("a " + what));
    auto it = vars.find(name);
    if (it == vars.end())
        LineCursor::failAt(at, what + " " + name + " is not defined");
    if (it->second.owner != step.actor && !it->second.users.contains(step.actor))
        LineCursor::failAt(at, what + " " + name + " belongs to actor '" + it->second.owner + "', not '" + step.actor +
                                   "' (share(" + name + ", " + step.actor + ") or give(" + name + ", " + step.actor +
                                   ") by '" + it->second.owner + "' hands it over)");
    if (kind == VarKind::Socket && it->second.epoll)
        LineCursor::failAt(at, name + " is an epoll instance (from epoll_create on line " +
                                   std::to_string(it->second.line) + "), not a socket");
    if (kind == VarKind::Epoll && !it->second.epoll)
        LineCursor::failAt(at, name + " is a socket, not an epoll instance: expected E from 'E = epoll_create()'");
    if (epoll)
        *epoll = it->second.epoll;
    return name;
}

// close(V) and dup(V): a socket or an epoll instance, then ')'.
void anyVariableThenClose(LineCursor &c, Step &step, const scn::Variables &vars)
{
    bool epoll = false;
    step.sock = variable(c, step, vars, VarKind::Any, &epoll);
    c.expect(')', epoll ? "after the epoll variable" : "after the socket variable");
}

std::string socketVariable(LineCursor &c, const Step &step, const scn::Variables &vars)
{
    return variable(c, step, vars, VarKind::Socket);
}

// Digits of one IPv4 part; -1 when there are none or too many.
int ipv4Part(std::string_view s, std::size_t &i)
{
    std::size_t start = i;
    int v = 0;
    while (i < s.size() && scn::isDigit(s[i]) && i - start < 3)
        v = v * 10 + (s[i++] - '0');
    if (i == start || (i < s.size() && scn::isDigit(s[i])) || v > 255)
        return -1;
    return v;
}

// bind() may also name the wildcard address and port 0; connect() may name AF_UNSPEC (only loopback peers).
enum class AddrUse
{
    Bind,
    Connect,
};

SockAddr address(LineCursor &c, AddrUse use)
{
    c.skipSpace();
    std::size_t at = c.pos();
    std::string_view rest = c.line().substr(at);
    std::size_t end = rest.find_first_of(",) \t");
    std::string_view text = rest.substr(0, end == std::string_view::npos ? rest.size() : end);
    const bool bind = use == AddrUse::Bind;
    auto reject = [&] {
        if (bind)
            LineCursor::failAt(at, std::string(kLoopbackOnly) + ": bind() takes " + kBindForms + ", found '" +
                                       std::string(text) + "'");
        LineCursor::failAt(at, std::string(kLoopbackOnly) +
                                   ": expected 127.x.y.z:PORT, [::1]:PORT or AF_UNSPEC, found '" + std::string(text) +
                                   "'");
    };
    SockAddr addr;
    if (!bind && text == "AF_UNSPEC") {
        addr.unspec = true;
        c.seek(at + text.size());
        return addr;
    }
    std::size_t i = 0;
    if (text.starts_with("[::1]:")) {
        addr.ip = "::1";
        addr.v6 = true;
        i = 6;
    } else if (bind && text.starts_with("[::]:")) {
        addr.ip = "::";
        addr.v6 = true;
        i = 5;
    } else {
        for (int part = 0; part < 4; ++part) {
            int v = ipv4Part(text, i);
            const bool firstOk = v == 127 || (bind && v == 0);
            if (v < 0 || (part == 0 && !firstOk) || i >= text.size() || text[i] != (part == 3 ? ':' : '.'))
                reject();
            ++i;
            // Canonical form: inet_pton() in the lab refuses leading zeros such as "127.000.0.1".
            addr.ip += (part > 0 ? "." : "") + std::to_string(v);
        }
        // 0.x.y.z other than 0.0.0.0 is no wildcard: "this network", which the lab never reaches.
        if (addr.ip.starts_with("0.") && addr.ip != "0.0.0.0")
            reject();
    }
    std::size_t digits = text.size() - i;
    if (digits == 0 || digits > 5 || !std::all_of(text.begin() + i, text.end(), scn::isDigit))
        reject();
    int port = std::stoi(std::string(text.substr(i)));
    if (port < (bind ? 0 : 1) || port > 65535)
        reject();
    addr.port = static_cast<std::uint16_t>(port);
    c.seek(at + text.size());
    return addr;
}

// N or "text": the byte count of a send/write.
void bytesOrText(LineCursor &c, Step &step)
{
    if (c.peek() == '"') {
        std::size_t at = c.pos();
        step.payload = c.stringLiteral();
        if (step.payload.empty())
            LineCursor::failAt(at, "expected at least one byte in the string");
        step.number = static_cast<std::int64_t>(step.payload.size());
    } else {
        // 0 is allowed: a zero-length send() checks for errors and sends nothing.
        step.number = c.integer("the byte count or a \"string\"", 0, kMaxBytes);
    }
}

// Optional trailing flags, each at most once, then ')'.
void trailingFlags(LineCursor &c, Step &step, std::string_view after, Names allowed)
{
    while (commaOrClose(c, after)) {
        c.skipSpace();
        std::size_t at = c.pos();
        std::string flag(oneOf(c, "a flag", allowed));
        if (std::find(step.flags.begin(), step.flags.end(), flag) != step.flags.end())
            LineCursor::failAt(at, "flag " + flag + " is given twice");
        step.flags.push_back(flag);
        after = "the flag";
    }
}

// NAME|NAME|...: poll events, select sets, accept4 flags; what = "an event".
void events(LineCursor &c, Step &step, Names allowed, std::string_view what = "an event")
{
    do {
        c.skipSpace();
        std::size_t at = c.pos();
        std::string event(oneOf(c, what, allowed));
        if (std::find(step.flags.begin(), step.flags.end(), event) != step.flags.end())
            LineCursor::failAt(at, std::string(what.substr(what.find(' ') + 1)) + " " + event + " is given twice");
        step.flags.push_back(event);
    } while (c.accept('|'));
}

// The other actor of share/give/signal: declared, not the acting one, and still alive.
std::string otherActor(LineCursor &c, const Step &step, const scn::Processes &procs)
{
    c.skipSpace();
    std::size_t at = c.pos();
    std::string name(c.identifier("an actor name"));
    if (std::find(procs.actors.begin(), procs.actors.end(), name) == procs.actors.end()) {
        std::string declared;
        for (const auto &a : procs.actors)
            declared += (declared.empty() ? "" : " ") + a;
        LineCursor::failAt(at, "unknown actor '" + name + "' (declared in 'actors:': " + declared + ")");
    }
    if (name == step.actor)
        LineCursor::failAt(at, "expected another actor than '" + name + "' itself");
    if (auto dead = procs.exited.find(name); dead != procs.exited.end())
        LineCursor::failAt(at, "actor '" + name + "' has exited (exit() or kill() on line " +
                                   std::to_string(dead->second) + ")");
    return name;
}

// dup/share/give/exit/signal (docs/scenario-format.md, "Descriptors, processes and signals").
void processArguments(LineCursor &c, Step &step, const scn::Variables &vars, const scn::Processes &procs)
{
    switch (step.call) {
    case Call::Dup: {
        anyVariableThenClose(c, step, vars);
        return;
    }
    case Call::Share:
    case Call::Give: {
        bool epoll = false;
        std::size_t at = c.pos();
        step.sock = variable(c, step, vars, VarKind::Any, &epoll);
        if (step.call == Call::Give && vars.find(step.sock)->second.owner != step.actor)
            LineCursor::failAt(at, "only the owner '" + vars.find(step.sock)->second.owner + "' can give " + step.sock +
                                       " away; '" + step.actor + "' was only given it with share()");
        c.expect(',', epoll ? "after the epoll variable" : "after the socket variable");
        step.target = otherActor(c, step, procs);
        c.expect(')', "after the actor");
        return;
    }
    case Call::Exit:
        c.expect(')', "after 'exit(': it takes no arguments (the acting actor exits)");
        return;
    case Call::Kill:
        step.target = otherActor(c, step, procs);
        c.expect(')', "after the actor (kill() sends SIGKILL)");
        return;
    case Call::Signal:
        step.target = otherActor(c, step, procs);
        c.expect(',', "after the actor");
        step.option = oneOf(c, "a signal", {"SIGALRM", "SIGUSR1"});
        trailingFlags(c, step, "the signal", {"SA_RESTART"});
        return;
    default:
        return;
    }
}

void arguments(LineCursor &c, Step &step, const scn::Variables &vars, const scn::Processes &procs)
{
    auto sockThen = [&](char next) {
        step.sock = socketVariable(c, step, vars);
        c.expect(next, "after the socket variable");
    };
    switch (step.call) {
    case Call::Socket: {
        step.v6 = oneOf(c, "an address family", {"v4", "v6"}) == "v6";
        if (commaOrClose(c, "the address family")) {
            oneOf(c, "a socket flag", {"nonblock"});
            step.nonblock = true;
            c.expect(')', "after nonblock");
        }
        return;
    }
    case Call::Setsockopt:
        sockThen(',');
        step.option =
            oneOf(c, "a socket option",
                  {"SO_LINGER", "SO_REUSEADDR", "SO_RCVBUF", "SO_SNDBUF", "TCP_NODELAY", "O_NONBLOCK", "SO_KEEPALIVE",
                   "TCP_KEEPIDLE", "TCP_KEEPINTVL", "TCP_KEEPCNT", "TCP_USER_TIMEOUT", "SO_RCVTIMEO", "SO_SNDTIMEO",
                   "TCP_CORK", "TCP_QUICKACK", "TCP_DEFER_ACCEPT", "SO_REUSEPORT"});
        c.expect(',', "after the option");
        if (step.option == "SO_LINGER") {
            step.number = c.integer("the linger on/off value", 0, 1);
            c.expect(',', "after the linger on/off value");
            step.number2 = c.integer("the linger time in seconds", 0, kMaxLingerSecs);
        } else if (step.option == "SO_RCVTIMEO" || step.option == "SO_SNDTIMEO") {
            step.number = c.integer("the timeout in ms", 0, kMaxMs);
        } else {
            step.number = c.integer("the option value", 0, kMaxBytes);
        }
        c.expect(')', "after the option value");
        return;
    case Call::Getsockopt:
        sockThen(',');
        step.option = oneOf(c, "a socket option",
                            {"SO_ERROR", "SO_RCVBUF", "SO_SNDBUF", "TCP_NODELAY", "SO_LINGER", "SO_REUSEADDR",
                             "SO_KEEPALIVE", "TCP_KEEPIDLE", "TCP_KEEPINTVL", "TCP_KEEPCNT", "TCP_USER_TIMEOUT",
                             "SO_RCVTIMEO", "SO_SNDTIMEO", "TCP_CORK", "TCP_DEFER_ACCEPT", "SO_REUSEPORT", "TCP_INFO"});
        if (step.option == "TCP_INFO") {
            // The fields to show; all of them when none is named.
            trailingFlags(c, step, "TCP_INFO", {"state", "rto", "retransmits", "unacked", "snd_cwnd"});
            return;
        }
        c.expect(')', "after the option");
        return;
    case Call::Fcntl:
        sockThen(',');
        step.option = oneOf(c, "a file flag", {"O_NONBLOCK"});
        c.expect(')', "after the flag");
        return;
    case Call::Bind:
    case Call::Connect:
        sockThen(',');
        step.addr = address(c, step.call == Call::Bind ? AddrUse::Bind : AddrUse::Connect);
        c.expect(')', "after the address");
        return;
    case Call::Getsockname:
    case Call::Getpeername:
        sockThen(')');
        return;
    case Call::Accept4:
        sockThen(',');
        events(c, step, {"SOCK_NONBLOCK", "SOCK_CLOEXEC"}, "a flag");
        c.expect(')', "after the flags");
        return;
    case Call::Select:
        sockThen(',');
        events(c, step, {"READ", "WRITE", "EXCEPT"}, "a descriptor set");
        c.expect(',', "after the sets");
        step.timeoutMs = static_cast<int>(c.integer("the timeout in ms", 0, kMaxMs));
        c.expect(')', "after the timeout");
        return;
    case Call::Listen:
        sockThen(',');
        step.number = c.integer("the backlog", 0, kMaxBacklog);
        c.expect(')', "after the backlog");
        return;
    case Call::Accept:
        sockThen(')');
        return;
    case Call::Close: {
        anyVariableThenClose(c, step, vars);
        return;
    }
    case Call::EpollCreate:
        c.expect(')', "after 'epoll_create(': it takes no arguments");
        return;
    case Call::EpollCtl: {
        step.epoll = variable(c, step, vars, VarKind::Epoll);
        c.expect(',', "after the epoll variable");
        step.option = oneOf(c, "an epoll_ctl operation", {"ADD", "MOD", "DEL"});
        c.expect(',', "after the operation");
        step.sock = socketVariable(c, step, vars);
        if (step.option == "DEL") {
            c.expect(')', "after the socket variable (DEL takes no events)");
            return;
        }
        c.expect(',', "after the socket variable");
        events(c, step, {"EPOLLIN", "EPOLLPRI", "EPOLLOUT", "EPOLLRDHUP", "EPOLLET", "EPOLLONESHOT"});
        c.expect(')', "after the events");
        return;
    }
    case Call::Send:
    case Call::Sendmsg:
        sockThen(',');
        bytesOrText(c, step);
        trailingFlags(c, step, "the data", {"MSG_NOSIGNAL", "MSG_DONTWAIT", "MSG_OOB", "MSG_MORE"});
        return;
    case Call::Write:
        sockThen(',');
        bytesOrText(c, step);
        c.expect(')', "after the data");
        return;
    case Call::Recv:
    case Call::Recvmsg:
        sockThen(',');
        step.number = c.integer("the byte count", 1, kMaxBytes);
        trailingFlags(c, step, "the byte count", {"MSG_DONTWAIT", "MSG_PEEK", "MSG_WAITALL", "MSG_TRUNC", "MSG_OOB"});
        return;
    case Call::Read:
        sockThen(',');
        step.number = c.integer("the byte count", 1, kMaxBytes);
        c.expect(')', "after the byte count");
        return;
    case Call::Shutdown:
        sockThen(',');
        step.option = oneOf(c, "how to shut down", {"SHUT_RD", "SHUT_WR", "SHUT_RDWR"});
        c.expect(')', "after the option");
        return;
    case Call::Poll:
    case Call::EpollWait: {
        bool epoll = false;
        std::string var = variable(c, step, vars, step.call == Call::Poll ? VarKind::Socket : VarKind::Any, &epoll);
        c.expect(',', epoll ? "after the epoll variable" : "after the socket variable");
        if (epoll) {
            // epoll_wait(E, MS) on a persistent instance: the events were registered with epoll_ctl().
            step.epoll = var;
            step.timeoutMs = static_cast<int>(c.integer("the timeout in ms", 0, kMaxMs));
            c.expect(')', "after the timeout");
            return;
        }
        step.sock = var;
        if (step.call == Call::Poll)
            events(c, step, {"POLLIN", "POLLPRI", "POLLOUT", "POLLRDHUP"});
        else
            events(c, step, {"EPOLLIN", "EPOLLPRI", "EPOLLOUT", "EPOLLRDHUP", "EPOLLET"});
        c.expect(',', "after the events");
        step.timeoutMs = static_cast<int>(c.integer("the timeout in ms", 0, kMaxMs));
        c.expect(')', "after the timeout");
        return;
    }
    case Call::Sleep:
    case Call::Wait:
        step.number = c.integer("the time in ms", 0, kMaxTotalWaitMs); // the file's total is checked later
        c.expect(')', "after the time");
        return;
    case Call::Dup:
    case Call::Share:
    case Call::Give:
    case Call::Exit:
    case Call::Signal:
    case Call::Kill:
        processArguments(c, step, vars, procs);
        return;
    }
}

// What a successful dup/share/give/exit does to the variables and actors the later lines may name.
void applyProcessStep(const Step &step, scn::Variables &vars, scn::Processes &procs, int lineNo)
{
    if (step.call == Call::Share)
        vars[step.sock].users.insert(step.target);
    if (step.call == Call::Give) {
        scn::Variable &v = vars[step.sock];
        v.owner = step.target;
        v.users.erase(step.target);
    }
    if (step.call == Call::Exit || step.call == Call::Kill) {
        const std::string &dying = step.call == Call::Exit ? step.actor : step.target;
        for (auto &[name, v] : vars) {
            if (v.owner == dying)
                v.open = false;
            v.users.erase(dying);
        }
        procs.exited[dying] = lineNo;
    }
}

Expectation expectation(LineCursor &c)
{
    constexpr char kWhat[] = "a result (N, -1 ENAME, fd or blocked)";
    Expectation e;
    c.skipSpace();
    std::size_t start = c.pos();
    char first = c.peek();
    if (first == '-' || scn::isDigit(first)) {
        e.value = c.integer("the return value", -2147483648LL, 2147483647LL);
        if (scn::isIdentStart(c.peek())) {
            std::size_t at = c.pos();
            std::string name(c.identifier("an errno name"));
            if (e.value != -1)
                LineCursor::failAt(at, "an errno name must follow -1, not " + std::to_string(e.value));
            if (!errnoNumber(name))
                LineCursor::failAt(at, "unknown errno name '" + name + "'");
            e.kind = Expectation::Kind::Error;
            e.err = name;
        }
    } else if (scn::isIdentStart(first)) {
        std::size_t at = c.pos();
        std::string_view word = c.identifier(kWhat);
        if (word == "fd")
            e.kind = Expectation::Kind::AnyFd;
        else if (word == "blocked")
            e.kind = Expectation::Kind::Blocked;
        else
            LineCursor::failAt(at, std::string("expected ") + kWhat + ", found '" + std::string(word) + "'");
    } else {
        c.failExpected(kWhat);
    }
    if (c.accept('[')) {
        e.hasData = true;
        while (!c.accept(']')) {
            if (c.atEnd())
                c.failExpected("']' to close the data list");
            std::size_t at = c.pos();
            std::size_t end = at;
            std::string_view line = c.line();
            // An IPv6 address item keeps its brackets: "[[::1]:5000]".
            if (line.substr(at).starts_with("[::")) {
                std::size_t close = line.find(']', at);
                if (close != std::string_view::npos)
                    end = close + 1;
            }
            while (end < line.size() && !scn::isSpace(line[end]) && line[end] != ']' && line[end] != '[')
                ++end;
            if (end == at)
                c.failExpected("a data item or ']'");
            e.data.emplace_back(line.substr(at, end - at));
            c.seek(end);
        }
    }
    if (c.accept(',')) {
        oneOf(c, "a signal", {"SIGPIPE"});
        e.sigpipe = true;
    }
    e.text = std::string(scn::trim(c.line().substr(start, c.pos() - start)));
    return e;
}

// epoll_create() makes an epoll instance, and dup() of one is one too.
bool assignsEpoll(const Step &step, const scn::Variables &vars)
{
    if (step.call == Call::EpollCreate)
        return true;
    auto it = step.call == Call::Dup ? vars.find(step.sock) : vars.end();
    return it != vars.end() && it->second.epoll;
}

} // namespace

std::string_view callName(Call call)
{
    for (const auto &spelling : kCalls)
        if (spelling.call == call)
            return spelling.name;
    return "?";
}

void scn::parseStepBody(LineCursor &c, Step &step, Variables &vars, int lineNo, Processes &procs)
{
    if (auto dead = procs.exited.find(step.actor); dead != procs.exited.end())
        LineCursor::failAt(static_cast<std::size_t>(std::max(0, step.column - 1)),
                           "actor '" + step.actor + "' has exited (exit() or kill() on line " +
                               std::to_string(dead->second) + "): it takes no more steps");
    c.skipSpace();
    std::size_t namePos = c.pos();
    std::string_view name = c.identifier("a call or 'VARIABLE = '");
    std::size_t assignPos = std::string_view::npos;
    if (c.accept('=')) {
        step.assign = std::string(name);
        assignPos = namePos;
        c.skipSpace();
        namePos = c.pos();
        name = c.identifier("a call after '='");
    }
    auto it = std::find_if(kCalls.begin(), kCalls.end(), [&](const CallSpelling &s) { return s.name == name; });
    if (it == kCalls.end()) {
        std::string known;
        for (const auto &s : kCalls)
            known += (known.empty() ? "" : " ") + std::string(s.name);
        LineCursor::failAt(namePos, "unknown call '" + std::string(name) + "' (expected one of: " + known + ")");
    }
    step.call = it->call;
    bool returnsSocket =
        step.call == Call::Socket || isAccept(step.call) || step.call == Call::EpollCreate || step.call == Call::Dup;
    if (!step.assign.empty() && !returnsSocket)
        LineCursor::failAt(assignPos, "only socket() and accept() can be assigned to a variable (and accept4(), dup() "
                                      "and epoll_create()), not " +
                                          std::string(name) + "()");
    if (step.assign.empty() && returnsSocket)
        LineCursor::failAt(namePos, "expected a variable to assign the new socket to, e.g. 'A = " + std::string(name) +
                                        "(...)'");
    if (!step.assign.empty()) {
        auto old = vars.find(step.assign);
        if (old != vars.end() && old->second.open)
            LineCursor::failAt(assignPos, "socket variable " + step.assign + " is still open (assigned on line " +
                                              std::to_string(old->second.line) + "); close(" + step.assign +
                                              ") before assigning it again");
    }
    try {
        c.expect('(', "after the call name");
        arguments(c, step, vars, procs);
        bool hasResult = c.accept('=');
        if (hasResult && (step.call == Call::Share || step.call == Call::Give))
            LineCursor::failAt(c.pos() - 1,
                               std::string(name) + "() makes no system call, so it has no result to expect");
        if (hasResult)
            step.expect = expectation(c);
        step.together = c.accept('&');
        if (!c.atEnd()) {
            if (step.together)
                c.failExpected("the end of the line after '&'");
            c.failExpected(hasResult ? "'&' or the end of the line after the result"
                                     : "'=', '&' or the end of the line after ')'");
        }
    } catch (const LineError &) {
        if (!step.assign.empty())
            vars[step.assign] = {step.actor, true, lineNo, assignsEpoll(step, vars), {}};
        throw;
    }
    if (!step.assign.empty())
        vars[step.assign] = {step.actor, true, lineNo, assignsEpoll(step, vars), {}};
    if (step.call == Call::Close)
        vars[step.sock].open = false;
    applyProcessStep(step, vars, procs, lineNo);
}

} // namespace sockscope::core
