// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/model/labworker.h"
#include "ui/model/threadcheck.h"

#include "ui/model/runmodel.h"

#include <QSocketNotifier>
#include <QThread>

#include <algorithm>

namespace sockscope::ui {

LabWorker::LabWorker(RunModel *model, QObject *parent)
    : QObject(parent), m_model(model), m_thread(new QThread(this)), m_job(new LabJob(this))
{
    m_thread->setObjectName(QStringLiteral("sockscope-lab"));
    m_job->moveToThread(m_thread);
    connect(m_thread, &QThread::finished, m_job, &QObject::deleteLater);
    connect(m_job, &LabJob::finished, this, &LabWorker::onJobFinished, Qt::QueuedConnection);
    connect(m_job, &LabJob::paused, this, &LabWorker::onJobPaused, Qt::QueuedConnection);
    connect(m_job, &LabJob::longWait, this, &LabWorker::longWaitStarted, Qt::QueuedConnection);
    m_drainTimer.setSingleShot(true);
    connect(&m_drainTimer, &QTimer::timeout, this, &LabWorker::drain);
    m_thread->start();
}

LabWorker::~LabWorker()
{
    m_job->interrupt();
    m_thread->quit();
    m_thread->wait();
}

// The one place the lifecycle changes.
void LabWorker::setPhase(RunPhase phase)
{
    SOCKSCOPE_REQUIRE_OWN_THREAD();
    Q_ASSERT_X(canMove(m_phase, phase), "LabWorker::setPhase",
               qPrintable(QStringLiteral("%1 -> %2").arg(phaseName(m_phase), phaseName(phase))));
    if (phase == m_phase)
        return;
    m_phase = phase;
    emit phaseChanged(phase);
}

bool LabWorker::start(const core::Scenario &scenario, bool stepMode)
{
    SOCKSCOPE_REQUIRE_OWN_THREAD();
    if (isLive(m_phase))
        return false;
    launch(scenario, stepMode);
    return true;
}

// From an idle, ended or restarting phase: hands the scenario to the job.
void LabWorker::launch(const core::Scenario &scenario, bool stepMode)
{
    setPhase(stepMode ? RunPhase::Stepping : RunPhase::Running); // step mode: the lab runs up to its first pause
    m_stepModeRun = stepMode;
    m_nextStep = -1;
    m_clearModel = true;
    m_received = 0;
    m_scenario = std::make_unique<core::Scenario>(scenario);
    {
        std::lock_guard lock(m_queueMutex);
        m_pending.clear();
        m_wakeScheduled = false;
    }
    m_backlog.clear();
    m_backlogAt = 0;
    m_sliceEvents = kMaxBatch;
    emit runStarted(QString::fromStdString(scenario.name));
    core::LabOptions options = m_options;
    options.stepMode = stepMode;
    // Called on the worker thread, the job's own: its longWait signal reaches longWaitStarted queued.
    LabJob *job = m_job;
    options.onLongWait = [job](int step, std::int64_t ms) { emit job->longWait(step, ms); };
    m_job->queueRun(scenario, options);
}

void LabWorker::stop()
{
    SOCKSCOPE_REQUIRE_OWN_THREAD();
    if (m_phase == RunPhase::Restarting) {
        setPhase(RunPhase::Stopping); // the lab is already ending; it is not started again
        return;
    }
    if (!isLive(m_phase) || m_phase == RunPhase::Stopping)
        return;
    const bool paused = m_phase == RunPhase::Paused;
    setPhase(RunPhase::Stopping);
    endLab(paused);
}

// A paused lab is told to stop and ends cleanly with its end event; a running one is killed.
void LabWorker::endLab(bool paused)
{
    if (paused)
        sendCommand(LabJob::Stop);
    else
        m_job->interrupt();
}

bool LabWorker::step()
{
    if (m_phase != RunPhase::Paused)
        return false;
    setPhase(RunPhase::Stepping);
    sendCommand(LabJob::Step);
    emit runResumed();
    return true;
}

bool LabWorker::continueRun()
{
    if (m_phase != RunPhase::Paused)
        return false;
    setPhase(RunPhase::Running); // the rest streams in live
    sendCommand(LabJob::Continue);
    emit runResumed();
    return true;
}

bool LabWorker::restart()
{
    SOCKSCOPE_REQUIRE_OWN_THREAD();
    if (!m_scenario)
        return false;
    if (!isLive(m_phase))
        return start(core::Scenario(*m_scenario), m_stepModeRun);
    if (m_phase == RunPhase::Restarting)
        return true;
    const bool paused = m_phase == RunPhase::Paused;
    const bool ending = m_phase == RunPhase::Stopping;
    setPhase(RunPhase::Restarting);
    if (!ending)
        endLab(paused);
    return true;
}

void LabWorker::sendCommand(int command)
{
    SOCKSCOPE_REQUIRE_OWN_THREAD();
    LabJob *job = m_job;
    QMetaObject::invokeMethod(
        m_job, [job, command] { job->command(command); }, Qt::QueuedConnection);
}

void LabWorker::onJobPaused(int nextStep)
{
    SOCKSCOPE_REQUIRE_OWN_THREAD();
    if (m_phase == RunPhase::Stopping || m_phase == RunPhase::Restarting) {
        sendCommand(LabJob::Stop); // it paused before it was killed or read the stop: tell it again
        return;
    }
    flushPending(); // everything of the step, pushed before the pause, as one batch
    m_nextStep = nextStep;
    setPhase(RunPhase::Paused);
    emit runPaused(nextStep);
}

void LabWorker::push(core::Event &&event)
{
    bool schedule = false;
    {
        std::lock_guard lock(m_queueMutex);
        m_pending.push_back(std::move(event));
        schedule = !m_wakeScheduled;
        m_wakeScheduled = true;
    }
    if (schedule)
        QMetaObject::invokeMethod(this, &LabWorker::wake, Qt::QueuedConnection);
}

void LabWorker::wake()
{
    SOCKSCOPE_REQUIRE_OWN_THREAD();
    if (m_drainTimer.isActive() || m_phase == RunPhase::Stepping)
        return; // stepping: the pause delivers the step's events in one batch
    const qint64 since = m_sinceDrain.isValid() ? m_sinceDrain.elapsed() : kDrainIntervalMs;
    if (since >= kDrainIntervalMs)
        drain();
    else
        m_drainTimer.start(static_cast<int>(kDrainIntervalMs - since));
}

void LabWorker::drain()
{
    SOCKSCOPE_REQUIRE_OWN_THREAD();
    if (m_backlogAt >= m_backlog.size()) {
        // Take everything queued at once (a swap under the lock), then hand it to the model in slices: erasing a
        // slice from the front of the queue moved the rest of a burst at every drain.
        m_backlog.clear();
        m_backlogAt = 0;
        std::lock_guard lock(m_queueMutex);
        m_backlog.swap(m_pending);
        m_wakeScheduled = false;
    }
    const size_t take = std::min(m_backlog.size() - m_backlogAt, static_cast<size_t>(m_sliceEvents));
    const auto from = m_backlog.begin() + static_cast<std::ptrdiff_t>(m_backlogAt);
    std::vector<core::Event> batch(std::make_move_iterator(from),
                                   std::make_move_iterator(from + static_cast<std::ptrdiff_t>(take)));
    m_backlogAt += take;
    m_sinceDrain.start();
    bool more = m_backlogAt < m_backlog.size(); // the rest of the burst, one slice per refresh
    if (!more) {
        // Events pushed since the swap scheduled a wake-up that found the timer running and did nothing.
        std::lock_guard lock(m_queueMutex);
        more = !m_pending.empty();
    }
    if (more)
        m_drainTimer.start(kDrainIntervalMs);
    if (batch.empty())
        return;
    if (m_clearModel) {
        m_clearModel = false;
        m_model->clear();
        if (m_scenario)
            m_model->setScenario(*m_scenario);
    }
    m_received += static_cast<int>(batch.size());
    const int n = static_cast<int>(batch.size());
    QElapsedTimer cost;
    cost.start();
    m_model->appendEvents(std::move(batch));
    emit eventsDrained(m_received);
    // The next slice is sized to what this one cost (the model and every view's slot): a slow or busy machine gets
    // smaller slices instead of one long stall; kMaxBatch bounds it on a fast one.
    const double perEvent = static_cast<double>(cost.nsecsElapsed()) / 1e6 / n;
    if (n >= 500 && perEvent > 0)
        m_sliceEvents = std::clamp(static_cast<int>(kSliceBudgetMs / perEvent), kMinBatch, kMaxBatch);
}

void LabWorker::onJobFinished(bool ok, const QString &error)
{
    SOCKSCOPE_REQUIRE_OWN_THREAD();
    flushPending();
    switch (m_phase) {
    case RunPhase::Restarting:
        launch(core::Scenario(*m_scenario), m_stepModeRun);
        return;
    case RunPhase::Stopping:
        setPhase(RunPhase::Stopped);
        emit runStopped();
        return;
    default:
        break;
    }
    if (!error.isEmpty()) {
        setPhase(RunPhase::Failed);
        emit runFailed(error);
        return;
    }
    setPhase(RunPhase::Finished);
    emit runFinished(ok);
}

// Everything the job pushed is queued before its paused/finished signal: drain it all now.
void LabWorker::flushPending()
{
    m_drainTimer.stop();
    for (;;) {
        if (m_backlogAt >= m_backlog.size()) {
            std::lock_guard lock(m_queueMutex);
            if (m_pending.empty()) {
                m_wakeScheduled = false;
                break;
            }
        }
        drain();
    }
    m_drainTimer.stop();
}

LabJob::LabJob(LabWorker *sink) : m_sink(sink)
{
    // Made here, before the worker thread starts (its start orders this for TSan too): a queued runQueued()
    // carries no data of sockscope's, only the call.
    connect(this, &LabJob::runQueued, this, &LabJob::runNext, Qt::QueuedConnection);
}

LabJob::~LabJob()
{
    delete m_deathWatch; // before the session closes the fd it watches
    std::lock_guard lock(m_sessionMutex);
    m_session = nullptr;
}

void LabJob::queueRun(const core::Scenario &scenario, const core::LabOptions &options)
{
    {
        std::lock_guard lock(m_nextMutex);
        m_next = NextRun{scenario, options};
    }
    emit runQueued();
}

void LabJob::runNext()
{
    SOCKSCOPE_REQUIRE_OWN_THREAD();
    std::optional<NextRun> next;
    {
        std::lock_guard lock(m_nextMutex);
        next.swap(m_next);
    }
    if (next)
        run(next->scenario, next->options);
}

void LabJob::run(const core::Scenario &scenario, const core::LabOptions &options)
{
    SOCKSCOPE_REQUIRE_OWN_THREAD();
    m_ok = true;
    m_sawEnd = false;
    m_error.clear();
    std::string error;
    std::unique_ptr<core::LabSession> session = core::LabSession::start(scenario, options, &error);
    if (!session) {
        emit finished(false, QString::fromStdString(error.empty() ? "the lab could not start" : error));
        return;
    }
    {
        std::lock_guard lock(m_sessionMutex);
        m_session = session.get();
    }
    m_owned = std::move(session);
    pumpOn();
}

void LabJob::command(int command)
{
    SOCKSCOPE_REQUIRE_OWN_THREAD();
    if (!m_owned)
        return;
    watchWhilePaused(false);
    // A write to a lab that has gone fails without a signal; the pump below then reports how it went.
    if (command == Step)
        m_owned->step();
    else if (command == Continue)
        m_owned->resume();
    else
        m_owned->stop();
    pumpOn();
}

// While paused the lab writes nothing: its stdout turns readable only when it died (EOF). Reading it then
// reports the death at once instead of on the next key press.
void LabJob::watchWhilePaused(bool on)
{
    if (!on) {
        if (m_deathWatch) {
            m_deathWatch->setEnabled(false); // it may be the sender: deleted once its signal returned
            m_deathWatch->deleteLater();
            m_deathWatch = nullptr;
        }
        return;
    }
    if (m_deathWatch || !m_owned)
        return;
    m_deathWatch = new QSocketNotifier(m_owned->streamFd(), QSocketNotifier::Read, this);
    connect(m_deathWatch, &QSocketNotifier::activated, this, [this] {
        watchWhilePaused(false);
        if (m_owned)
            pumpOn();
    });
}

// Reads events until the lab pauses (then returns to the event loop, where the next command arrives) or ends.
void LabJob::pumpOn()
{
    const core::EventSink sink = [this](core::Event &&e) {
        if (const auto *end = e.as<core::EndInfo>()) {
            m_sawEnd = true;
            m_ok = end->ok;
            if (m_error.empty())
                m_error = end->error;
        }
        m_sink->push(std::move(e));
    };
    std::string error;
    while (m_owned->pump(sink, &error)) {
        if (m_owned->finished())
            break;
        if (m_owned->paused()) {
            watchWhilePaused(true);
            emit paused(m_owned->nextStep());
            return;
        }
    }
    if (!error.empty())
        m_error = error;
    finish();
}

void LabJob::finish()
{
    watchWhilePaused(false);
    {
        std::lock_guard lock(m_sessionMutex);
        m_session = nullptr;
    }
    if (!m_sawEnd && m_error.empty())
        m_error = "the lab ended without an end event";
    m_owned.reset(); // kills a lab still running; a finished one gets a bounded grace to exit; reaps it
    emit finished(m_ok, QString::fromStdString(m_error));
}

void LabJob::interrupt()
{
    std::lock_guard lock(m_sessionMutex);
    if (m_session)
        m_session->interrupt();
}

} // namespace sockscope::ui
