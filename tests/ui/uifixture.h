// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Fixtures of the UI tests: JSON Lines event files, read by core's one stream reader, and the settings each
// test program keeps out of the user's (header-only: tests/ui globs test_*.cpp into executables).

#include "core/stream/eventreader.h"
#include "ui/mainwindow.h"
#include "ui/model/runmodel.h"
#include "ui/model/viewstate.h"

#include <QCoreApplication>
#include <QSettings>
#include <QSize>
#include <QStandardPaths>
#include <QString>
#include <QtTest>

#include <fstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace sockscope::uitest {

inline std::vector<core::Event> loadFixture(const std::string &name)
{
    std::ifstream in(std::string(SOCKSCOPE_FIXTURES) + "/" + name);
    if (!in)
        throw std::runtime_error("cannot open fixture " + name);
    core::EventStreamReader reader;
    std::vector<core::Event> events;
    std::string line;
    int lineNo = 0;
    while (std::getline(in, line)) {
        ++lineNo;
        if (line.empty())
            continue;
        auto r = reader.read(line);
        if (!r.event)
            throw std::runtime_error(name + ":" + std::to_string(lineNo) + ": " + r.error);
        events.push_back(std::move(*r.event));
    }
    return events;
}

// The test program's own settings (its organisation name), empty at the start.
inline void useOwnSettings(const QString &organisation)
{
    QCoreApplication::setOrganizationName(organisation);
    QSettings().clear();
}

// The settings shared by the window tests, in Qt's test-mode locations, out of the user's.
inline void useTestModeSettings()
{
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(QStringLiteral("sockscope-tests"));
}

// A view with a run model and a view state of its own (every view of a run is built on the two).
template <typename View> struct RunView
{
    ui::RunModel run;
    ui::ViewState view;
    View widget{&run, &view};
};

// Shows the window (at size, when one is given), waits until it is exposed, then builds what comes after the
// first frame (the teaching actions, the editor). False when the window never became exposed.
inline bool showComplete(ui::MainWindow &w, QSize size = {})
{
    if (size.isValid())
        w.resize(size);
    w.show();
    if (!QTest::qWaitForWindowExposed(&w))
        return false;
    w.ensureComplete();
    return true;
}

} // namespace sockscope::uitest
