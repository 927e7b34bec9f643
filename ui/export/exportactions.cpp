// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/export/exportactions.h"

#include "core/io/verdict.h"
#include "core/scenario/scenario.h"
#include "ui/export/exportdialog.h"
#include "ui/export/exporter.h"
#include "ui/export/pngencoder.h"
#include "ui/mainwindow.h"
#include "ui/model/labworker.h"
#include "ui/model/revealrule.h"
#include "ui/model/runmodel.h"
#include "ui/model/viewstate.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QFileDialog>
#include <QFileInfo>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QStatusBar>

namespace sockscope::ui {

namespace {

RunTitle *titleOf(MainWindow &window)
{
    return window.findChild<RunTitle *>();
}

void saveRunAs(MainWindow &window)
{
    const QString name = window.runModel()->scenarioName();
    const QString path = QFileDialog::getSaveFileName(&window, QObject::tr("Save run"),
                                                      (name.isEmpty() ? QStringLiteral("run") : name) + ".sockrun",
                                                      QObject::tr("sockscope runs (*.sockrun)"));
    if (path.isEmpty())
        return;
    QString error;
    if (!saveRunFile(window, path, &error))
        QMessageBox::warning(&window, QObject::tr("Save run"), error);
    else
        window.statusBar()->showMessage(QObject::tr("Run saved to %1").arg(path), 5000);
}

void copyFigure(MainWindow &window)
{
    if (window.runModel()->eventCount() == 0)
        return;
    ImageOptions options; // the print theme, as every export
    const QImage image = Exporter(*window.runModel(), options).image();
    auto *mime = new QMimeData;
    // The same encoder as a PNG export (bench/bench_ui_png: ~40% less CPU than QImageWriter at zlib level 1).
    // The image itself too, for programs that ask for another type: Qt encodes those, not pngencoder.
    mime->setData(QStringLiteral("image/png"), encodePng(image));
    mime->setImageData(image);
    QApplication::clipboard()->setMimeData(mime);
    window.statusBar()->showMessage(QObject::tr("Figure copied (%1 x %2 px)").arg(image.width()).arg(image.height()),
                                    5000);
}

} // namespace

bool isRunFile(const QString &path)
{
    return path.endsWith(QLatin1String(core::kRunFileExtension));
}

core::RunData runDataOf(const RunModel &run)
{
    core::RunData data;
    data.events = run.events();
    if (const core::Scenario *s = run.scenario()) {
        data.scenarioName = s->name;
        data.scenarioPath = s->path;
        data.scenarioSource = s->source;
    } else {
        data.scenarioName = run.scenarioName().toStdString();
    }
    return data;
}

bool saveRunFile(MainWindow &window, const QString &path, QString *error)
{
    const RunModel &run = *window.runModel();
    if (!run.isFinished() || window.labWorker()->isRunning()) {
        if (error)
            *error = QObject::tr("There is no finished run to save.");
        return false;
    }
    std::string why;
    if (!core::saveRun(path.toStdString(), runDataOf(run), &why)) {
        if (error)
            *error = QStringLiteral("%1: %2").arg(path, QString::fromStdString(why));
        return false;
    }
    if (RunTitle *t = titleOf(window))
        t->setRunFile(path);
    return true;
}

bool openRunFile(MainWindow &window, const QString &path, QString *error, bool quiet)
{
    auto fail = [&](const QString &message) {
        if (error)
            *error = message;
        if (!quiet)
            QMessageBox::warning(&window, QObject::tr("Open run"), message);
        return false;
    };
    if (window.labWorker()->isRunning())
        return fail(QObject::tr("A run is in progress; stop it before opening a run file."));
    core::LoadError loadError;
    auto run = core::loadRun(path.toStdString(), &loadError);
    if (!run)
        return fail(QString::fromStdString(loadError.format()));
    // The scenario travels inside the file, so notes and explanations work where its file does not exist.
    core::ParseResult parsed = core::parseScenario(run->scenarioSource, run->scenarioPath);
    RunModel *model = window.runModel();
    if (parsed.scenario) {
        parsed.scenario->name = run->scenarioName;
        parsed.scenario->path = run->scenarioPath;
        model->setScenario(*parsed.scenario);
    }
    window.viewState()->setCursor(-1);
    model->reset(std::move(run->events));
    if (RunTitle *t = titleOf(window))
        t->setRunFile(path);
    // A saved run is judged as a fresh one is (core/io/verdict.h).
    const core::RunVerdict verdict = core::judgeRun(model->events());
    QString message = QObject::tr("Opened %1: %2 events, recorded %3")
                          .arg(path)
                          .arg(model->eventCount())
                          .arg(QString::fromStdString(run->saved));
    if (!verdict.contradictions.empty())
        message +=
            QObject::tr("; the kernel CONTRADICTED the derived states %1 time(s)").arg(verdict.contradictions.size());
    else if (!verdict.ok())
        message += QObject::tr("; the run did NOT pass");
    window.statusBar()->showMessage(message);
    return true;
}

RunTitle::RunTitle(MainWindow &window) : QObject(&window), m_window(window)
{
    connect(window.runModel(), &RunModel::scenarioChanged, this, &RunTitle::update);
    connect(window.runModel(), &RunModel::runReset, this, &RunTitle::update);
    connect(window.labWorker(), &LabWorker::runStarted, this, [this] { setRunFile(QString()); });
    // Reveal hides the name until the end (RevealRule): the title follows the cursor and the run's end.
    connect(window.viewState(), &ViewState::revealChanged, this, &RunTitle::update);
    connect(window.runModel(), &RunModel::eventsAppended, this, &RunTitle::update);
}

void RunTitle::setRunFile(const QString &path)
{
    m_file = path;
    update();
}

void RunTitle::update()
{
    const RevealRule rule(*m_window.runModel(), *m_window.viewState());
    const QString name = rule.runName();
    QString title = QStringLiteral("sockscope");
    if (rule.hiding()) // a run file's name tells as much as the scenario's
        title = QStringLiteral("%1 — sockscope").arg(name);
    else if (!m_file.isEmpty())
        title = QStringLiteral("%1 (%2) — sockscope").arg(QFileInfo(m_file).fileName(), name);
    else if (!name.isEmpty())
        title = QStringLiteral("%1 — sockscope").arg(name);
    m_window.setWindowTitle(title);
}

void installExportActions(MainWindow &window, QMenu *file)
{
    new RunTitle(window);
    QAction *save = file->addAction(QObject::tr("&Save Run..."), &window, [&window] { saveRunAs(window); });
    save->setShortcut(QKeySequence::Save);
    save->setObjectName(QStringLiteral("saveRunAction"));
    QAction *exportAction = file->addAction(QObject::tr("&Export..."), &window, [&window] {
        ExportDialog dialog(*window.runModel(), &window);
        dialog.exec();
    });
    exportAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_E));
    exportAction->setObjectName(QStringLiteral("exportAction"));
    QMenu *edit = window.menuBar()->addMenu(QObject::tr("&Edit"));
    QAction *copy = edit->addAction(QObject::tr("&Copy figure"), &window, [&window] { copyFigure(window); });
    copy->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_C));
    copy->setObjectName(QStringLiteral("copyFigureAction"));
    // Nothing to save, export or copy until a run has finished.
    auto enable = [&window, save, exportAction, copy] {
        const bool ok = window.runModel()->isFinished() && !window.labWorker()->isRunning();
        for (QAction *a : {save, exportAction, copy})
            a->setEnabled(ok);
    };
    QObject::connect(window.runModel(), &RunModel::runReset, &window, enable);
    QObject::connect(window.runModel(), &RunModel::eventsAppended, &window, enable);
    QObject::connect(window.labWorker(), &LabWorker::runFinished, &window, enable);
    QObject::connect(window.labWorker(), &LabWorker::runFailed, &window, enable);
    QObject::connect(window.labWorker(), &LabWorker::runStopped, &window, enable);
    enable();
}

} // namespace sockscope::ui
