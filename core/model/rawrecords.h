// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Brief: raw observations made inside the lab (calls, kernel snapshots) before they become events.
// The lab fills them (core/lab), the event builder reads them; nothing here touches the kernel.
// Thread-safety: plain values; LabRecorder (core/lab) guards the shared lists.

#include "core/scenario/scenario.h"
#include "core/stream/event.h"

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace sockscope::core {

// Kernel TCP state numbers (include/net/tcp_states.h) mapped to RFC 9293 names.
// TCP_NEW_SYN_RECV (12) maps to SYN_RECEIVED, TCP_CLOSE (7) to CLOSED.
std::optional<TcpState> stateFromKernel(int kernelState);
// inet_diag's idiag_timer (net/ipv4/inet_diag.c): 1 retransmit (or loss probe, or a request socket's SYN-ACK),
// 2 the socket timer (keepalive), 3 TIME_WAIT, 4 zero-window probe; 0 and anything unknown: none.
TimerKind timerFromKernel(int idiagTimer);

struct DiagSocket
{
    int kernelState = 0; // idiag_state
    TcpState state = TcpState::Closed;
    std::uint64_t cookie = 0; // idiag_cookie, equals SO_COOKIE of the fd
    bool v6 = false;
    std::string local;       // "127.0.0.1:5000", "[::1]:5000"
    std::string remote;      // "0.0.0.0:0" for a listener
    std::uint32_t recvQ = 0; // idiag_rqueue (accept queue length for a listener)
    std::uint32_t sendQ = 0; // idiag_wqueue (backlog for a listener)
    std::uint32_t inode = 0; // 0 for orphans, TIME_WAIT and request sockets
    // The pending timer as inet_diag reports it in the base message (net/ipv4/inet_diag.c): idiag_timer, and
    // idiag_retrans (retransmit: icsk_retransmits, or a request socket's SYN-ACK resends; keepalive and persist:
    // probes sent; TIME_WAIT: 0), idiag_expires (ms left, 0 when none or already due).
    TimerKind timer = TimerKind::Off;
    std::uint32_t timerRetrans = 0;
    std::uint32_t timerExpiresMs = 0;
};

struct FdSnapshot
{
    int kernelState = -1;     // tcpi_state, -1 when TCP_INFO failed
    std::uint64_t cookie = 0; // SO_COOKIE
    std::string local;        // getsockname, "" when unbound
    std::string remote;       // getpeername, "" when not connected
    int recvQ = 0;            // SIOCINQ
    int sendQ = 0;            // SIOCOUTQ
};

struct RawPacket
{
    std::int64_t tNs = 0; // CLOCK_REALTIME, from the ring's per-packet stamp
    bool v6 = false;
    std::array<std::uint8_t, 16> srcIp{}; // IPv4 uses the first 4 bytes
    std::array<std::uint8_t, 16> dstIp{};
    std::uint16_t srcPort = 0;
    std::uint16_t dstPort = 0;
    std::uint8_t flags = 0; // TCP header flag byte (FIN=1, SYN=2, RST=4, PSH=8, ACK=16, URG=32)
    std::uint32_t seq = 0;  // absolute, host order
    std::uint32_t ack = 0;
    std::uint32_t payloadLen = 0;
    std::uint16_t window = 0;          // raw header value
    std::vector<std::uint8_t> headers; // IP + TCP header bytes as captured (no payload)
    std::vector<std::uint8_t> payload; // the payload's first bytes as captured (the snap length cuts the rest)
    std::uint32_t wireLen = 0;         // IP packet length
    bool dropped = false;              // a fault rule dropped it after the capture saw it (core/lab/wirefaults)
};

std::string ipText(const std::array<std::uint8_t, 16> &ip, bool v6);                           // "127.0.0.1", "::1"
std::string endpointText(const std::array<std::uint8_t, 16> &ip, std::uint16_t port, bool v6); // "[::1]:80"

// Only what must be known at the moment of the call: names and arguments are filled in when the event
// stream is built, so a recorded call costs two clock reads and an append.
struct CallEnter
{
    std::int64_t id = 0;
    std::int64_t tNs = 0;       // CLOCK_REALTIME, just before the call
    const Step *step = nullptr; // the scenario's step (lives as long as the run)
    int fd = -1;
    std::vector<int> fds; // exit(): the descriptors it is about to close, in fd order
};

// signal(): what the sender delivered to whom.
struct SentSignal
{
    std::string actor;       // the target
    std::string signal;      // "SIGALRM"
    std::int64_t during = 0; // the target's call in progress, 0 when it was in none
    std::int64_t tNs = 0;    // just before the signal was sent
};

struct CallExit
{
    std::int64_t id = 0;
    std::int64_t tNs = 0; // CLOCK_REALTIME, just after the call
    std::int64_t ret = 0;
    int err = 0;
    std::optional<std::string> data;
    bool sigpipe = false;
    int fd = -1;    // the fd acted on
    int newFd = -1; // socket()/accept() result
    // accept() only: the new connection's addresses, to find its socket. Every other fd is snapshotted by the
    // scheduler after the step, off the call's path.
    FdSnapshot newFdAfter;
    std::int64_t snapNs = 0;        // when newFdAfter was complete
    std::vector<int> closedFds;     // exit(): the descriptors it closed, in the order it closed them
    std::optional<SentSignal> sent; // signal(): the signal delivered
};

struct StepMark
{
    std::int64_t tNs = 0;
    int step = 0;
    bool skipped = false; // its actor had exited (a SIGPIPE with the default action): nothing was run
};

struct DiagRecord
{
    std::int64_t t0Ns = 0; // before the dump request
    std::int64_t t1Ns = 0; // after the last reply
    std::vector<DiagSocket> sockets;
    // Every TCP socket of the namespace is listed: one the previous dump listed and this one does not has left
    // the kernel's tables (false when the dump failed part-way: absence then proves nothing).
    bool complete = true;
};

struct FdRecord
{
    std::int64_t tNs = 0; // before the fd was read
    int fd = -1;
    FdSnapshot snap;
    std::int64_t t1Ns = 0; // after it was read (0: at tNs)
};

struct RawBatch
{
    std::vector<CallEnter> enters;
    std::vector<CallExit> exits;
    std::vector<StepMark> steps;
    std::vector<FdRecord> fds;
    std::vector<DiagRecord> diags;
};

} // namespace sockscope::core
