// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Brief: the event stream's value types (one struct per kind, see docs/events.md).
// Thread-safety: plain values; safe to copy between threads, no shared state.

#include "core/stream/errnonames.h" // errno names are part of the stream's vocabulary

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace sockscope::core {

inline constexpr int kEventStreamVersion = 1;

enum class EventKind
{
    Run,
    Socket,
    Step,
    Syscall,
    Return,
    Signal,
    Packet,
    State,
    Queue,
    Timer,
    Check,
    End
};

// RFC 9293 names; Closed first so a value-initialised state is CLOSED.
enum class TcpState
{
    Closed,
    Listen,
    SynSent,
    SynReceived,
    Established,
    FinWait1,
    FinWait2,
    CloseWait,
    Closing,
    LastAck,
    TimeWait,
};
inline constexpr int kTcpStateCount = 11;

// Bit values are the TCP header's, so a captured flags byte can be stored as it is.
enum class SegmentFlag : std::uint8_t
{
    Fin = 0x01,
    Syn = 0x02,
    Rst = 0x04,
    Psh = 0x08,
    Ack = 0x10,
    Urg = 0x20
};

// The timer a socket has pending, as sock_diag names it (ss -o: on, keepalive, timewait, persist).
enum class TimerKind
{
    Off,        // none pending
    Retransmit, // retransmission (and its tail loss probe): unacknowledged data, SYN or FIN; a SYN-ACK's
    Keepalive,  // the socket timer: keepalive, or an orphan's FIN_WAIT_2 timeout
    TimeWait,   // the TIME_WAIT (or short FIN_WAIT_2) minisocket's lifetime
    Persist,    // zero-window probe
};
inline constexpr int kTimerKindCount = 5;

// Why a timer event was shown (docs/events.md, "Timers").
enum class TimerChange
{
    Armed,     // a timer of another kind than the last one shown is pending
    Stopped,   // the timer shown is no longer pending
    Restarted, // same kind and count, but due later than the previous sample said
    Backoff,   // its count went up: a retransmission (or probe) was sent and the timer re-armed
};
inline constexpr int kTimerChangeCount = 4;

enum class StateSource
{
    Derived,
    Kernel
};

struct RunInfo
{
    int version = kEventStreamVersion;
    std::string scenario; // name (built-in) or path
    std::string title;
    std::string kernel;    // uname -r
    std::string isolation; // "netns" or "host"
    bool capture = false;
    std::string captureNote;  // why capture is off, or empty
    std::int64_t startNs = 0; // absolute CLOCK_REALTIME of t_ns == 0
    // The scenario's kernel settings, as written in the run's namespace: {"net.ipv4.tcp_fin_timeout", 5}.
    std::vector<std::pair<std::string, std::int64_t>> sysctl;
};

struct SocketInfo
{
    std::string sock; // stable name: "server.listen", "server.1", "client.1"
    std::string actor;
    std::string role;  // "listen", "accepted", "connect"
    int fd = -1;       // -1 while the socket has no fd (not yet accepted, or closed)
    std::string local; // "127.0.0.1:5000", "[::1]:5000", or "" while unknown
    std::string remote;
};

struct StepInfo
{
    int step = 0;
    std::string actor;
    std::string text; // the scenario line, trimmed
    int line = 0;
    std::string note; // optional teaching note of the step
};

struct SyscallArg
{
    std::string key;
    std::string value;
    bool isNumber = false; // written as a JSON number when true
};

struct SyscallInfo
{
    std::int64_t id = 0;
    int step = 0;
    std::string actor;
    std::string call; // "socket", "connect", "send", ...
    int fd = -1;
    std::string sock; // stable name of the fd's socket, or ""
    std::vector<SyscallArg> args;
};

// The value of a call's argument by key ("addr", "len"), "" when the call has none.
std::string callArg(const SyscallInfo &call, std::string_view key);

struct ReturnInfo
{
    std::int64_t id = 0;
    std::int64_t ret = 0;
    std::string err; // errno name ("EPIPE"), or "" for none
    std::int64_t durNs = 0;
    std::optional<std::string> data; // bytes read, poll events, option value
};

struct SignalInfo
{
    std::string actor;
    std::string signal;      // "SIGPIPE"
    std::int64_t during = 0; // syscall id
};

struct PacketInfo
{
    std::string from; // sock names, "" when no socket owns that end (e.g. RST from a closed port)
    std::string to;
    std::string src; // "ip:port"
    std::string dst;
    std::uint8_t flags = 0;  // SegmentFlag bits
    std::uint32_t seq = 0;   // relative to the sender's ISN
    std::uint32_t ack = 0;   // relative to the receiver's ISN
    std::uint32_t len = 0;   // payload bytes
    std::uint32_t win = 0;   // advertised window, unscaled
    std::string hdr;         // hex of the captured IP + TCP headers (for pcapng export), may be ""
    std::string payload;     // hex of the payload's captured first bytes (at most len, for pcapng), may be ""
    bool dropped = false;    // sent, captured, then dropped on the wire by a fault rule: it never arrived
    int retx = 0;            // k > 0: the k-th retransmission (the sender sent this sequence number k times before)
    std::int64_t retxNs = 0; // retransmissions: time since the first transmission of the same sequence number
};

struct StateInfo
{
    std::string sock;
    TcpState from = TcpState::Closed;
    TcpState to = TcpState::Closed;
    StateSource source = StateSource::Derived;
    std::int64_t cause = -1;             // n of the causing event, -1 if none
    bool conflict = false;               // kernel only: snapshot contradicts the derived state
    TcpState derived = TcpState::Closed; // kernel only, meaningful when conflict
};

struct QueueInfo
{
    std::string sock;
    std::int64_t recvQ = 0;
    std::int64_t sendQ = 0;
};

struct TimerInfo
{
    std::string sock;
    TimerKind timer = TimerKind::Off;
    TimerChange change = TimerChange::Armed;
    std::int64_t expiresMs = 0; // time left at the sample (0 when off)
    std::int64_t retrans = 0;   // retransmissions (retransmit) or probes sent (keepalive, persist)
    std::int64_t movedMs = 0;   // Restarted only: how much later it is due than the previous sample said
};

struct CheckInfo
{
    int step = 0;
    std::string expected;
    std::string got;
    bool ok = false;
};

struct EndInfo
{
    bool ok = false;
    std::int64_t durationNs = 0;
    std::int64_t packets = 0;
    std::int64_t drops = 0;
    std::string error; // why the run ended early (timeout, lab failure), or ""
};

// Alternative order matches EventKind.
using EventPayload = std::variant<RunInfo, SocketInfo, StepInfo, SyscallInfo, ReturnInfo, SignalInfo, PacketInfo,
                                  StateInfo, QueueInfo, TimerInfo, CheckInfo, EndInfo>;

struct Event
{
    std::int64_t n = 0;
    std::int64_t tNs = 0;
    EventPayload payload;

    EventKind kind() const { return static_cast<EventKind>(payload.index()); }
    template <typename T> const T *as() const { return std::get_if<T>(&payload); }
    template <typename T> T *as() { return std::get_if<T>(&payload); }
};

std::string_view kindName(EventKind kind);
std::optional<EventKind> kindFromName(std::string_view name);
std::string_view stateName(TcpState state);
std::optional<TcpState> stateFromName(std::string_view name);
std::string_view timerName(TimerKind kind); // "off", "retransmit", "keepalive", "timewait", "persist"
std::optional<TimerKind> timerFromName(std::string_view name);
std::string_view timerChangeName(TimerChange change); // "armed", "stopped", "restarted", "backoff"
std::optional<TimerChange> timerChangeFromName(std::string_view name);
// "SYN ACK", in the fixed order SYN FIN RST PSH ACK URG.
std::string flagsText(std::uint8_t flags);
std::vector<std::string> flagNames(std::uint8_t flags);
std::optional<std::uint8_t> flagFromName(std::string_view name);
inline bool hasFlag(std::uint8_t flags, SegmentFlag f)
{
    return (flags & static_cast<std::uint8_t>(f)) != 0;
}
// A segment that carries only ACK and no payload (drawn dashed).
inline bool isPureAck(const PacketInfo &p)
{
    return p.flags == static_cast<std::uint8_t>(SegmentFlag::Ack) && p.len == 0;
}

} // namespace sockscope::core
