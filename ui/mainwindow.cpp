// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/mainwindow.h"

#include "core/stream/eventtext.h"

#include "ui/export/exportactions.h"
#include "ui/helpmenu.h"
#include "ui/model/labworker.h"
#include "ui/model/revealrule.h"
#include "ui/model/runmodel.h"
#include "ui/model/viewstate.h"
#include "ui/panels/eventtable.h"
#include "ui/panels/explanationpanel.h"
#include "ui/panels/queuechart.h"
#include "ui/panels/scenariobrowser.h"
#include "ui/sequence/sequenceview.h"
#include "ui/teach/teachactions.h"
#include "ui/thememenu.h"
#include "ui/timeline/timelineview.h"

#include <QAction>
#include <QActionGroup>
#include <QCloseEvent>
#include <QDockWidget>
#include <QFileDialog>
#include <QLabel>
#include <QMenuBar>
#include <QMimeData>
#include <QScreen>
#include <QSettings>
#include <QStatusBar>
#include <QTimer>
#include <QToolBar>

// resources.qrc is compiled into the static sockscope_ui library: register it explicitly (outside any namespace).
static void initSockscopeResources()
{
    Q_INIT_RESOURCE(resources);
}

namespace sockscope::ui {

MainWindow::MainWindow(QWidget *parent)
    : QMainWindow(parent), m_run(new RunModel(this)), m_view(new ViewState(this)), m_worker(new LabWorker(m_run, this))
{
    initSockscopeResources();
    setWindowTitle(tr("sockscope"));
    setWindowIcon(QIcon(QStringLiteral(":/icons/sockscope.svg")));
    setMinimumSize(800, 500);
    setAcceptDrops(true);
    setDockNestingEnabled(true);

    m_browser = new ScenarioBrowser(this);
    setCentralWidget(createCentralView());
    createDocks();

    createActions();
    createStatusBar();

    connect(m_browser, &ScenarioBrowser::activated, this, &MainWindow::runScenario);
    connect(m_worker, &LabWorker::runStarted, this, [this](const QString &name) {
        m_runAction->setEnabled(false);
        m_stopAction->setEnabled(true);
        // The run replaces the one on screen: with reveal on, its name stays hidden from the start.
        const bool hide = RevealRule(*m_run, *m_view).on();
        setProgress(hide ? tr("Running the lesson...") : tr("Running %1...").arg(name));
    });
    connect(m_worker, &LabWorker::eventsDrained, this, [this](int total) {
        if (!m_waitTimer->isActive()) // the events of the steps before a long wait may come after it began
            setProgress(tr("Running: %1 events").arg(total));
    });
    connect(m_worker, &LabWorker::longWaitStarted, this, &MainWindow::startWaitCountdown);
    connect(m_worker, &LabWorker::runFinished, this, &MainWindow::stopWaitCountdown);
    connect(m_worker, &LabWorker::runPaused, this, &MainWindow::stopWaitCountdown);
    connect(m_worker, &LabWorker::runFailed, this, &MainWindow::stopWaitCountdown);
    connect(m_worker, &LabWorker::runStopped, this, &MainWindow::stopWaitCountdown);
    connect(m_worker, &LabWorker::runFinished, this, &MainWindow::onRunFinished);
    connect(m_worker, &LabWorker::runFailed, this, &MainWindow::onRunFailed);
    connect(m_worker, &LabWorker::runStopped, this, [this] {
        m_runAction->setEnabled(true);
        m_stopAction->setEnabled(false);
        setProgress(tr("Stopped: %1 events").arg(m_run->eventCount()));
    });
    // F5 on a paused run continues it to the end (runCurrent), so it is enabled while paused.
    connect(m_worker, &LabWorker::runPaused, this, [this] { m_runAction->setEnabled(true); });
    connect(m_worker, &LabWorker::runResumed, this, [this] { m_runAction->setEnabled(false); });
    connect(m_run, &RunModel::eventsAppended, this, [this](int first, int) {
        if (first == 0 || m_isolation->text().isEmpty())
            updateRunInfo();
    });
    connect(m_run, &RunModel::runReset, this, &MainWindow::updateRunInfo);
    // What reveal hides (RevealRule) changes with the cursor and the run: the status text and the browser follow.
    for (auto signal : {&RunModel::runReset, &RunModel::scenarioChanged})
        connect(m_run, signal, this, &MainWindow::concealSpoilers);
    connect(m_run, &RunModel::eventsAppended, this, &MainWindow::concealSpoilers);
    connect(m_view, &ViewState::revealChanged, this, &MainWindow::concealSpoilers);

    QSettings settings;
    if (!restoreGeometry(settings.value(QStringLiteral("window/geometry")).toByteArray())) {
        // First start: most of the screen, the diagram needs room.
        const QRect screen = this->screen() ? this->screen()->availableGeometry() : QRect(0, 0, 1280, 800);
        resize(std::min(1400, screen.width() * 9 / 10), std::min(900, screen.height() * 9 / 10));
    }
    restoreState(settings.value(QStringLiteral("window/state")).toByteArray()); // the docks' frames exist already
}

// The docks' frames, split and sized as the user will see them, each holding an empty placeholder until
// ensureComplete() puts its view in: the first frame then has its final layout, and restoreState() finds
// every dock by name.
void MainWindow::createDocks()
{
    auto placeholder = [this] {
        auto *w = new QWidget(this);
        w->setMinimumSize(200, 120); // the smallest of the views' minimums; each view sets its own
        return w;
    };
    QDockWidget *scenarios = addDock(tr("Scenarios"), QStringLiteral("scenarios"), m_browser, Qt::LeftDockWidgetArea);
    QDockWidget *timelines =
        addDock(tr("State timelines"), QStringLiteral("timelines"), placeholder(), Qt::BottomDockWidgetArea);
    QDockWidget *table = addDock(tr("Events"), QStringLiteral("events"), placeholder(), Qt::BottomDockWidgetArea);
    QDockWidget *explanation =
        addDock(tr("Explanation"), QStringLiteral("explanation"), placeholder(), Qt::BottomDockWidgetArea);
    QDockWidget *queues = addDock(tr("Queues"), QStringLiteral("queues"), placeholder(), Qt::BottomDockWidgetArea);
    // Everything but the browser below the diagram: two actors' call columns and the segments between
    // them need ~1200 px across, which a right-hand dock column would take away. Split before tabifying:
    // a dock split off a tab group would join the group instead.
    splitDockWidget(timelines, explanation, Qt::Horizontal);
    splitDockWidget(explanation, queues, Qt::Horizontal);
    tabifyDockWidget(timelines, table);
    timelines->raise();
    resizeDocks({timelines}, {280}, Qt::Vertical);
    resizeDocks({timelines, explanation, queues}, {600, 420, 380}, Qt::Horizontal);
    resizeDocks({scenarios}, {230}, Qt::Horizontal); // the diagram gets the rest
}

void MainWindow::ensureComplete()
{
    if (m_complete || m_completing)
        return;
    m_completing = true;
    // Qt Charts, the item views and the rich text cost more than the rest of the window: none of them is
    // in the first frame. Each view takes the model and the view state as they are now.
    m_timeline = new TimelineView(m_run, m_view, this);
    m_table = new EventTable(m_run, m_view, this);
    m_explanation = new ExplanationPanel(m_run, m_view, this);
    m_queues = new QueueChart(m_run, m_view, this);
    const std::pair<const char *, QWidget *> views[] = {
        {"timelines", m_timeline}, {"events", m_table}, {"explanation", m_explanation}, {"queues", m_queues}};
    for (const auto &[name, view] : views)
        for (QDockWidget *dock : std::as_const(m_docks))
            if (dock->objectName() == QLatin1String(name)) {
                QWidget *placeholder = dock->widget();
                dock->setWidget(view);
                delete placeholder;
            }
    for (QAction *a : menuBar()->actions())
        if (a->menu() && a->text() == tr("&View")) // beside its sibling, Proportional time
            a->menu()->insertAction(a->menu()->actions().value(1), m_timeline->eventAxisAction());
    installTeachActions(this);              // stepping, replay, class mode, run N times, scenario editor
    menuBar()->addMenu(new HelpMenu(this)); // last, after the teaching menus
    m_completing = false;
    m_complete = true;
    emit completed();
}

TimelineView *MainWindow::timeline()
{
    ensureComplete();
    return m_timeline;
}

void MainWindow::scheduleCompletion()
{
    if (m_complete || m_completionScheduled)
        return;
    m_completionScheduled = true;
    QTimer::singleShot(0, this, &MainWindow::ensureComplete);
}

bool MainWindow::event(QEvent *event)
{
    // Posted from the first paint, the completion runs once the whole frame is in the backing store. A window
    // that is shown but never painted (minimised) completes a little later.
    if (event->type() == QEvent::Paint)
        scheduleCompletion();
    else if (event->type() == QEvent::Show && !m_complete)
        QTimer::singleShot(500, this, &MainWindow::ensureComplete);
    return QMainWindow::event(event);
}

MainWindow::~MainWindow() = default;

QWidget *MainWindow::createCentralView()
{
    m_sequence = new SequenceView(m_run, m_view, this);
    m_sequence->setMinimumSize(
        320, 200); // with the docks at their minimum, fits 800 x 500 (QT_SCALE_FACTOR=2 on 1600 x 1000)
    return m_sequence;
}

// Zoom acts on the timelines when they have the focus, else on the diagram (whose visible range the
// timelines follow through the ViewState).
void MainWindow::zoomBy(double factor)
{
    ensureComplete();
    if (m_timeline->isAncestorOf(focusWidget()))
        factor > 1 ? m_timeline->zoomIn() : m_timeline->zoomOut();
    else
        m_sequence->setZoom(m_sequence->zoom() * factor);
}

void MainWindow::zoomReset()
{
    ensureComplete();
    m_sequence->setZoom(1.0);
    m_timeline->zoomReset();
}

QDockWidget *MainWindow::addDock(const QString &title, const QString &objectName, QWidget *widget,
                                 Qt::DockWidgetArea area)
{
    auto *dock = new QDockWidget(title, this);
    dock->setObjectName(objectName); // saveState() keys on it
    dock->setWidget(widget);
    addDockWidget(area, dock);
    m_docks.append(dock);
    return dock;
}

void MainWindow::createActions()
{
    QMenu *file = menuBar()->addMenu(tr("&File"));
    QAction *open = file->addAction(tr("&Open..."), this, &MainWindow::openFile);
    open->setShortcut(QKeySequence::Open);
    open->setToolTip(tr("Open a scenario (.scn) or a saved run (.sockrun)"));
    installExportActions(*this, file); // Save Run, Export, and the Edit menu
    file->addSeparator();
    QAction *quit = file->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Q));

    QMenu *runMenu = menuBar()->addMenu(tr("&Run"));
    m_runAction = runMenu->addAction(tr("&Run"), this, &MainWindow::runCurrent);
    m_runAction->setShortcut(Qt::Key_F5);
    m_runAction->setToolTip(tr("Run the selected scenario on the kernel (F5)"));
    m_stopAction = runMenu->addAction(tr("&Stop"), m_worker, &LabWorker::stop);
    m_stopAction->setShortcut(QKeySequence(Qt::SHIFT | Qt::Key_F5));
    m_stopAction->setEnabled(false);

    QMenu *view = menuBar()->addMenu(tr("&View"));
    QAction *proportional = view->addAction(tr("&Proportional time"));
    proportional->setCheckable(true);
    proportional->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_T));
    proportional->setToolTip(tr("Uniform (one row per event) or proportional to real time (Ctrl+T)"));
    connect(proportional, &QAction::toggled, this,
            [this](bool on) { m_view->setTimeMode(on ? TimeMode::Proportional : TimeMode::Uniform); });
    connect(m_view, &ViewState::timeModeChanged, proportional,
            [proportional](TimeMode mode) { proportional->setChecked(mode == TimeMode::Proportional); });

    view->addSeparator();
    auto *zoomIn = view->addAction(tr("Zoom &in"), this, [this] { zoomBy(1.25); });
    zoomIn->setShortcuts({QKeySequence(Qt::CTRL | Qt::Key_Equal), QKeySequence::ZoomIn});
    auto *zoomOut = view->addAction(tr("Zoom &out"), this, [this] { zoomBy(0.8); });
    zoomOut->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Minus));
    auto *zoomReset = view->addAction(tr("&Reset zoom"), this, &MainWindow::zoomReset);
    zoomReset->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_0));

    view->addSeparator();
    view->addMenu(new ThemeMenu(m_view, this)); // follows the desktop's light/dark unless a theme is chosen

    view->addAction(m_sequence->legendAction());
    view->addSeparator();
    QMenu *panels = view->addMenu(tr("&Panels"));
    for (QDockWidget *dock : std::as_const(m_docks))
        panels->addAction(dock->toggleViewAction());

    QToolBar *bar = addToolBar(tr("Main"));
    bar->setObjectName(QStringLiteral("mainToolBar"));
    bar->addAction(open);
    bar->addAction(m_runAction);
    bar->addAction(m_stopAction);
    bar->addSeparator();
    bar->addAction(proportional);
    bar->addAction(zoomIn);
    bar->addAction(zoomOut);
    bar->addAction(zoomReset);
}

void MainWindow::createStatusBar()
{
    m_isolation = new QLabel(this);
    m_capture = new QLabel(this);
    m_sysctl = new QLabel(this);
    m_sysctl->hide();
    m_progress = new QLabel(this);
    m_waitTimer = new QTimer(this);
    m_waitTimer->setInterval(250);
    connect(m_waitTimer, &QTimer::timeout, this, &MainWindow::showWaitCountdown);
    setProgress(tr("Ready: choose a scenario and press F5"));
    statusBar()->addWidget(m_progress, 1);
    statusBar()->addPermanentWidget(m_sysctl);
    statusBar()->addPermanentWidget(m_isolation);
    statusBar()->addPermanentWidget(m_capture);
}

void MainWindow::startWaitCountdown(int step, qint64 ms)
{
    const core::Scenario *scenario = m_worker->scenario();
    if (!scenario || step < 0 || step >= static_cast<int>(scenario->steps.size()))
        return;
    const core::Step &s = scenario->steps[static_cast<size_t>(step)];
    m_waitWhat = tr("line %1: %2").arg(s.line).arg(QString::fromStdString(s.text).simplified());
    m_waitMs = ms;
    m_waitClock.start();
    m_waitTimer->start();
    showWaitCountdown();
}

void MainWindow::showWaitCountdown()
{
    const qint64 elapsed = std::min(m_waitClock.elapsed(), m_waitMs);
    const QString count = tr("Waiting %1 of %2 s").arg(elapsed / 1000).arg((m_waitMs + 999) / 1000);
    setProgress(QStringLiteral("%1 (%2)").arg(count, m_waitWhat), false, count);
    if (elapsed >= m_waitMs)
        m_waitTimer->stop();
}

void MainWindow::stopWaitCountdown()
{
    m_waitTimer->stop();
}

void MainWindow::updateRunInfo()
{
    if (!m_run->hasRunInfo()) {
        m_isolation->clear();
        m_capture->clear();
        m_sysctl->hide();
        return;
    }
    const core::RunInfo &info = m_run->runInfo();
    const QString settings = QString::fromStdString(core::sysctlText(info));
    m_sysctl->setVisible(!settings.isEmpty());
    m_sysctl->setText(tr("sysctl: %1").arg(settings));
    m_sysctl->setToolTip(tr("Kernel settings of this scenario, written in the run's own network namespace only"));
    const bool netns = info.isolation == "netns";
    m_isolation->setText(netns ? tr("isolation: netns") : tr("isolation: host"));
    m_isolation->setToolTip(netns ? tr("Runs in a private network namespace")
                                  : tr("User namespaces are unavailable: the run used the host's loopback"));
    m_isolation->setStyleSheet(netns ? QString() : QStringLiteral("color: #b35900; font-weight: bold"));
    m_capture->setText(info.capture ? tr("capture: on") : tr("capture: off"));
    m_capture->setToolTip(info.capture ? tr("Segments are captured on lo")
                                       : tr("Capture off: %1").arg(QString::fromStdString(info.captureNote)));
    if (!info.capture && !info.captureNote.empty())
        m_capture->setText(tr("capture: off (%1)").arg(QString::fromStdString(info.captureNote)));
}

void MainWindow::concealSpoilers()
{
    refreshProgress();
    m_browser->setConcealed(RevealRule(*m_run, *m_view).hiding());
}

void MainWindow::setProgress(const QString &text, bool failed, const QString &whileHiding)
{
    m_progressText = text;
    m_progressFailed = failed;
    m_progressHidden = whileHiding;
    refreshProgress();
}

void MainWindow::refreshProgress()
{
    const bool hide = !m_progressHidden.isEmpty() && RevealRule(*m_run, *m_view).hiding();
    m_progress->setText(hide ? m_progressHidden : m_progressText);
    m_progress->setStyleSheet(m_progressFailed && !hide ? QStringLiteral("color: #c62828") : QString());
}

bool MainWindow::selectAndRun(const QString &name)
{
    if (!m_browser->select(name))
        return false;
    runCurrent();
    return true;
}

void MainWindow::runCurrent()
{
    if (m_worker->continueRun()) // F5 on a paused run continues it
        return;
    if (const core::Scenario *s = m_browser->current())
        runScenario(*s);
    else
        setProgress(tr("Choose a scenario to run first."));
}

void MainWindow::runScenario(const core::Scenario &scenario)
{
    if (!m_worker->start(scenario))
        setProgress(tr("A run is still in progress."));
}

void MainWindow::onRunFinished(bool expectationsOk)
{
    m_runAction->setEnabled(true);
    m_stopAction->setEnabled(false);
    // A contradiction fails the run as a failed expectation does (core/io/verdict.h); the diagram shows where.
    const int contradictions = static_cast<int>(m_run->contradictions().size());
    const bool ok = expectationsOk && contradictions == 0;
    QString text;
    if (contradictions)
        text = tr("Finished: %1 events, the kernel CONTRADICTED the derived states %2 time(s)")
                   .arg(m_run->eventCount())
                   .arg(contradictions);
    else
        text = expectationsOk ? tr("Finished: %1 events, every expectation met").arg(m_run->eventCount())
                              : tr("Finished: %1 events, some expectations NOT met").arg(m_run->eventCount());
    // The verdict and the count tell the end of the story: with reveal on, they wait for it.
    setProgress(text, !ok, tr("Finished: the rest is revealed step by step"));
}

void MainWindow::onRunFailed(const QString &message)
{
    // The model is only cleared when a run's first events arrive, so a run that fails early leaves the
    // previous run on screen.
    m_runAction->setEnabled(true);
    m_stopAction->setEnabled(false);
    setProgress(tr("Run failed: %1").arg(message), true);
}

void MainWindow::openFile()
{
    const QString path = QFileDialog::getOpenFileName(
        this, tr("Open"), QString(),
        tr("Scenarios and runs (*.scn *.sockrun);;Scenarios (*.scn);;Runs (*.sockrun);;All files (*)"));
    if (isRunFile(path))
        openRunFile(*this, path);
    else if (!path.isEmpty())
        m_browser->openFile(path);
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    QSettings settings;
    settings.setValue(QStringLiteral("window/geometry"), saveGeometry());
    settings.setValue(QStringLiteral("window/state"), saveState());
    m_worker->stop();
    QMainWindow::closeEvent(event);
}

void MainWindow::dragEnterEvent(QDragEnterEvent *event)
{
    if (event->mimeData()->hasUrls())
        event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent *event)
{
    for (const QUrl &url : event->mimeData()->urls())
        if (url.isLocalFile() && isRunFile(url.toLocalFile()))
            openRunFile(*this, url.toLocalFile());
        else if (url.isLocalFile())
            m_browser->openFile(url.toLocalFile());
    event->acceptProposedAction();
}

} // namespace sockscope::ui
