// SPDX-License-Identifier: GPL-3.0-or-later
// Start-up to first frame (DESIGN.md budget: MainWindow <= 1.2 x a bare QCustomPlot window). The benchmark
// starts itself as a child process, alternately in each mode, so both pay Qt's one-time costs (plugins, fonts,
// style) under the same conditions, and times from before the child's exec to the line the child prints right
// after its first frame reached the backing store (dynamic linking included, tear-down excluded). The child
// also reports the time from its main() to the frame, and for MainWindow the time until the work deferred past
// the first frame is done too. Median of the runs; offscreen unless QT_QPA_PLATFORM says otherwise. Prints
// numbers; asserts nothing.
// Usage: bench_ui_startup [runs]

#include "ui/mainwindow.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QProcess>
#include <QStandardPaths>
#include <QTimer>
#include <qcustomplot.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <memory>
#include <vector>

using namespace sockscope;

namespace {

// Quits once the watched window has painted: the backing store paints a window and its children in one
// pass, so a zero timer posted from the window's first Paint runs after the whole frame.
class FirstFrame : public QObject
{
public:
    FirstFrame(const QElapsedTimer &since, double appMs, double windowMs)
        : m_since(since), m_appMs(appMs), m_windowMs(windowMs)
    {
    }
    bool eventFilter(QObject *, QEvent *event) override
    {
        if (event->type() == QEvent::Paint && !m_seen) {
            m_seen = true;
            QTimer::singleShot(0, [this] {
                std::printf("%.2f %.2f %.2f\n", static_cast<double>(m_since.nsecsElapsed()) / 1e6, m_appMs, m_windowMs);
                std::fflush(stdout); // the parent stops its clock on this line
                if (auto *w = qobject_cast<ui::MainWindow *>(parent()))
                    w->ensureComplete(); // what the window deferred past its first frame, for the record
                std::printf("%.2f\n", static_cast<double>(m_since.nsecsElapsed()) / 1e6);
                QCoreApplication::quit();
            });
        }
        return false;
    }

private:
    const QElapsedTimer &m_since;
    double m_appMs, m_windowMs; // main() to QApplication, then to the window constructed
    bool m_seen = false;
};

int child(int argc, char **argv, bool mainWindow)
{
    QElapsedTimer since;
    since.start();
    QApplication app(argc, argv);
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(QStringLiteral("sockscope-bench"));
    const double appMs = static_cast<double>(since.nsecsElapsed()) / 1e6;
    std::unique_ptr<QWidget> window;
    if (mainWindow) {
        window = std::make_unique<ui::MainWindow>();
    } else {
        auto plot = std::make_unique<QCustomPlot>();
        plot->addGraph();
        plot->graph(0)->setData({0, 1, 2, 3}, {1, 3, 2, 4});
        plot->rescaleAxes();
        plot->resize(1400, 900);
        window = std::move(plot);
    }
    auto *probe = new FirstFrame(since, appMs, static_cast<double>(since.nsecsElapsed()) / 1e6 - appMs);
    probe->setParent(window.get());
    window->installEventFilter(probe);
    window->show();
    return QApplication::exec();
}

struct Sample
{
    double wallMs = 0;     // exec to the child's first-frame line, measured by the parent
    double innerMs = 0;    // main() to first frame, reported by the child
    double completeMs = 0; // main() to the end of the deferred construction
    double appMs = 0;      // of which creating the QApplication
    double windowMs = 0;   // and constructing the window
};

Sample runChild(const QString &self, const char *mode)
{
    QProcess p;
    p.setProcessChannelMode(QProcess::SeparateChannels);
    QElapsedTimer t;
    t.start();
    p.start(self, {QString::fromLatin1(mode)});
    while (!p.canReadLine() && p.waitForReadyRead(30000)) {
    }
    Sample s;
    s.wallMs = static_cast<double>(t.nsecsElapsed()) / 1e6;
    p.waitForFinished(30000);
    const QList<QByteArray> lines = p.readAllStandardOutput().trimmed().split('\n');
    const QList<QByteArray> f = lines.value(0).trimmed().split(' ');
    s.completeMs = lines.value(1).trimmed().toDouble();
    s.innerMs = f.value(0).toDouble();
    s.appMs = f.value(1).toDouble();
    s.windowMs = f.value(2).toDouble();
    return s;
}

double median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    return v.empty() ? 0 : v[v.size() / 2];
}

} // namespace

int main(int argc, char **argv)
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    if (argc > 1 && std::strcmp(argv[1], "--mainwindow") == 0)
        return child(argc, argv, true);
    if (argc > 1 && std::strcmp(argv[1], "--qcustomplot") == 0)
        return child(argc, argv, false);
    QCoreApplication app(argc, argv);
    const int runs = argc > 1 ? std::max(1, std::atoi(argv[1])) : 9;
    const QString self = QCoreApplication::applicationFilePath();
    std::vector<double> mwWall, mwInner, qcpWall, qcpInner, mwApp, mwCtor, qcpApp, qcpCtor, mwComplete;
    runChild(self, "--qcustomplot"); // warm the page cache for both
    runChild(self, "--mainwindow");
    for (int i = 0; i < runs; ++i) {
        const Sample a = runChild(self, "--qcustomplot");
        const Sample b = runChild(self, "--mainwindow");
        qcpWall.push_back(a.wallMs);
        qcpInner.push_back(a.innerMs);
        qcpApp.push_back(a.appMs);
        qcpCtor.push_back(a.windowMs);
        mwApp.push_back(b.appMs);
        mwCtor.push_back(b.windowMs);
        mwWall.push_back(b.wallMs);
        mwInner.push_back(b.innerMs);
        mwComplete.push_back(b.completeMs);
    }
    const double ratioWall = median(mwWall) / median(qcpWall);
    const double ratioInner = median(mwInner) / median(qcpInner);
    std::printf("start-up to first frame, median of %d runs (budget: MainWindow <= 1.2 x bare QCustomPlot)\n", runs);
    std::printf("%-22s %15s %16s %10s %10s\n", "window", "exec_to_frame_ms", "main_to_frame_ms", "qapp_ms", "ctor_ms");
    std::printf("%-22s %15.1f %16.1f %10.1f %10.1f\n", "bare QCustomPlot", median(qcpWall), median(qcpInner),
                median(qcpApp), median(qcpCtor));
    std::printf("%-22s %15.1f %16.1f %10.1f %10.1f\n", "sockscope MainWindow", median(mwWall), median(mwInner),
                median(mwApp), median(mwCtor));
    std::printf("%-22s %15.2f %16.2f  %s\n", "ratio", ratioWall, ratioInner, ratioWall <= 1.2 ? "ok" : "OVER");
    std::printf("MainWindow complete (deferred docks and menus built): %.1f ms after main()\n", median(mwComplete));
    return 0;
}
