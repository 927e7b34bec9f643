// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/teach/teachactions.h"

#include "core/scenario/stepgroups.h"

#include "ui/mainwindow.h"
#include "ui/model/labworker.h"
#include "ui/model/multirun.h"
#include "ui/model/prediction.h"
#include "ui/model/revealrule.h"
#include "ui/model/runmodel.h"
#include "ui/model/viewstate.h"
#include "ui/panels/scenariobrowser.h"
#include "ui/teach/classmode.h"
#include "ui/teach/outcomechart.h"
#include "ui/teach/replaycontroller.h"
#include "ui/teach/scenarioeditor.h"

#include <QAction>
#include <QActionGroup>
#include <QDialog>
#include <QDockWidget>
#include <QInputDialog>
#include <QMenuBar>
#include <QProgressDialog>
#include <QStatusBar>
#include <QVBoxLayout>

namespace sockscope::ui {

namespace {
QMenu *menuTitled(QMainWindow *window, const QString &title)
{
    for (QAction *a : window->menuBar()->actions())
        if (a->menu() && a->text() == title)
            return a->menu();
    return window->menuBar()->addMenu(title);
}

} // namespace

TeachActions::TeachActions(MainWindow *window)
    : QObject(window), m_window(window), m_replay(new ReplayController(window->runModel(), window->viewState(), this)),
      m_classMode(new ClassMode(window))
{
    m_editor = new ScenarioEditor(window);
    auto *dock = new QDockWidget(tr("Scenario editor"), window);
    dock->setObjectName(QStringLiteral("editor"));
    dock->setWidget(m_editor);
    // The window restored its saved state before this dock existed (the teaching actions come after the first
    // frame): take the place and visibility saved for it, else the default, hidden.
    if (!window->restoreDockWidget(dock)) {
        window->addDockWidget(Qt::LeftDockWidgetArea, dock);
        dock->hide();
    }
    connect(m_editor, &ScenarioEditor::runRequested, window, &MainWindow::runScenario);
    connect(m_editor, &ScenarioEditor::fileChanged, dock, [window, dock](const QString &path) {
        dock->setWindowTitle(path.isEmpty() ? tr("Scenario editor") : tr("Scenario editor: %1").arg(path));
        const bool opening = dock->isHidden();
        dock->show();
        dock->raise();
        if (opening && !dock->isFloating()) // room for a scenario's lines (~70 columns)
            window->resizeDocks({dock}, {std::max(dock->sizeHint().width(), window->width() * 2 / 5)}, Qt::Horizontal);
    });
    createActions();
    addToMenus();
    LabWorker *worker = window->labWorker();
    connect(worker, &LabWorker::runPaused, this, &TeachActions::onPaused);
    connect(worker, &LabWorker::runResumed, this, [this] { m_batchStart = m_window->runModel()->eventCount(); });
    connect(worker, &LabWorker::runStarted, this, [this] {
        m_batchStart = 0;
        m_replay->setPlaying(false);
    });
    auto done = [this] { m_window->statusBar()->clearMessage(); };
    connect(worker, &LabWorker::runFinished, this, done);
    connect(worker, &LabWorker::runFailed, this, done);
    connect(worker, &LabWorker::runStopped, this, done);
    // Actions in a hidden menu bar lose their shortcuts: the window carries them too (class mode).
    for (QAction *a : window->findChildren<QAction *>())
        if (!a->shortcuts().isEmpty())
            window->addAction(a);
}

void TeachActions::createActions()
{
    auto make = [this](const QString &text, const QList<QKeySequence> &keys, auto slot) {
        auto *a = new QAction(text, m_window);
        a->setShortcuts(keys);
        a->setProperty("classModeAction", true);
        connect(a, &QAction::triggered, this, slot);
        return a;
    };
    m_step = make(tr("&Step"), {Qt::Key_F10}, [this] { step(); });
    m_step->setToolTip(tr("Run the next step on the kernel and pause (F10)"));
    m_restart = make(tr("R&estart"), {QKeySequence(Qt::CTRL | Qt::Key_R)}, [this] { restart(); });
    m_runN =
        make(tr("Run &N times..."), {QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_N)}, [this] { runTimesDialog(); });

    m_replayActions = {
        make(tr("&Next event"), {Qt::Key_Right}, [this] { m_replay->nextEvent(); }),
        make(tr("&Previous event"), {Qt::Key_Left}, [this] { m_replay->prevEvent(); }),
        make(tr("Next s&tep"), {QKeySequence(Qt::CTRL | Qt::Key_Right)}, [this] { m_replay->nextStep(); }),
        make(tr("Previous st&ep"), {QKeySequence(Qt::CTRL | Qt::Key_Left)}, [this] { m_replay->prevStep(); }),
        make(tr("&First event"), {Qt::Key_Home}, [this] { m_replay->home(); }),
        make(tr("&Last event"), {Qt::Key_End}, [this] { m_replay->end(); }),
    };
    m_play = make(tr("&Play"), {Qt::Key_Space}, [this] { m_replay->togglePlaying(); });
    m_play->setCheckable(true);
    connect(m_replay, &ReplayController::playingChanged, m_play, &QAction::setChecked);
    m_reveal =
        make(tr("&Reveal up to the cursor"), {Qt::Key_R}, [this] { m_replay->setRevealing(m_reveal->isChecked()); });
    m_reveal->setCheckable(true);
    // Predict mode needs reveal (the truth must stay hidden until the class answered): each keeps the other
    // consistent.
    m_predict = make(tr("Pre&dict mode"), {Qt::Key_P}, [this] { setPredicting(m_predict->isChecked()); });
    m_predict->setCheckable(true);
    m_predict->setToolTip(tr("Before each call's result or segment, ask the class; 1-4 give its answer (P)"));
    connect(m_reveal, &QAction::toggled, this, [this](bool on) {
        if (!on && m_predict->isChecked())
            m_predict->trigger();
    });
    for (int k = 0; k < 4; ++k) {
        QAction *a = make(tr("Class answers &%1").arg(k + 1), {QKeySequence(Qt::Key_1 + k)}, [this, k] {
            if (!m_replay->answer(k))
                m_window->statusBar()->showMessage(tr("No question to answer here."), 3000);
        });
        a->setEnabled(false); // digits belong to the editor unless a question is asked
        m_answers << a;
    }
    connect(m_replay, &ReplayController::answerNeeded, this,
            [this] { m_window->statusBar()->showMessage(tr("Predict: press the class's answer (1-4) first."), 4000); });
    m_speeds = new QActionGroup(this);
    for (double s : ReplayController::kSpeeds) {
        QAction *a = m_speeds->addAction(tr("%1 events/s").arg(s));
        a->setCheckable(true);
        a->setChecked(s == m_replay->speed());
        connect(a, &QAction::triggered, this, [this, s] { m_replay->setSpeed(s); });
    }

    m_classAction = make(tr("&Class mode"), {Qt::Key_F11}, [this] { m_classMode->toggle(); });
    m_classAction->setCheckable(true);
    connect(m_classMode, &ClassMode::activeChanged, m_classAction, &QAction::setChecked);
    m_leaveClass = make(tr("Leave class mode"), {Qt::Key_Escape}, [this] { m_classMode->setActive(false); });
    auto *bigger =
        make(tr("Larger type"), {QKeySequence(Qt::CTRL | Qt::Key_Equal), QKeySequence(Qt::CTRL | Qt::Key_Plus)},
             [this] { m_classMode->bigger(); });
    auto *smaller =
        make(tr("Smaller type"), {QKeySequence(Qt::CTRL | Qt::Key_Minus)}, [this] { m_classMode->smaller(); });
    m_classActions = {m_leaveClass, bigger, smaller};
    for (QAction *a : std::as_const(m_classActions)) {
        a->setEnabled(false);
        m_window->addAction(a);
    }
    connect(m_classMode, &ClassMode::activeChanged, this, [this](bool on) {
        for (QAction *a : std::as_const(m_classActions))
            a->setEnabled(on);
    });
}

void TeachActions::setPredicting(bool on)
{
    if (on && !m_reveal->isChecked())
        m_reveal->trigger();
    m_window->viewState()->setPredicting(on);
    for (QAction *a : std::as_const(m_answers))
        a->setEnabled(on);
    if (on) // the question of the call at the cursor shows at once
        m_replay->moveTo(m_window->viewState()->cursor());
}

void TeachActions::addToMenus()
{
    QMenu *file = menuTitled(m_window, tr("&File"));
    QAction *first = file->actions().isEmpty() ? nullptr : file->actions().constFirst();
    auto *newScenario = new QAction(tr("&New scenario"), m_window);
    newScenario->setShortcut(QKeySequence::New);
    connect(newScenario, &QAction::triggered, m_editor, &ScenarioEditor::newFromTemplate);
    auto *edit = new QAction(tr("&Edit scenario file..."), m_window);
    connect(edit, &QAction::triggered, m_editor, &ScenarioEditor::openWithDialog);
    file->insertActions(first, {newScenario, edit, m_editor->saveAction(), m_editor->saveAsAction()});

    QMenu *run = menuTitled(m_window, tr("&Run"));
    run->addAction(m_step);
    run->addAction(m_restart);
    run->addSeparator();
    run->addAction(m_runN);

    QMenu *replay = menuTitled(m_window, tr("Re&play"));
    replay->addActions(m_replayActions);
    replay->addSeparator();
    replay->addAction(m_play);
    QMenu *speed = replay->addMenu(tr("Play &speed"));
    speed->addActions(m_speeds->actions());
    replay->addAction(m_reveal);
    replay->addAction(m_predict);
    replay->addActions(m_answers);

    QMenu *view = menuTitled(m_window, tr("&View"));
    view->addSeparator();
    view->addAction(m_classAction);
}

const core::Scenario *TeachActions::currentScenario() const
{
    if (const core::Scenario *s = m_window->browser()->current())
        return s;
    return m_window->labWorker()->scenario();
}

void TeachActions::step()
{
    LabWorker *worker = m_window->labWorker();
    if (worker->isPaused()) {
        worker->step();
        return;
    }
    if (worker->isRunning())
        return; // a step is running; the next press comes after the pause
    const core::Scenario *s = currentScenario();
    if (!s) {
        m_window->statusBar()->showMessage(tr("Choose a scenario to step through first."));
        return;
    }
    m_stepOnFirstPause = worker->start(*s, true);
}

void TeachActions::restart()
{
    m_stepOnFirstPause = m_window->labWorker()->isStepping() || m_window->labWorker()->isPaused();
    if (!m_window->labWorker()->restart())
        m_window->statusBar()->showMessage(tr("Nothing to restart: run or step a scenario first."));
}

QString TeachActions::stepStatus(const core::Scenario &s, int nextStep)
{
    const int total = static_cast<int>(s.steps.size());
    if (nextStep <= 0)
        return total > 0
                   ? tr("Paused before step 1/%1: %2 (F10 runs it)").arg(total).arg(callWithoutResult(s.steps[0].text))
                   : QString();
    if (total == 0)
        return {};
    // The group that just ran ends at nextStep - 1.
    const int first =
        static_cast<int>(core::stepGroupFirst(s.steps, static_cast<size_t>(std::min(nextStep, total) - 1)));
    QStringList calls;
    for (int i = first; i < nextStep && i < total; ++i)
        calls << callWithoutResult(s.steps[static_cast<size_t>(i)].text);
    return tr("Step %1/%2: %3").arg(nextStep).arg(total).arg(calls.join(QStringLiteral(" & ")));
}

void TeachActions::onPaused(int nextStep)
{
    LabWorker *worker = m_window->labWorker();
    if (m_stepOnFirstPause && nextStep == 0) {
        m_stepOnFirstPause = false;
        worker->step();
        return;
    }
    m_stepOnFirstPause = false;
    // The cursor goes to the call of the step that just ran: the explanation tells what it caused.
    RunModel *run = m_window->runModel();
    int cursor = run->eventCount() - 1;
    for (int i = m_batchStart; i < run->eventCount(); ++i)
        if (run->event(i).kind() == core::EventKind::Syscall) {
            cursor = i;
            break;
        }
    m_replay->moveTo(cursor);
    if (worker->scenario())
        m_window->statusBar()->showMessage(stepStatus(*worker->scenario(), nextStep));
}

void TeachActions::runTimesDialog()
{
    const core::Scenario *s = currentScenario();
    if (!s) {
        m_window->statusBar()->showMessage(tr("Choose a scenario to run first."));
        return;
    }
    bool ok = false;
    const RevealRule rule(*m_window->runModel(), *m_window->viewState());
    const QString name = rule.hiding() ? rule.runName() : QString::fromStdString(s->name);
    const int n = QInputDialog::getInt(m_window, tr("Run N times"), tr("Run \"%1\" how many times?").arg(name), 20, 2,
                                       10000, 1, &ok);
    if (ok)
        runTimes(*s, n);
}

void TeachActions::runTimes(const core::Scenario &scenario, int runs)
{
    auto *runner = new MultiRunner(this);
    runner->setOptions(m_window->labWorker()->options());
    auto *progress =
        new QProgressDialog(tr("Running %1 %2 times...").arg(QString::fromStdString(scenario.name)).arg(runs),
                            tr("Cancel"), 0, runs, m_window);
    progress->setWindowModality(Qt::WindowModal);
    progress->setMinimumDuration(0);
    progress->setAttribute(Qt::WA_DeleteOnClose);
    connect(progress, &QProgressDialog::canceled, runner, &MultiRunner::cancel);
    connect(runner, &MultiRunner::progressed, progress, &QProgressDialog::setValue);
    const QString title = QString::fromStdString(scenario.title.empty() ? scenario.name : scenario.title);
    const core::Scenario copy = scenario;
    connect(runner, &MultiRunner::finished, this, [this, runner, progress, title, copy](bool cancelled) {
        progress->close();
        if (runner->results().empty()) {
            m_window->statusBar()->showMessage(tr("Run N times cancelled."));
            runner->deleteLater();
            return;
        }
        auto *dialog = new QDialog(m_window);
        dialog->setObjectName(QStringLiteral("outcomes"));
        dialog->setWindowTitle(tr("Outcomes of %1").arg(title));
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        runner->setParent(dialog); // the results live as long as the chart
        auto *chart = new OutcomeChart(dialog);
        chart->setTheme(m_window->viewState()->theme());
        chart->setRuns(title, &runner->results());
        auto *layout = new QVBoxLayout(dialog);
        layout->addWidget(chart);
        connect(chart, &OutcomeChart::runChosen, this, [this, runner, copy](int index) {
            m_window->runModel()->reset(runner->results()[static_cast<size_t>(index)].events);
            m_window->runModel()->setScenario(copy);
            m_window->statusBar()->showMessage(tr("Run %1 of the series loaded.").arg(index + 1));
        });
        dialog->resize(900, 700);
        dialog->show();
        m_window->statusBar()->showMessage(cancelled ? tr("Cancelled after %1 runs.").arg(runner->results().size())
                                                     : tr("%1 runs done.").arg(runner->results().size()));
    });
    runner->start(scenario, runs);
}

TeachActions *installTeachActions(MainWindow *window)
{
    return new TeachActions(window);
}

} // namespace sockscope::ui
