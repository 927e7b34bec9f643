// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/teach/classmode.h"

#include "core/scenario/builtins.h"
#include "ui/mainwindow.h"
#include "ui/model/labworker.h"
#include "ui/model/revealrule.h"
#include "ui/model/viewstate.h"
#include "ui/panels/scenariobrowser.h"
#include "ui/sequence/sequenceview.h"
#include "ui/timeline/timelineview.h"

#include <QAction>
#include <QDockWidget>
#include <QInputDialog>
#include <QMenuBar>
#include <QScrollBar>
#include <QSettings>
#include <QStatusBar>
#include <QToolBar>

#include <algorithm>
#include <array>
#include <memory>

namespace sockscope::ui {

namespace {
const QString kScaleKey = QStringLiteral("classMode/fontScale");
}

ClassMode::ClassMode(MainWindow *window) : QObject(window), m_window(window)
{
    m_scale = std::clamp(QSettings().value(kScaleKey, kDefaultScale).toDouble(), kMinScale, kMaxScale);
    // On the window, not in a menu: the menu bar is hidden in class mode. Useful outside it too.
    auto add = [this](const QString &text, const QKeySequence &key, auto slot) {
        auto *a = new QAction(text, m_window);
        a->setShortcut(key);
        a->setProperty("classModeAction", true);
        connect(a, &QAction::triggered, this, slot);
        m_window->addAction(a);
    };
    add(tr("Scroll the diagram left"), QKeySequence(Qt::SHIFT | Qt::Key_Left), [this] { scrollSideways(-1); });
    add(tr("Scroll the diagram right"), QKeySequence(Qt::SHIFT | Qt::Key_Right), [this] { scrollSideways(1); });
    add(tr("Choose a scenario..."), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_O), [this] { chooseScenario(); });
}

void ClassMode::scrollSideways(int direction)
{
    QScrollBar *bar = m_window->sequenceView()->horizontalScrollBar();
    bar->setValue(bar->value() + direction * std::max(bar->pageStep() / 3, bar->singleStep()));
}

void ClassMode::chooseScenario()
{
    QStringList items;
    int current = 0;
    // With reveal on, the choice offered first must not point at the lesson on screen.
    const bool hiding = RevealRule(*m_window->runModel(), *m_window->viewState()).hiding();
    const core::Scenario *shown = hiding ? nullptr : m_window->browser()->current();
    for (const core::BuiltinScenario &b : core::builtinScenarios()) {
        if (shown && shown->name == b.name)
            current = static_cast<int>(items.size());
        items << QString::fromStdString(b.name);
    }
    bool ok = false;
    const QString name = QInputDialog::getItem(m_window, tr("Choose a scenario"),
                                               tr("Scenario (it opens paused before its first step; F10 steps):"),
                                               items, current, false, &ok);
    if (ok)
        switchTo(name);
}

bool ClassMode::switchTo(const QString &name)
{
    LabWorker *worker = m_window->labWorker();
    if (!m_window->browser()->select(name))
        return false;
    const core::Scenario next = *m_window->browser()->current();
    if (!worker->isRunning())
        return worker->start(next, true);
    // The lesson on screen gives way: stop it, start the next one once it has ended.
    auto ended = std::make_shared<std::array<QMetaObject::Connection, 3>>();
    auto go = [worker, ended, next] {
        for (const QMetaObject::Connection &c : *ended)
            QObject::disconnect(c);
        worker->start(next, true);
    };
    (*ended)[0] = connect(worker, &LabWorker::runStopped, this, go, Qt::QueuedConnection);
    (*ended)[1] = connect(worker, &LabWorker::runFinished, this, go, Qt::QueuedConnection);
    (*ended)[2] = connect(worker, &LabWorker::runFailed, this, go, Qt::QueuedConnection);
    worker->stop();
    return true;
}

bool ClassMode::keepsDock(const QString &objectName)
{
    return objectName == QLatin1String("timelines") || objectName == QLatin1String("explanation");
}

void ClassMode::setActive(bool on)
{
    if (on == m_active)
        return;
    on ? enter() : leave();
    m_active = on;
    m_window->viewState()->setClassMode(on);
    emit activeChanged(on);
}

void ClassMode::setScale(double scale)
{
    m_scale = std::clamp(scale, kMinScale, kMaxScale);
    QSettings().setValue(kScaleKey, m_scale);
    if (m_active)
        applyLook();
}

void ClassMode::enter()
{
    m_state = m_window->saveState();
    m_geometry = m_window->saveGeometry();
    m_windowState = m_window->windowState();
    m_theme = m_window->viewState()->theme();
    m_zoom = m_window->sequenceView()->zoom();
    m_menuBar = m_window->menuBar()->isVisible();
    m_statusBar = m_window->statusBar()->isVisible();
    m_timelineAxis = m_window->timeline()->axis();
    // One step per event, as the diagram: at a projector the short states must be bands the class can see.
    m_window->timeline()->setAxis(StatePlottable::Axis::Events);

    for (QDockWidget *dock : m_window->findChildren<QDockWidget *>()) {
        const bool keep = keepsDock(dock->objectName());
        dock->setVisible(keep);
        if (keep && dock->isFloating())
            dock->setFloating(false);
    }
    for (QToolBar *bar : m_window->findChildren<QToolBar *>())
        bar->hide();
    m_window->menuBar()->hide();
    m_window->statusBar()->hide();
    // Ctrl+= / Ctrl+- change the type size in class mode: the window's zoom shortcuts step aside.
    const QList<QKeySequence> taken{QKeySequence(Qt::CTRL | Qt::Key_Equal), QKeySequence(Qt::CTRL | Qt::Key_Minus),
                                    QKeySequence(Qt::CTRL | Qt::Key_Plus), QKeySequence::ZoomIn, QKeySequence::ZoomOut};
    m_disabled.clear();
    for (QAction *a : m_window->findChildren<QAction *>()) {
        if (a->property("classModeAction").toBool() || !a->isEnabled())
            continue;
        const auto shortcuts = a->shortcuts();
        if (std::any_of(shortcuts.begin(), shortcuts.end(), [&](const QKeySequence &k) { return taken.contains(k); })) {
            a->setEnabled(false);
            m_disabled << a;
        }
    }
    applyLook();
    m_window->showFullScreen();
}

void ClassMode::applyLook()
{
    Theme t = Theme::highContrast().scaled(m_scale);
    // The cursor's event must read from the back of the room: an opaque, thick band.
    t.selection = QColor(0xff, 0xd6, 0x00, 150);
    m_window->viewState()->setTheme(t);
    m_window->sequenceView()->setZoom(m_scale);
}

void ClassMode::leave()
{
    for (const QPointer<QAction> &a : std::as_const(m_disabled))
        if (a)
            a->setEnabled(true);
    m_disabled.clear();
    m_window->viewState()->setTheme(m_theme);
    m_window->sequenceView()->setZoom(m_zoom);
    m_window->timeline()->setAxis(m_timelineAxis);
    m_window->menuBar()->setVisible(m_menuBar);
    m_window->statusBar()->setVisible(m_statusBar);
    m_window->setWindowState(m_windowState);
    if (!(m_windowState & (Qt::WindowFullScreen | Qt::WindowMaximized)))
        m_window->restoreGeometry(m_geometry);
    m_window->restoreState(m_state); // docks and toolbars exactly as they were
}

} // namespace sockscope::ui
