// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Brief: a parsed scenario (metadata, actors, steps with expectations); see docs/scenario-format.md.
// Thread-safety: plain values; the parser functions are pure.

#include "core/stream/event.h"

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sockscope::core {

enum class Call
{
    Socket,      // V = socket(v4|v6 [, nonblock])
    Setsockopt,  // setsockopt(V, SO_LINGER, on, secs) | (V, SO_REUSEADDR|SO_RCVBUF|SO_SNDBUF|TCP_NODELAY|O_NONBLOCK, n)
    Getsockopt,  // getsockopt(V, SO_ERROR|SO_RCVBUF|SO_SNDBUF|TCP_NODELAY|SO_LINGER|SO_REUSEADDR)
    Fcntl,       // fcntl(V, O_NONBLOCK)   (sets O_NONBLOCK)
    Bind,        // bind(V, ADDR)
    Listen,      // listen(V, backlog)
    Connect,     // connect(V, ADDR)
    Accept,      // V2 = accept(V)
    Send,        // send(V, N | "text" [, MSG_NOSIGNAL] [, MSG_DONTWAIT] [, MSG_OOB]); N may be 0
    Write,       // write(V, N | "text")
    Recv,        // recv(V, N [, MSG_DONTWAIT] [, MSG_PEEK] [, MSG_WAITALL] [, MSG_TRUNC] [, MSG_OOB])
    Read,        // read(V, N)
    Shutdown,    // shutdown(V, SHUT_RD|SHUT_WR|SHUT_RDWR)
    Close,       // close(V)
    Poll,        // poll(V, EVENTS, timeout_ms)      EVENTS: POLLIN|POLLPRI|POLLOUT|POLLRDHUP
    EpollWait,   // epoll_wait(V, EVENTS, timeout_ms) EVENTS: EPOLLIN|EPOLLPRI|EPOLLOUT|EPOLLRDHUP|EPOLLET
    Sleep,       // sleep(ms): the actor's thread sleeps
    Wait,        // wait(ms): the scheduler pauses before the next step; no actor is busy
    Getsockname, // getsockname(V): the data is the local address, "127.0.0.1:5000"
    Getpeername, // getpeername(V): the data is the peer's address
    Accept4,     // V2 = accept4(V, SOCK_NONBLOCK|SOCK_CLOEXEC)
    Select,      // select(V, READ|WRITE|EXCEPT, timeout_ms): one descriptor in the sets named
    EpollCreate, // E = epoll_create(): a persistent epoll instance; epoll_wait(E, timeout_ms) waits on it
    EpollCtl,    // epoll_ctl(E, ADD|MOD, V, EVENTS) | epoll_ctl(E, DEL, V)   EVENTS may hold EPOLLET|EPOLLONESHOT
    // Shared descriptors and dying processes (docs/scenario-format.md, "Descriptors, processes and signals").
    Dup,    // B = dup(A): a second descriptor for the same socket (or epoll instance)
    Share,  // share(V, ACTOR): ACTOR may use V too, as another thread of the process would; no system call
    Give,   // give(V, ACTOR): V now belongs to ACTOR (fork() + close in the parent, or SCM_RIGHTS); no system call
    Exit,   // exit(): the actor's process ends; the kernel closes every descriptor it owns, in fd order
    Signal, // signal(ACTOR, SIGALRM|SIGUSR1 [, SA_RESTART]): a signal with a handler, sent to ACTOR's thread
    Kill,   // kill(ACTOR): SIGKILL: ACTOR's call in progress never returns, and its process exits as by exit()
    // sendmsg()/recvmsg() with one buffer: as send()/recv(), and recvmsg() reports the msg_flags the kernel set.
    Sendmsg, // sendmsg(V, N | "text" [, FLAGS])
    Recvmsg, // recvmsg(V, N [, FLAGS])
};

// What a write that raises SIGPIPE does to its actor ('sigpipe:' metadata).
enum class SigpipeAction
{
    Report,  // (no 'sigpipe:' for the actor) blocked and collected: shown, and the actor goes on
    Ignore,  // SIG_IGN: the write fails with EPIPE and no signal is delivered
    Default, // SIG_DFL: the signal ends the actor's process (its descriptors are closed as by exit())
};

// accept() and accept4() both hand out a connection from the accept queue.
inline bool isAccept(Call call)
{
    return call == Call::Accept || call == Call::Accept4;
}

std::string_view callName(Call call);

// A loopback address: 127.x.y.z or ::1; bind() also takes the wildcard 0.0.0.0 or :: and port 0 (ephemeral).
struct SockAddr
{
    std::string ip; // "127.0.0.1", "::1", "0.0.0.0", "::"
    std::uint16_t port = 0;
    bool v6 = false;
    bool unspec = false;      // connect(V, AF_UNSPEC): dissolve the association
    std::string text() const; // "127.0.0.1:5000", "[::1]:5000", "AF_UNSPEC"
};

struct Expectation
{
    enum class Kind
    {
        Value,   // = N           (return value N)
        Error,   // = -1 ENAME
        AnyFd,   // = fd          (any non-negative value)
        Blocked, // = blocked     (the call is still blocked when the scheduler moves on)
    };
    Kind kind = Kind::Value;
    std::int64_t value = 0;
    std::string err;               // errno name for Kind::Error
    std::vector<std::string> data; // "[EPOLLIN EPOLLHUP]" or "[ECONNREFUSED]" or "[1]": compared as a set, if given
    bool hasData = false;
    bool sigpipe = false; // ", SIGPIPE": a SIGPIPE must (true) or must not (false) be raised by the call
    std::string text;     // as written, without the leading '='
};

// A fault on the wire, installed in the lab's namespace just before the step it is attached to is released
// ("drop: ..." lines, "blackhole", "restore"; docs/scenario-format.md, "Faults on the wire").
struct WireFault
{
    enum class Kind
    {
        Drop,      // drop: [FROM -> TO | any] (all | FLAGS [after FIN] [#N] | P% [seed S])
        Blackhole, // every segment, both ways, until restore
        Restore,   // removes every fault in force
    };
    Kind kind = Kind::Drop;
    int line = 0;
    int column = 1;
    std::string from; // sending actor; "" with to "" = either direction
    std::string to;
    std::uint8_t flags = 0; // SegmentFlag bits that must all be set; 0 = every segment
    bool onlyAck = false;   // "ACK" alone: no other flag set (a pure acknowledgment)
    bool afterFin = false;  // only once a FIN came the other way (the ACK that answers it)
    int nth = 0;            // "#N": the Nth matching segment only (1-based); 0 = every one
    int percent = 0;        // "P%": 1..100 of the matching segments, chosen by a seeded pattern
    std::uint32_t seed = 1; // "seed S"
    std::string text;       // as written, trimmed
};

// A "~ ..." line after a step: what the wire or a socket must show once the step is done, checked like the
// call's expectation (docs/scenario-format.md, "Expectations about segments and states").
struct WireExpectation
{
    enum class Kind
    {
        Sent,    // ~ [FROM -> TO] FLAGS      a matching segment was captured during the step
        NotSent, // ~ no [FROM -> TO] FLAGS   none was
        State,   // ~ SOCK STATE              the socket's derived state after the step ("client.1 TIME_WAIT")
        Timer,   // ~ SOCK timer CHANGE       a timer event of the socket with that change during the step
        NoTimer, // ~ no SOCK timer CHANGE    none
    };
    Kind kind = Kind::Sent;
    int line = 0;
    int column = 1;
    std::string from, to;                             // actors; "" = either way
    std::uint8_t flags = 0;                           // SegmentFlag bits that must all be set
    bool onlyAck = false;                             // "ACK" alone: a pure acknowledgment
    std::string sock;                                 // State: the stable socket name
    std::string state;                                // State: an RFC 9293 name, "TIME_WAIT"
    TimerChange timerChange = TimerChange::Restarted; // Timer, NoTimer
    std::string text;                                 // as written, without the '~'
};

// A per-scenario kernel setting ("sysctl: net.ipv4.tcp_fin_timeout=5"), written in the lab's private network
// namespace before the first step (core/scenario/kernelsettings.h has the whitelist).
struct KernelSetting
{
    std::string name; // "net.ipv4.tcp_fin_timeout"
    std::int64_t value = 0;
    int line = 0;
    int column = 1;
};

struct Step
{
    int index = 0;  // 0-based position in Scenario::steps
    int line = 0;   // 1-based
    int column = 1; // 1-based column of the actor name
    std::string actor;
    std::string assign; // "A" in "A = accept(L)"; "" when nothing is assigned
    Call call = Call::Sleep;
    std::string sock;               // the socket variable the call acts on ("" for sleep/wait/socket)
    std::string epoll;              // the epoll variable of epoll_ctl and of epoll_wait(E, MS); "" otherwise
    std::string target;             // the other actor of share/give/signal; "" otherwise
    bool v6 = false;                // socket(v6)
    bool nonblock = false;          // socket(v4, nonblock)
    SockAddr addr;                  // bind/connect
    std::int64_t number = 0;        // backlog, byte count, ms, option value, linger on/off
    std::int64_t number2 = 0;       // SO_LINGER seconds
    std::string option;             // "SO_LINGER", "SO_ERROR", "SHUT_WR", "SIGALRM", ...
    std::string payload;            // send/write "text"; empty when a byte count was given
    std::vector<std::string> flags; // "MSG_NOSIGNAL", "POLLIN", "SA_RESTART", ...
    int timeoutMs = 0;              // poll/epoll_wait timeout
    bool together = false;          // a trailing '&': released at the same moment as the next step
    std::optional<Expectation> expect;
    std::string note;                         // '>' lines after the step, joined with '\n'
    std::vector<WireFault> faults;            // installed just before the step, in this order (the lines above it)
    std::vector<WireExpectation> wireExpects; // '~' lines after the step
    std::string text;                         // the step's source text, trimmed
};

struct Scenario
{
    std::string name; // file stem: "close-unread-data"
    std::string path; // as given, or ":builtin/NAME.scn"
    std::string title;
    std::string topic;
    std::string summary;
    std::string notes; // teaching notes; paragraphs separated by '\n'
    int stepTimeoutMs = 3000;
    std::vector<KernelSetting> sysctls; // "sysctl:" lines, in the file's order
    std::vector<std::string> actors;
    std::map<std::string, SigpipeAction, std::less<>> sigpipe; // by actor; an actor not listed: Report
    std::vector<Step> steps;
    std::string source; // the whole file text
};

// A run's sleeps, waits and poll timeouts added up may last this long; one sleep() or wait() may take all of it.
inline constexpr std::int64_t kMaxTotalWaitMs = 300000;
// A sleep() or wait() at least this long is announced by the lab ({"control":"waiting"}), so that the CLI and
// the window show its progress while no event comes.
inline constexpr std::int64_t kLongWaitMs = 1000;

// The 'sigpipe:' disposition of an actor.
inline SigpipeAction sigpipeAction(const Scenario &scenario, std::string_view actor)
{
    auto it = scenario.sigpipe.find(actor);
    return it == scenario.sigpipe.end() ? SigpipeAction::Report : it->second;
}

struct ParseError
{
    std::string file;
    int line = 0;
    int column = 0;
    std::string message;        // "expected ')' after the byte count"
    std::string format() const; // "file:line:column: error: message"
};

struct ParseResult
{
    std::optional<Scenario> scenario; // empty when errors is non-empty
    std::vector<ParseError> errors;
};

// fileName is used in errors and to derive Scenario::name.
ParseResult parseScenario(std::string_view text, const std::string &fileName);
// Reads the file first; a missing or unreadable file is one ParseError at line 0.
ParseResult loadScenarioFile(const std::string &path);

} // namespace sockscope::core
