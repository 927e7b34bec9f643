// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/lab/diagsampler.h"

#include "core/model/timerwatch.h"

namespace sockscope::core {

DiagSampler::DiagSampler(SockDiag &diag, LabRecorder &recorder, std::mutex &dumpMutex, Activity activity)
    : m_diag(diag), m_recorder(recorder), m_dumpMutex(dumpMutex), m_activity(std::move(activity))
{
}

DiagSampler::Activity DiagSampler::labActivity(const LabRecorder &recorder, const PacketCapture *capture)
{
    return [&recorder, capture] { return recorder.activity() + (capture ? capture->segmentsRead() : 0); };
}

DiagSampler::~DiagSampler()
{
    stop();
}

void DiagSampler::start()
{
    if (!m_thread.joinable())
        m_thread = std::thread([this] { loop(); });
}

void DiagSampler::stop()
{
    {
        std::lock_guard lock(m_quitMutex);
        m_quit = true;
    }
    m_quitChanged.notify_all();
    if (m_thread.joinable())
        m_thread.join();
}

DiagRecord DiagSampler::dump(SockDiag &diag)
{
    DiagRecord rec;
    rec.t0Ns = realtimeNs();
    std::string dumpError;
    rec.sockets = diag.dump(&dumpError);
    rec.t1Ns = realtimeNs();
    rec.complete = dumpError.empty(); // a dump cut short proves nothing about the sockets it did not list
    return rec;
}

// Every dump of a busy namespace lists every socket, TIME_WAIT ones included (their timers must stay observable),
// so a dump's cost grows with the sockets a run made; dumping only when something happened since the last one
// spares an idle run (a sleep(), a teacher's pause, a blocked call) that cost. Activity is read before the dump,
// so anything that happens during it is followed by another.
void DiagSampler::loop()
{
    std::vector<DiagSocket> last;
    // A timer counting down is no change; one the event builder will show an event for is (core/model/timerwatch).
    TimerWatch timers;
    std::uint64_t seen = m_activity();
    bool first = true;
    auto lastDump = std::chrono::steady_clock::now();
    std::unique_lock quitLock(m_quitMutex);
    while (!m_quit) {
        const std::uint64_t now = m_activity();
        if (first || now != seen || std::chrono::steady_clock::now() - lastDump >= kIdlePeriod) {
            first = false;
            seen = now;
            quitLock.unlock();
            {
                std::lock_guard lock(m_dumpMutex);
                DiagRecord rec = dump(m_diag);
                lastDump = std::chrono::steady_clock::now();
                ++m_dumps;
                bool same = rec.sockets.size() == last.size();
                for (size_t i = 0; same && i < last.size(); ++i)
                    same = last[i].cookie == rec.sockets[i].cookie &&
                           last[i].kernelState == rec.sockets[i].kernelState && last[i].recvQ == rec.sockets[i].recvQ &&
                           last[i].sendQ == rec.sockets[i].sendQ;
                bool timerNews = false;
                for (const DiagSocket &s : rec.sockets) // every socket, so the watch follows each one
                    timerNews = timers.see(s.cookie, timerSample(rec, s)).has_value() || timerNews;
                same = (same && !timerNews) || !rec.complete; // a failed dump is not kept
                if (!same) {
                    last = rec.sockets;
                    m_recorder.pushDiag(std::move(rec));
                }
            }
            quitLock.lock();
        }
        m_quitChanged.wait_for(quitLock, kActivePeriod, [this] { return m_quit; });
    }
}

} // namespace sockscope::core
