// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/lab/parent/labclient.h"

#include "core/stream/eventjson.h"

#include <nlohmann/json.hpp>

#include <cerrno>
#include <climits>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
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

// Generous: the sum of the scenario's own sleeps and waits plus every step's timeout.
int watchdogMs(const Scenario &s)
{
    long ms = 10000;
    for (const auto &step : s.steps) {
        if (step.call == Call::Sleep || step.call == Call::Wait)
            ms += step.number;
        if (step.call == Call::Poll || step.call == Call::EpollWait)
            ms += step.timeoutMs;
    }
    ms += static_cast<long>(s.steps.size()) * 200 + s.stepTimeoutMs * 2L;
    return static_cast<int>(std::min<long>(ms, INT_MAX));
}

std::string describeStatus(int status)
{
    if (WIFEXITED(status))
        return "exited with status " + std::to_string(WEXITSTATUS(status));
    if (WIFSIGNALED(status))
        return std::string("was killed by ") + (sigabbrev_np(WTERMSIG(status)) ? "SIG" : "signal ") +
               (sigabbrev_np(WTERMSIG(status)) ? sigabbrev_np(WTERMSIG(status)) : std::to_string(WTERMSIG(status)));
    return "ended";
}

} // namespace

std::string defaultLabBinary()
{
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
    s->m_watchdogMs = watchdogMs(scenario);
    nlohmann::json header = {{"name", scenario.name},         {"path", scenario.path},
                             {"source", scenario.source},     {"step_mode", options.stepMode},
                             {"settle_us", options.settleUs}, {"block_ms", options.blockDetectMs}};
    s->send(header.dump());
    return s;
}

LabSession::~LabSession()
{
    if (m_pid > 0) {
        if (!m_finished)
            ::kill(m_pid, SIGKILL); // a run still going is ended; a finished one is only reaped
        int status = 0;
        ::waitpid(m_pid, &status, 0);
    }
    closeFd(m_in);
    closeFd(m_out);
    closeFd(m_err);
}

void LabSession::send(const std::string &line)
{
    if (m_in < 0)
        return;
    std::string text = line + "\n";
    size_t off = 0;
    while (off < text.size()) {
        ssize_t n = ::write(m_in, text.data() + off, text.size() - off);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return; // the lab is gone; pump() reports why
        off += static_cast<size_t>(n);
    }
}

void LabSession::step()
{
    m_paused = false;
    send("step");
}

void LabSession::resume()
{
    m_paused = false;
    send("continue");
}

void LabSession::stop()
{
    m_paused = false;
    send("stop");
}

void LabSession::interrupt()
{
    if (m_pid > 0)
        ::kill(m_pid, SIGKILL);
}

std::string LabSession::drainStderr()
{
    std::string text;
    char buf[4096];
    int fl = ::fcntl(m_err, F_GETFL);
    ::fcntl(m_err, F_SETFL, fl | O_NONBLOCK);
    ssize_t n;
    while ((n = ::read(m_err, buf, sizeof buf)) > 0)
        text.append(buf, static_cast<size_t>(n));
    while (!text.empty() && (text.back() == '\n' || text.back() == ' '))
        text.pop_back();
    return text;
}

bool LabSession::fail(const EventSink &sink, const std::string &message, std::string *error)
{
    *error = message;
    if (m_pid > 0) {
        ::kill(m_pid, SIGKILL);
        int status = 0;
        ::waitpid(m_pid, &status, 0);
        m_pid = -1;
    }
    if (m_sawRun && !m_finished)
        sink(Event{m_lastN + 1, m_lastT, EndInfo{false, m_lastT, 0, 0, message}});
    m_finished = true;
    return false;
}

bool LabSession::pump(const EventSink &sink, std::string *error)
{
    if (m_finished)
        return false;
    for (;;) {
        size_t nl;
        while ((nl = m_buffer.find('\n')) != std::string::npos) {
            std::string line = m_buffer.substr(0, nl);
            m_buffer.erase(0, nl + 1);
            if (line.rfind("{\"control\"", 0) == 0) {
                auto ctl = nlohmann::json::parse(line, nullptr, false);
                m_nextStep = (!ctl.is_discarded() && ctl.contains("next") && ctl["next"].is_number_integer())
                                 ? ctl["next"].get<int>()
                                 : -1;
                m_paused = true;
                return true;
            }
            JsonLineResult r = fromJsonLine(line);
            if (!r.event)
                return fail(sink, "the lab sent a malformed event: " + r.error, error);
            m_lastN = r.event->n;
            m_lastT = r.event->tNs;
            m_sawRun = m_sawRun || r.event->kind() == EventKind::Run;
            bool end = r.event->kind() == EventKind::End;
            sink(std::move(*r.event));
            if (end) {
                // The lab's own exit can take a while (closing the capture socket waits for an RCU grace
                // period, ~20 ms): the run is complete now, and the destructor reaps the child.
                m_finished = true;
                int status = 0;
                if (::waitpid(m_pid, &status, WNOHANG) == m_pid)
                    m_pid = -1;
                return false;
            }
        }
        pollfd p{m_out, POLLIN, 0};
        int r = ::poll(&p, 1, m_watchdogMs);
        if (r < 0 && errno == EINTR)
            continue;
        if (r == 0)
            return fail(sink,
                        "the lab did not answer for " + std::to_string(m_watchdogMs / 1000) + " s and was stopped",
                        error);
        char buf[65536];
        ssize_t n = ::read(m_out, buf, sizeof buf);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            int status = 0;
            ::waitpid(m_pid, &status, 0);
            m_pid = -1;
            std::string why = drainStderr();
            return fail(sink, "the lab process " + describeStatus(status) + (why.empty() ? "" : ": " + why), error);
        }
        m_buffer.append(buf, static_cast<size_t>(n));
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
    return error->empty();
}

} // namespace sockscope::core
