// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Brief: the lab's sock_diag sampler: a thread that dumps the namespace's TCP sockets while something happens
// (at most once a millisecond) and seldom while nothing does, and records each dump that differs from the last.
// Thread-safety: start() and stop() from one thread; the dump lock is shared with the scheduler's own dumps.

#include "core/lab/labrecorder.h"
#include "core/lab/packetcapture.h"
#include "core/lab/sockdiag.h"

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <thread>

namespace sockscope::core {

class DiagSampler
{
public:
    // A count that grows whenever a socket may have changed: a call entered or returned, a segment was captured.
    using Activity = std::function<std::uint64_t()>;
    // The lab's: the recorder's calls and the capture's segments (capture may be null: no capture).
    static Activity labActivity(const LabRecorder &recorder, const PacketCapture *capture);
    // Between two dumps while there is activity: a state that lasts longer than this is seen.
    static constexpr auto kActivePeriod = std::chrono::milliseconds(1);
    // With no activity a socket changes only by a timer that sends nothing (TIME_WAIT or FIN_WAIT_2 expiring, a
    // connection timing out): seen within this.
    static constexpr auto kIdlePeriod = std::chrono::milliseconds(20);

    // dumpMutex is held for a whole dump, so the scheduler's drain never splits one.
    DiagSampler(SockDiag &diag, LabRecorder &recorder, std::mutex &dumpMutex, Activity activity);
    ~DiagSampler(); // stop()
    void start();
    void stop(); // returns at once, also from an idle wait

    // One dump, stamped before the request and after the last reply; the caller holds the dump lock.
    static DiagRecord dump(SockDiag &diag);
    std::uint64_t dumps() const { return m_dumps; } // how many the thread made (the benchmark reports it)

private:
    void loop();

    SockDiag &m_diag;
    LabRecorder &m_recorder;
    std::mutex &m_dumpMutex;
    Activity m_activity;
    std::thread m_thread;
    std::mutex m_quitMutex;
    std::condition_variable m_quitChanged;
    bool m_quit = false;                   // guarded by m_quitMutex
    std::atomic<std::uint64_t> m_dumps{0}; // written by the sampler thread
};

} // namespace sockscope::core
