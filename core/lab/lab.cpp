// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/lab/lab.h"

#include "core/lab/actor.h"
#include "core/lab/actorprocess.h"
#include "core/lab/dropmarker.h"
#include "core/lab/netns.h"
#include "core/lab/netsysctl.h"
#include "core/lab/nftrules.h"
#include "core/lab/packetcapture.h"
#include "core/lab/pauseclock.h"
#include "core/lab/runbound.h"
#include "core/lab/sockdiag.h"
#include "core/lab/wirefaults.h"
#include "core/model/eventbuilder.h"
#include "core/model/timerwatch.h"
#include "core/scenario/stepgroups.h"
#include "core/stream/eventjson.h"
#include "core/stream/jsonline.h"

#include <nlohmann/json.hpp>

#include <arpa/inet.h>
#include <atomic>
#include <csignal>
#include <cstdio>
#include <iostream>
#include <netinet/in.h>
#include <optional>
#include <poll.h>
#include <sys/socket.h>
#include <sys/utsname.h>
#include <thread>
#include <unistd.h>

namespace sockscope::core {

namespace {

// stdin carries the header and then commands, one per line; read through one buffer so none is lost.
std::string g_stdinBuffer;
bool g_stdinClosed = false;

void noopHandler(int) {}

void writeAll(const std::string &text)
{
    size_t off = 0;
    while (off < text.size()) {
        ssize_t n = ::write(STDOUT_FILENO, text.data() + off, text.size() - off);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            _exit(4); // the parent went away: nobody is left to read the run
        off += static_cast<size_t>(n);
    }
}

// Calls after which no segment can leave: the scheduler skips waiting for the capture.
bool quietCall(Call c)
{
    return c == Call::Socket || c == Call::Setsockopt || c == Call::Getsockopt || c == Call::Fcntl || c == Call::Bind ||
           c == Call::Listen || c == Call::Dup || c == Call::Share || c == Call::Give;
}

// Steps the scheduler does itself, on no actor's thread: wait() pauses, share() and give() only say who may use
// a descriptor (actors are threads of one process, so they share the descriptor table already).
bool schedulerStep(Call c)
{
    return c == Call::Wait || c == Call::Share || c == Call::Give;
}

// In the host's namespace the scenario's ports may be taken: each one is replaced by a free port.
std::map<std::uint16_t, std::uint16_t> freePortMap(const Scenario &scenario)
{
    std::map<std::uint16_t, std::uint16_t> map;
    for (const auto &s : scenario.steps) {
        if ((s.call != Call::Bind && s.call != Call::Connect) || s.addr.port == 0 || map.count(s.addr.port))
            continue;
        int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t len = sizeof a;
        if (fd >= 0 && ::bind(fd, reinterpret_cast<sockaddr *>(&a), sizeof a) == 0 &&
            ::getsockname(fd, reinterpret_cast<sockaddr *>(&a), &len) == 0)
            map[s.addr.port] = ntohs(a.sin_port);
        if (fd >= 0)
            ::close(fd);
    }
    return map;
}

class Lab
{
public:
    Lab(Scenario scenario, bool stepMode, int settleUs, int blockMs, int boundMs)
        : m_scenario(std::move(scenario)), m_stepMode(stepMode), m_settleUs(settleUs), m_blockMs(blockMs),
          m_boundMs(boundMs)
    {
    }
    int run();

private:
    // One sock_diag dump, stamped before the request and after the last reply; m_samplerMutex held.
    DiagRecord dumpDiag();
    void sampler();
    bool runGroup(size_t first, size_t last, std::string *error);
    bool waitCalls(const std::vector<std::pair<Actor *, std::int64_t>> &calls, const Step &step);
    void settle(bool expectSegments);
    void snapshotAll();
    void flush();
    std::string readCommand(bool block);
    void retime(Event &e, std::int64_t startNs);
    Actor &actor(const std::string &name);

    Scenario m_scenario;
    bool m_stepMode;
    int m_settleUs;
    int m_blockMs;
    int m_boundMs;
    std::unique_ptr<RunBoundWatch> m_bound; // from the namespace on (a thread: not before unshare)
    std::map<std::uint16_t, std::uint16_t> m_portMap;
    LabRecorder m_recorder;
    VarTable m_vars;
    std::unique_ptr<PacketCapture> m_capture;
    std::unique_ptr<SockDiag> m_diag;
    std::unique_ptr<WireFaults> m_faults; // null when the scenario has no fault lines
    std::unique_ptr<DropMarker> m_drops;  // with m_faults: marks what the rules dropped
    std::unique_ptr<EventBuilder> m_builder;
    std::vector<std::unique_ptr<Actor>> m_actors;
    std::vector<RawPacket> m_pendingPackets;
    std::vector<std::unique_ptr<std::atomic<int>>> m_barriers;
    std::atomic<std::int64_t> m_nextCall{1}; // actors take one too: a death by SIGPIPE is a call of its own
    std::mutex m_samplerMutex;               // held for a whole sock_diag dump, so a drain never splits one
    std::atomic<bool> m_samplerQuit{false};
    std::string m_out;  // pending stdout text
    PauseClock m_clock; // stepping: the teacher's pauses are not part of the run's time
};

Actor &Lab::actor(const std::string &name)
{
    for (auto &a : m_actors)
        if (a->name() == name)
            return *a;
    throw std::runtime_error("unknown actor " + name);
}

DiagRecord Lab::dumpDiag()
{
    DiagRecord rec;
    rec.t0Ns = realtimeNs();
    std::string dumpError;
    rec.sockets = m_diag->dump(&dumpError);
    rec.t1Ns = realtimeNs();
    rec.complete = dumpError.empty(); // a dump cut short proves nothing about the sockets it did not list
    return rec;
}

void Lab::sampler()
{
    // A dump every millisecond; only changes are kept, so an idle namespace costs almost nothing downstream.
    std::vector<DiagSocket> last;
    // A timer counting down is no change; one the event builder will show an event for is (core/model/timerwatch).
    TimerWatch timers;
    while (!m_samplerQuit.load()) {
        {
            std::lock_guard lock(m_samplerMutex);
            DiagRecord rec = dumpDiag();
            bool same = rec.sockets.size() == last.size();
            for (size_t i = 0; same && i < last.size(); ++i)
                same = last[i].cookie == rec.sockets[i].cookie && last[i].kernelState == rec.sockets[i].kernelState &&
                       last[i].recvQ == rec.sockets[i].recvQ && last[i].sendQ == rec.sockets[i].sendQ;
            bool timerNews = false;
            for (const DiagSocket &s : rec.sockets) // every socket, so the watch follows each one
                timerNews = timers.see(s.cookie, timerSample(rec, s)).has_value() || timerNews;
            same = (same && !timerNews) || !rec.complete; // a failed dump is not kept
            if (!same) {
                last = rec.sockets;
                m_recorder.pushDiag(std::move(rec));
            }
        }
        std::this_thread::sleep_for(std::chrono::microseconds(1000));
    }
}

void Lab::settle(bool expectSegments)
{
    if (!m_capture || !expectSegments)
        return;
    // Settled = the ring is drained and its newest segment is at least settleUs old.
    const std::int64_t quietNs = static_cast<std::int64_t>(m_settleUs) * 1000;
    for (int round = 0; round < 20; ++round) {
        m_capture->sync();
        auto fresh = m_capture->take();
        std::int64_t newest = 0;
        for (const auto &p : fresh)
            newest = std::max(newest, p.tNs);
        m_pendingPackets.insert(m_pendingPackets.end(), std::make_move_iterator(fresh.begin()),
                                std::make_move_iterator(fresh.end()));
        std::int64_t age = realtimeNs() - newest;
        if (fresh.empty() || age >= quietNs)
            return;
        std::this_thread::sleep_for(std::chrono::nanoseconds(quietNs - age));
    }
}

void Lab::snapshotAll()
{
    // Each fd is stamped on its own: a thread preempted in this loop reads the later fds milliseconds later.
    for (const auto &[var, fd] : m_vars.snapshot())
        if (fd >= 0) {
            const std::int64_t t0 = realtimeNs();
            FdSnapshot snap = snapshotFd(fd);
            m_recorder.pushFd(FdRecord{t0, fd, std::move(snap), realtimeNs()});
        }
    if (m_diag) {
        std::lock_guard lock(m_samplerMutex);
        m_recorder.pushDiag(dumpDiag());
    }
}

void Lab::flush()
{
    RawBatch batch;
    std::int64_t cutoff = 0;
    {
        std::lock_guard lock(m_samplerMutex);
        for (auto &a : m_actors)
            while (a->publishing())
                std::this_thread::yield();
        batch = m_recorder.drain();
        cutoff = realtimeNs();
        // Every segment stamped before the cutoff must be in this batch, or a kernel snapshot in it could be
        // judged against a model that has not seen that segment yet.
        if (m_capture)
            m_capture->sync();
    }
    if (m_capture) {
        auto fresh = m_capture->take();
        m_pendingPackets.insert(m_pendingPackets.end(), std::make_move_iterator(fresh.begin()),
                                std::make_move_iterator(fresh.end()));
    }
    std::vector<RawPacket> now;
    std::vector<RawPacket> later;
    for (auto &p : m_pendingPackets)
        (p.tNs <= cutoff ? now : later).push_back(std::move(p));
    m_pendingPackets = std::move(later);
    if (m_drops)
        m_drops->mark(now);
    m_builder->addBatch(std::move(batch), std::move(now));
    writeAll(m_out);
    m_out.clear();
}

bool Lab::waitCalls(const std::vector<std::pair<Actor *, std::int64_t>> &calls, const Step &step)
{
    const auto start = std::chrono::steady_clock::now();
    if (step.call == Call::Sleep) {
        m_recorder.waitExit(calls.front().second, std::chrono::milliseconds(step.number + m_scenario.stepTimeoutMs));
        return true;
    }
    std::vector<bool> done(calls.size(), false);
    std::vector<int> sleeping(calls.size(), 0);
    std::vector<std::chrono::steady_clock::time_point> entered(calls.size(), start);
    size_t remaining = calls.size();
    while (remaining > 0) {
        for (size_t i = 0; i < calls.size(); ++i) {
            if (done[i])
                continue;
            if (m_recorder.waitExit(calls[i].second, std::chrono::microseconds(100))) {
                done[i] = true;
                --remaining;
                continue;
            }
            // Blocked: inside the call and asleep in the kernel on three looks a while apart, or simply not
            // back blockMs after it entered. An actor that has not entered yet is only waiting for a CPU.
            if (!m_recorder.hasEntered(calls[i].second)) {
                entered[i] = std::chrono::steady_clock::now();
                sleeping[i] = 0;
                continue;
            }
            auto inside = std::chrono::steady_clock::now() - entered[i];
            if (inside > std::chrono::milliseconds(1))
                sleeping[i] = calls[i].first->kernelState() == 'S' ? sleeping[i] + 1 : 0;
            if (sleeping[i] >= 3 || inside > std::chrono::milliseconds(m_blockMs)) {
                done[i] = true;
                --remaining;
            }
        }
    }
    return true;
}

bool Lab::runGroup(size_t first, size_t last, std::string *error)
{
    std::vector<std::pair<Actor *, std::int64_t>> calls;
    // Owned by the lab, not this frame: an actor may still be spinning on it after a starved group timed out.
    m_barriers.push_back(std::make_unique<std::atomic<int>>(0));
    std::atomic<int> &barrier = *m_barriers.back();
    const bool together = last > first;
    int parties = 0;
    for (size_t i = first; i <= last; ++i)
        parties += schedulerStep(m_scenario.steps[i].call) ? 0 : 1;
    bool expectSegments = false;
    for (size_t i = first; i <= last; ++i) {
        const Step &step = m_scenario.steps[i];
        if (m_faults && !m_faults->apply(step, error))
            return false;
        Actor &a = actor(step.actor);
        // An actor whose process is gone (SIGPIPE's default action) runs nothing: shown, checked as not run.
        const bool skipped = a.dead() && step.call != Call::Wait;
        m_recorder.pushStep(static_cast<int>(i), skipped);
        if (skipped)
            continue;
        expectSegments = expectSegments || !quietCall(step.call);
        if ((step.call == Call::Wait || step.call == Call::Sleep) && step.number >= kLongWaitMs)
            writeAll(nlohmann::json({{"control", "waiting"}, {"step", i}, {"ms", step.number}}).dump() + "\n");
        if (step.call == Call::Wait) {
            std::this_thread::sleep_for(std::chrono::milliseconds(step.number));
            continue;
        }
        if (step.call == Call::Give)
            m_vars.setOwner(step.sock, step.target);
        if (schedulerStep(step.call))
            continue;
        // A step of an actor still blocked in an earlier call waits for it, up to the step timeout.
        auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(m_scenario.stepTimeoutMs);
        while (a.busy() && std::chrono::steady_clock::now() < deadline)
            std::this_thread::sleep_for(std::chrono::microseconds(200));
        if (a.dead()) // it died (SIGPIPE) in the call it was still in: this step never starts
            continue;
        if (a.busy()) {
            *error = "step " + std::to_string(i + 1) + " (line " + std::to_string(step.line) + "): " + step.actor +
                     " is still blocked in an earlier call after " + std::to_string(m_scenario.stepTimeoutMs) +
                     " ms, so \"" + step.text + "\" cannot start";
            return false;
        }
        std::int64_t id = m_nextCall++;
        a.dispatch(step, id, together ? &barrier : nullptr, parties);
        calls.emplace_back(&a, id);
    }
    if (!calls.empty())
        waitCalls(calls, m_scenario.steps[last]);
    settle(expectSegments);
    snapshotAll();
    flush();
    return true;
}

// The stream's times leave out the teacher's pauses (docs/events.md); a call's duration follows its stamps.
void Lab::retime(Event &e, std::int64_t startNs)
{
    const std::int64_t abs = e.tNs + startNs;
    const std::int64_t placed = m_clock.place(abs);
    if (auto *r = std::get_if<ReturnInfo>(&e.payload))
        r->durNs = placed - m_clock.at(abs - r->durNs);
    e.tNs = placed - startNs;
}

std::optional<std::string> takeLine()
{
    auto nl = g_stdinBuffer.find('\n');
    if (nl == std::string::npos)
        return std::nullopt;
    std::string line = g_stdinBuffer.substr(0, nl);
    g_stdinBuffer.erase(0, nl + 1);
    return line;
}

// Returns the next line; with block=false "" when none is waiting. End of input reads as "stop".
std::string readLine(bool block)
{
    for (;;) {
        if (auto line = takeLine())
            return *line;
        if (g_stdinClosed)
            return "stop";
        pollfd p{STDIN_FILENO, POLLIN, 0};
        int r = ::poll(&p, 1, block ? -1 : 0);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            return {};
        char buf[65536];
        ssize_t n = ::read(STDIN_FILENO, buf, sizeof buf);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            g_stdinClosed = true;
        else
            g_stdinBuffer.append(buf, static_cast<size_t>(n));
    }
}

std::string Lab::readCommand(bool block)
{
    return readLine(block);
}

int Lab::run()
{
    Isolation iso = enterPrivateNetns();
    if (!iso.error.empty()) {
        std::cerr << "sockscope-lab: " << iso.error << "\n";
        return 2;
    }
    m_bound = std::make_unique<RunBoundWatch>(m_boundMs);
    RunInfo info;
    info.scenario = m_scenario.path.rfind(":builtin/", 0) == 0 ? m_scenario.name : m_scenario.path;
    info.title = m_scenario.title;
    utsname u{};
    uname(&u);
    info.kernel = u.release;
    info.isolation = iso.netns ? "netns" : "host";
    if (!iso.netns)
        m_portMap = freePortMap(m_scenario);

    // Kernel settings are per network namespace: written only in the private one, never on the host.
    std::string settingsError;
    if (!m_scenario.sysctls.empty() && !iso.netns)
        settingsError = "kernel settings (sysctl:) need the private network namespace (" + iso.note + ")";
    else if (applyNamespaceSysctls(m_scenario.sysctls, &settingsError))
        for (const auto &s : m_scenario.sysctls)
            info.sysctl.emplace_back(s.name, s.value);

    std::string captureError;
    m_capture = PacketCapture::open(&captureError);
    info.capture = m_capture != nullptr;
    if (!iso.netns)
        info.captureNote = iso.note + (m_capture ? "" : "; " + captureError);
    else if (!m_capture)
        info.captureNote = captureError;
    std::string diagError;
    m_diag = SockDiag::open(&diagError);

    // Threads inherit this mask: SIGPIPE stays pending on the thread that caused it (actors collect theirs).
    sigset_t pipeSet;
    sigemptyset(&pipeSet);
    sigaddset(&pipeSet, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &pipeSet, nullptr);
    struct sigaction sa
    {
    };
    sa.sa_handler = noopHandler; // no SA_RESTART: a blocked call returns EINTR when the run ends
    sigaction(labInterruptSignal(), &sa, nullptr);

    info.startNs = realtimeNs();
    m_builder = std::make_unique<EventBuilder>(
        m_scenario, info,
        [this, startNs = info.startNs](Event &&e) {
            retime(e, startNs);
            m_out += toJsonLine(e);
            m_out += '\n';
        },
        m_portMap.empty() ? nullptr : &m_portMap);
    writeAll(m_out);
    m_out.clear();

    if (m_capture)
        m_capture->start();
    std::thread samplerThread;
    if (m_diag)
        samplerThread = std::thread([this] { sampler(); });
    const int cpus = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    for (size_t i = 0; i < m_scenario.actors.size(); ++i)
        m_actors.push_back(
            std::make_unique<Actor>(m_scenario.actors[i], static_cast<int>(i) % cpus, m_recorder, m_vars,
                                    m_portMap.empty() ? nullptr : &m_portMap,
                                    ActorProcess{sigpipeAction(m_scenario, m_scenario.actors[i]), &m_nextCall,
                                                 [this](const std::string &name) -> Actor * { return &actor(name); }}));

    std::string error = settingsError;
    if (error.empty() && hasWireFaults(m_scenario)) {
        // Rules on the host's loopback would reach every program there: faults run in the private namespace only.
        if (!iso.netns)
            error = "faults on the wire need the private network namespace (" + iso.note + ")";
        else if (auto reader = NflogReader::open(kNflogGroup, &error))
            m_drops = std::make_unique<DropMarker>(std::move(reader));
        if (m_drops)
            m_faults = WireFaults::open(m_scenario, &error);
    }
    for (size_t i = 0; i < m_scenario.steps.size() && error.empty();) {
        const size_t last = stepGroupLast(m_scenario.steps, i);
        if (m_stepMode) {
            m_clock.pauseBegan(realtimeNs());
            m_bound->pauseBegan();
            writeAll(nlohmann::json({{"control", "paused"}, {"next", i}}).dump() + "\n");
        }
        // Stepping: waits for the teacher without any time limit (the parent's watchdog stops while paused).
        std::string cmd = readCommand(m_stepMode);
        m_clock.pauseEnded(realtimeNs());
        m_bound->pauseEnded();
        // End of input means "no more commands": a stepping run stops, a free run goes on.
        if (cmd == "stop" && !m_stepMode && g_stdinClosed && g_stdinBuffer.empty())
            cmd.clear();
        if (cmd == "stop") {
            error = "stopped before step " + std::to_string(i + 1);
            break;
        }
        if (cmd == "continue")
            m_stepMode = false;
        if (!runGroup(i, last, &error))
            break;
        i = last + 1;
    }

    m_samplerQuit = true;
    if (samplerThread.joinable())
        samplerThread.join();
    EndInfo end;
    end.ok = true;
    end.error = error;
    if (m_capture) {
        // The kernel goes on sending after the last step (a send buffer still full, a window update): what the
        // capture read up to its stop is part of the run and goes out in one last batch, so the end's packet
        // count is the number of packet events (the soak's 100k-event run lost 106 of 118,011 without it).
        m_capture->stop();
        flush();
        auto stats = m_capture->stats();
        end.packets = static_cast<std::int64_t>(stats.packets);
        end.drops = static_cast<std::int64_t>(stats.drops);
    }
    // Calls still blocked are interrupted only now, after the last batch: their EINTR is not part of the run.
    for (auto &a : m_actors)
        a->stop();
    end.durationNs = m_clock.at(realtimeNs()) - info.startNs;
    m_builder->finish(end);
    writeAll(m_out);
    m_out.clear();
    return 0;
}

int runFromHeader(const nlohmann::ordered_json &j);

} // namespace

int labMain()
{
    std::string header = readLine(true);
    if (header.empty() || header == "stop") {
        std::cerr << "sockscope-lab: expected a scenario on stdin (this program is started by sockscope)\n";
        return 2;
    }
    auto parsedHeader = parseJsonLine(header, nullptr);
    const nlohmann::ordered_json j = parsedHeader.value_or(nlohmann::ordered_json());
    if (!j.is_object() || !j.contains("source") || !j.at("source").is_string()) {
        std::cerr << "sockscope-lab: the first stdin line must be a JSON scenario header\n";
        return 2;
    }
    // j.value() throws on a mistyped field: the header is the parent's, but a bad one must not abort.
    try {
        return runFromHeader(j);
    } catch (const nlohmann::json::exception &e) {
        std::cerr << "sockscope-lab: the scenario header is malformed: " << e.what() << "\n";
        return 2;
    }
}

namespace {
// A header without a bound (not from sockscope's parent) gets the parent's ceiling (labbudget.h).
constexpr int kDefaultBoundMs = 600000;

int runFromHeader(const nlohmann::ordered_json &j)
{
    ParseResult parsed = parseScenario(j.value("source", ""), j.value("path", "scenario.scn"));
    if (!parsed.scenario) {
        for (const auto &e : parsed.errors)
            std::cerr << e.format() << "\n";
        return 2;
    }
    parsed.scenario->path = j.value("path", parsed.scenario->path);
    parsed.scenario->name = j.value("name", parsed.scenario->name);
    Lab lab(std::move(*parsed.scenario), j.value("step_mode", false), j.value("settle_us", 300),
            j.value("block_ms", 15), j.value("bound_ms", kDefaultBoundMs));
    try {
        return lab.run();
    } catch (const std::exception &e) {
        std::cerr << "sockscope-lab: " << e.what() << "\n";
        return 3;
    }
}
} // namespace

} // namespace sockscope::core
