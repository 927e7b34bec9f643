// SPDX-License-Identifier: GPL-3.0-or-later
// The thread-affinity checks hold in the build that ships (NDEBUG, where Q_ASSERT is nothing): a RunModel or a
// LabWorker called from a thread that does not own it ends the program, naming the function, instead of
// corrupting the run on show. Each call runs in a child process, whose death is the verdict. The child is this
// program executed anew (SOCKSCOPE_THREADCHECK_CHILD names the case), not a bare fork: QtTest's watchdog thread
// is running at the fork, and a forked copy of a multi-threaded process may not start a thread under TSan
// ("starting new threads after multi-threaded fork is not supported").

#include "ui/model/runmodel.h"

#include <QtTest>

#include <csignal>
#include <cstdlib>
#include <cstring>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

using namespace sockscope;

namespace {

constexpr const char *kChildVar = "SOCKSCOPE_THREADCHECK_CHILD";

// The child's cases, by name: what each one does to a RunModel.
int childMain(const char *what)
{
    ui::RunModel model;
    if (std::strcmp(what, "other-thread") == 0)
        std::thread([&] { model.clear(); }).join();
    else if (std::strcmp(what, "own-thread") == 0)
        model.clear();
    else
        return 3;
    return 0;
}

// Runs the child case `what`; returns its wait status. The child's stderr goes to a pipe, returned in *err.
int inChild(const char *what, QByteArray *err)
{
    int fds[2];
    if (::pipe(fds) != 0)
        return -1;
    const pid_t pid = ::fork();
    if (pid == 0) {
        ::dup2(fds[1], STDERR_FILENO);
        ::setenv(kChildVar, what, 1);
        ::execl("/proc/self/exe", "ui_test_threadcheck", static_cast<char *>(nullptr));
        ::_exit(127);
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
        const int status = inChild("other-thread", &err);
        QVERIFY2(WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT, err.constData());
        QVERIFY2(err.contains("RunModel::clear") && err.contains("a thread that does not own the object"),
                 err.constData());
    }
    void runModelFromItsOwnThreadGoesOn()
    {
        QByteArray err;
        const int status = inChild("own-thread", &err);
        QVERIFY2(WIFEXITED(status) && WEXITSTATUS(status) == 0, err.constData());
    }
};

int main(int argc, char **argv)
{
    if (const char *what = std::getenv(kChildVar))
        return childMain(what);
    QCoreApplication app(argc, argv);
    TestThreadCheck test;
    QTEST_SET_MAIN_SOURCE_PATH
    return QTest::qExec(&test, argc, argv);
}
#include "test_threadcheck.moc"
