// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/lab/parent/labclient.h"

#include "core/stream/eventjson.h"
#include "core/stream/eventlimits.h"
#include "core/stream/jsonline.h"

#include <nlohmann/json.hpp>

#include <cerrno>
#include <climits>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

namespace sockscope::core {

namespace {

void closeFd(int &fd)
{
    if (fd >= 0)
        ::close(fd);
    fd = -1;
}

int pidfdOpen(pid_t pid)
{
    return static_cast<int>(::syscall(SYS_pidfd_open, pid, 0));
}

void pidfdKill(int pidfd)
{
    if (pidfd >= 0)
        ::syscall(SYS_pidfd_send_signal, pidfd, SIGKILL, nullptr, 0);
}

std::string describeStatus(int status)
{
    if (WIFEXITED(status))
        return "exited with status " + std::to_string(WEXITSTATUS(status));
    if (WIFSIGNALED(status)) {
        const char *abbrev = sigabbrev_np(WTERMSIG(status));
        return std::string("was killed by ") +
               (abbrev ? "SIG" + std::string(abbrev) : "signal " + std::to_string(WTERMSIG(status)));
    }
    return "ended";
}

// Writes all of text to fd without ever raising SIGPIPE in this process: the signal is blocked on this thread
// for the write and, when the reader has gone, the one the write raised is consumed. Returns errno or 0.
int writeNoSigpipe(int fd, const std::string &text)
{
    sigset_t pipeSet, old;
    sigemptyset(&pipeSet);
    sigaddset(&pipeSet, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &pipeSet, &old);
    int err = 0;
    size_t off = 0;
    while (off < text.size()) {
        ssize_t n = ::write(fd, text.data() + off, text.size() - off);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            err = n < 0 ? errno : EIO;
            break;
        }
        off += static_cast<size_t>(n);
    }
    if (err == EPIPE && !sigismember(&old, SIGPIPE)) {
        const timespec zero{};
        while (::sigtimedwait(&pipeSet, nullptr, &zero) < 0 && errno == EINTR) {
        }
    }
    pthread_sigmask(SIG_SETMASK, &old, nullptr);
    return err;
}

} // namespace

std::string defaultLabBinary()
{
    if (const char *fake = std::getenv("SOCKSCOPE_LAB_BINARY"); fake && *fake)
        return fake;
    char buf[PATH_MAX];
    ssize_t n = ::readlink("/proc/self/exe", buf, sizeof buf - 1);
    if (n <= 0)
        return "sockscope-lab";
    const std::string self(buf, static_cast<size_t>(n));
    const std::string dir = self.substr(0, self.rfind('/') + 1);
    // The build tree keeps the runner beside the program; an install puts it in libexec, found relative to
    // bin/ so that a relocated prefix (DESTDIR, /opt, a .deb) still works.
    const std::string beside = dir + "sockscope-lab";
    if (::access(beside.c_str(), X_OK) == 0)
        return beside;
    return dir + SOCKSCOPE_LAB_RELPATH;
}

std::unique_ptr<LabSession> LabSession::start(const Scenario &scenario, const LabOptions &options, std::string *error)
{
    int in[2], out[2], err[2];
    if (::pipe2(in, O_CLOEXEC) != 0 || ::pipe2(out, O_CLOEXEC) != 0 || ::pipe2(err, O_CLOEXEC) != 0) {
        *error = std::string("cannot create pipes for the lab: ") + std::strerror(errno);
        return nullptr;
    }
    std::string binary = options.labBinary.empty() ? defaultLabBinary() : options.labBinary;
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, in[0], STDIN_FILENO);
    posix_spawn_file_actions_adddup2(&actions, out[1], STDOUT_FILENO);
    posix_spawn_file_actions_adddup2(&actions, err[1], STDERR_FILENO);
    std::vector<std::string> envStore;
    std::vector<char *> env;
    for (char **e = environ; *e; ++e)
        env.push_back(*e);
    if (options.forceHost) {
        envStore.push_back("SOCKSCOPE_FORCE_HOST=1");
        env.push_back(envStore.back().data());
    }
    env.push_back(nullptr);
    char *argv[] = {binary.data(), nullptr};
    pid_t pid = -1;
    int rc = ::posix_spawn(&pid, binary.c_str(), &actions, nullptr, argv, env.data());
    posix_spawn_file_actions_destroy(&actions);
    ::close(in[0]);
    ::close(out[1]);
    ::close(err[1]);
    if (rc != 0) {
        ::close(in[1]);
        ::close(out[0]);
        ::close(err[0]);
        *error = "cannot start the lab runner " + binary + ": " + std::strerror(rc);
        return nullptr;
    }
    std::unique_ptr<LabSession> s(new LabSession());
    s->m_pid = pid;
    s->m_in = in[1];
    s->m_out = out[0];
    s->m_err = err[0];
    // Only this process reaps the child, so its pid cannot be reused before this call.
    s->m_pidfd = pidfdOpen(pid);
    if (s->m_pidfd < 0) {
        *error =
            std::string("cannot watch the lab runner (pidfd_open needs Linux 5.3 or later): ") + std::strerror(errno);
        ::kill(pid, SIGKILL); // not reaped yet: still ours
        return nullptr;       // the destructor reaps it
    }
    s->m_scenario = scenario;
    s->m_options = options;
    s->m_runBoundMs = options.runBoundMs > 0 ? options.runBoundMs : runBoundMs(scenario, options.watchdogSlackMs);
    s->startRunning();
    s->arm(runBudgetMs(scenario, 0, options.watchdogSlackMs));
    s->m_reader = EventStreamReader(static_cast<int>(scenario.steps.size()));
    nlohmann::json header = {{"name", scenario.name},         {"path", scenario.path},
                             {"source", scenario.source},     {"step_mode", options.stepMode},
                             {"settle_us", options.settleUs}, {"block_ms", options.blockDetectMs},
                             {"bound_ms", s->m_runBoundMs}};
    s->send(header.dump()); // a lab that died at once is reported by pump()
    return s;
}

LabSession::~LabSession()
{
    if (m_pid > 0) {
        if (m_phase != Phase::Finished)
            pidfdKill(m_pidfd); // a run still going is ended; a finished one is only reaped
        reap(m_phase == Phase::Finished ? m_options.exitGraceMs : 0);
    }
    closeFd(m_pidfd);
    closeFd(m_in);
    closeFd(m_out);
    closeFd(m_err);
}

// Waits up to graceMs for the child to exit on its own, then kills it. Never waits without a bound (a child
// killed with SIGKILL exits at once). Returns the wait status.
int LabSession::reap(int graceMs)
{
    if (m_pid <= 0)
        return m_status;
    const auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(std::max(0, graceMs));
    for (;;) {
        const auto left =
            std::chrono::duration_cast<std::chrono::milliseconds>(until - std::chrono::steady_clock::now());
        pollfd p{m_pidfd, POLLIN, 0}; // a pidfd is readable once its process exited
        int r = ::poll(&p, 1, static_cast<int>(std::max<long>(0, left.count())));
        if (r < 0 && errno == EINTR)
            continue;
        break;
    }
    int status = 0;
    if (::waitpid(m_pid, &status, WNOHANG) != m_pid) {
        m_killed = true;
        pidfdKill(m_pidfd);
        while (::waitpid(m_pid, &status, 0) < 0 && errno == EINTR) {
        }
    }
    m_pid = -1;
    m_status = status;
    return status;
}

bool LabSession::awaitExit(std::string *error)
{
    if (m_pid <= 0 || m_phase != Phase::Finished)
        return true;
    reap(m_options.exitGraceMs);
    if (!m_killed)
        return true;
    *error = "the lab wrote its end event but did not exit within " + std::to_string(m_options.exitGraceMs) +
             " ms and was killed";
    return false;
}

// The run's bound counts only the stretches the lab runs: from start(), step(), resume() or stop() to a pause.
void LabSession::startRunning()
{
    m_runningSince = std::chrono::steady_clock::now();
}

void LabSession::stopRunning()
{
    m_ranMs += std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - m_runningSince);
}

// The lab ends itself at its bound; the parent stops it kRunBoundGraceMs later.
std::chrono::milliseconds LabSession::runLeft() const
{
    const auto running = m_ranMs + std::chrono::duration_cast<std::chrono::milliseconds>(
                                       std::chrono::steady_clock::now() - m_runningSince);
    return std::chrono::milliseconds(m_runBoundMs + kRunBoundGraceMs) - running;
}

void LabSession::arm(int budgetMs)
{
    m_budgetMs = budgetMs;
    m_deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(budgetMs);
}

bool LabSession::send(const std::string &line)
{
    int err = m_in < 0 ? EPIPE : writeNoSigpipe(m_in, line + "\n");
    if (err == 0)
        return true;
    const std::string what = line.empty() || line.front() == '{' ? std::string("the scenario") : "\"" + line + "\"";
    m_sendError = "could not send " + what + " to the lab: " + std::strerror(err);
    closeFd(m_in);
    return false;
}

// A command starts the watchdog again: only the time the lab spends running counts, never a pause.
bool LabSession::command(const char *word, int budgetMs)
{
    if (m_phase == Phase::Paused)
        startRunning();
    m_phase = Phase::Running;
    arm(budgetMs);
    return send(word);
}

bool LabSession::step()
{
    return command("step",
                   groupBudgetMs(m_scenario, static_cast<size_t>(std::max(0, m_nextStep)), m_options.watchdogSlackMs));
}

bool LabSession::resume()
{
    return command("continue",
                   runBudgetMs(m_scenario, static_cast<size_t>(std::max(0, m_nextStep)), m_options.watchdogSlackMs));
}

bool LabSession::stop()
{
    return command("stop", groupBudgetMs(m_scenario, m_scenario.steps.size(), m_options.watchdogSlackMs));
}

void LabSession::interrupt()
{
    pidfdKill(m_pidfd);
}

std::string LabSession::drainStderr()
{
    std::string text;
    char buf[4096];
    int fl = ::fcntl(m_err, F_GETFL);
    ::fcntl(m_err, F_SETFL, fl | O_NONBLOCK);
    ssize_t n;
    while ((n = ::read(m_err, buf, sizeof buf)) > 0 && text.size() < 65536)
        text.append(buf, static_cast<size_t>(n));
    while (!text.empty() && (text.back() == '\n' || text.back() == ' '))
        text.pop_back();
    return text;
}

bool LabSession::fail(const EventSink &sink, const std::string &message, std::string *error)
{
    *error = message;
    if (m_pid > 0) {
        pidfdKill(m_pidfd);
        reap(0);
    }
    if (m_sawRun && m_phase != Phase::Finished)
        sink(Event{m_lastN + 1, m_lastT, EndInfo{false, m_lastT, 0, 0, message}});
    m_phase = Phase::Finished;
    return false;
}

// One line of the lab's stdout. *more = false when pump() returns with the result.
bool LabSession::handleLine(const std::string &line, const EventSink &sink, std::string *error, bool *more)
{
    *more = false;
    if (line.rfind("{\"control\":\"waiting\"", 0) == 0) {
        // A long wait begins: progress only, the lab goes on running (docs/events.md, "Control lines").
        if (auto ctl = parseJsonLine(line, nullptr); ctl && ctl->is_object() && m_options.onLongWait) {
            const auto step = ctl->find("step"), ms = ctl->find("ms");
            if (step != ctl->end() && step->is_number_unsigned() &&
                step->get<std::uint64_t>() < m_scenario.steps.size() && ms != ctl->end() && ms->is_number_unsigned() &&
                ms->get<std::uint64_t>() <= std::uint64_t(kMaxTotalWaitMs))
                m_options.onLongWait(step->get<int>(), ms->get<std::int64_t>());
        }
        *more = true;
        return true;
    }
    if (line.rfind("{\"control\"", 0) == 0) {
        m_nextStep = -1;
        if (auto ctl = parseJsonLine(line, nullptr); ctl && ctl->is_object())
            if (auto next = ctl->find("next"); next != ctl->end() && next->is_number_unsigned() &&
                                               next->get<std::uint64_t>() < std::uint64_t(kMaxSteps))
                m_nextStep = next->get<int>();
        if (m_phase != Phase::Paused)
            stopRunning();
        m_phase = Phase::Paused;
        return true;
    }
    JsonLineResult r = m_reader.read(line);
    if (!r.event)
        return fail(sink, "the lab sent a malformed event: " + r.error, error);
    m_lastN = r.event->n;
    m_lastT = r.event->tNs;
    m_sawRun = m_sawRun || r.event->kind() == EventKind::Run;
    const bool end = r.event->kind() == EventKind::End;
    sink(std::move(*r.event));
    if (end) {
        // The lab's own exit can take a while (closing the capture socket waits for an RCU grace period,
        // ~20 ms): the run is complete now, and the destructor reaps the child within a bounded time.
        m_phase = Phase::Finished;
        int status = 0;
        if (::waitpid(m_pid, &status, WNOHANG) == m_pid) {
            m_pid = -1;
            m_status = status;
        }
        return false;
    }
    *more = true;
    return true;
}

bool LabSession::pump(const EventSink &sink, std::string *error)
{
    if (m_phase == Phase::Finished)
        return false;
    for (;;) {
        size_t nl;
        while ((nl = m_buffer.find('\n')) != std::string::npos) {
            std::string line = m_buffer.substr(0, nl);
            m_buffer.erase(0, nl + 1);
            bool more = false;
            bool result = handleLine(line, sink, error, &more);
            if (!more)
                return result;
        }
        if (m_buffer.size() > kMaxJsonLineBytes)
            return fail(sink,
                        "the lab sent a line longer than " + std::to_string(kMaxJsonLineBytes) +
                            " bytes without a newline and was stopped",
                        error);
        const auto silence =
            std::chrono::duration_cast<std::chrono::milliseconds>(m_deadline - std::chrono::steady_clock::now());
        const auto bound = runLeft();
        if (bound.count() <= 0)
            return fail(sink, "the lab exceeded its " + boundText(m_runBoundMs) + " bound and was stopped", error);
        pollfd p{m_out, POLLIN, 0};
        int r = silence.count() > 0 ? ::poll(&p, 1, static_cast<int>(std::min(silence, bound).count())) : 0;
        if (r < 0 && errno == EINTR)
            continue;
        if (r == 0 && silence <= bound)
            return fail(sink, "the lab did not answer for " + boundText(m_budgetMs) + " and was stopped", error);
        if (r == 0)
            continue; // the run's bound: reported above
        char buf[65536];
        ssize_t n = ::read(m_out, buf, sizeof buf);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            // Closed its stdout: it is exiting (or should be; it gets the grace period, then it is killed).
            const int status = reap(m_options.exitGraceMs);
            std::string why = drainStderr();
            if (why.empty())
                why = m_sendError;
            const std::string cut = m_buffer.empty()
                                        ? ""
                                        : "; its stream ended in the middle of a line (" +
                                              std::to_string(m_buffer.size()) + " bytes without a newline)";
            return fail(sink, "the lab process " + describeStatus(status) + cut + (why.empty() ? "" : ": " + why),
                        error);
        }
        m_streamBytes += n;
        if (m_streamBytes > m_options.maxStreamBytes)
            return fail(sink,
                        "the lab wrote more than " + std::to_string(m_options.maxStreamBytes) +
                            " bytes, more than any run can, and was stopped",
                        error);
        m_buffer.append(buf, static_cast<size_t>(n));
        arm(m_budgetMs); // it is alive: the silence starts again
    }
}

bool runLab(const Scenario &scenario, const LabOptions &options, const EventSink &sink, std::string *error)
{
    auto session = LabSession::start(scenario, options, error);
    if (!session)
        return false;
    while (session->pump(sink, error)) {
        if (session->paused())
            session->resume();
    }
    if (error->empty())
        session->awaitExit(error);
    return error->empty();
}

} // namespace sockscope::core
