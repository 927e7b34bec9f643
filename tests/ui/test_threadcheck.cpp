// SPDX-License-Identifier: GPL-3.0-or-later
// The thread-affinity checks hold in the build that ships (NDEBUG, where Q_ASSERT is nothing): a RunModel or a
// LabWorker called from a thread that does not own it ends the program, naming the function, instead of
// corrupting the run on show. Each call runs in a forked child, whose death is the verdict.

#include "ui/model/runmodel.h"

#include <QtTest>

#include <csignal>
#include <functional>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

using namespace sockscope;

namespace {

// Runs body in a forked child; returns its wait status. The child's stderr goes to a pipe, returned in *err.
int inChild(const std::function<void()> &body, QByteArray *err)
{
    int fds[2];
    if (::pipe(fds) != 0)
        return -1;
    const pid_t pid = ::fork();
    if (pid == 0) {
        ::dup2(fds[1], STDERR_FILENO);
        // Qt's own message handler and abort, not QtTest's (which report to stdout and print a stack trace).
        qInstallMessageHandler(nullptr);
        ::signal(SIGABRT, SIG_DFL);
        body();
        ::_exit(0);
    }
    ::close(fds[1]);
    char buf[4096];
    ssize_t n;
    while ((n = ::read(fds[0], buf, sizeof buf)) > 0)
        err->append(buf, static_cast<int>(n));
    ::close(fds[0]);
    int status = 0;
    ::waitpid(pid, &status, 0);
    return status;
}

} // namespace

class TestThreadCheck : public QObject
{
    Q_OBJECT
private slots:
    void runModelFromAnotherThreadEndsTheProgram()
    {
        QByteArray err;
        const int status = inChild(
            [] {
                ui::RunModel model;
                std::thread([&] { model.clear(); }).join();
            },
            &err);
        QVERIFY2(WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT, err.constData());
        QVERIFY2(err.contains("RunModel::clear") && err.contains("a thread that does not own the object"),
                 err.constData());
    }
    void runModelFromItsOwnThreadGoesOn()
    {
        QByteArray err;
        const int status = inChild(
            [] {
                ui::RunModel model;
                model.clear();
            },
            &err);
        QVERIFY2(WIFEXITED(status) && WEXITSTATUS(status) == 0, err.constData());
    }
};

QTEST_GUILESS_MAIN(TestThreadCheck)
#include "test_threadcheck.moc"
