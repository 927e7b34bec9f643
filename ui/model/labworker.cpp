// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/model/labworker.h"

#include "core/scenario/stepgroups.h"
#include "ui/model/runmodel.h"

#include <QThread>

namespace sockscope::ui {

LabWorker::LabWorker(RunModel *model, QObject *parent)
    : QObject(parent), m_model(model), m_thread(new QThread(this)), m_job(new LabJob(this))
{
    m_thread->setObjectName(QStringLiteral("sockscope-lab"));
    m_job->moveToThread(m_thread);
    connect(m_thread, &QThread::finished, m_job, &QObject::deleteLater);
    connect(m_job, &LabJob::finished, this, &LabWorker::onJobFinished, Qt::QueuedConnection);
    connect(m_job, &LabJob::paused, this, &LabWorker::onJobPaused, Qt::QueuedConnection);
    m_drainTimer.setSingleShot(true);
    connect(&m_drainTimer, &QTimer::timeout, this, &LabWorker::drain);
    m_watchdog.setSingleShot(true);
    connect(&m_watchdog, &QTimer::timeout, this, &LabWorker::onWatchdog);
    m_thread->start();
}

LabWorker::~LabWorker()
{
    m_job->interrupt();
    m_thread->quit();
    m_thread->wait();
}

bool LabWorker::start(const core::Scenario &scenario, bool stepMode)
{
    Q_ASSERT(QThread::currentThread() == thread());
    if (m_running)
        return false;
    m_running = true;
    m_stepping = stepMode;
    m_stepModeRun = stepMode;
    m_paused = false;
    m_nextStep = -1;
    m_firstBatch = true;
    m_timedOut = false;
    m_stopped = false;
    m_received = 0;
    m_scenario = std::make_unique<core::Scenario>(scenario);
    {
        std::lock_guard lock(m_queueMutex);
        m_pending.clear();
        m_wakeScheduled = false;
    }
    // The lab ends a stuck step itself; this only catches a lab that stopped talking altogether.
    const int budgetMs = scenario.stepTimeoutMs * (static_cast<int>(scenario.steps.size()) + 1) + 10000;
    m_watchdog.start(budgetMs);
    emit runStarted(QString::fromStdString(scenario.name));
    LabJob *job = m_job;
    core::LabOptions options = m_options;
    options.stepMode = stepMode;
    QMetaObject::invokeMethod(
        m_job, [job, scenario, options] { job->run(scenario, options); }, Qt::QueuedConnection);
    return true;
}

void LabWorker::stop()
{
    if (!m_running)
        return;
    m_stopped = true;
    if (m_paused)
        sendCommand(LabJob::Stop); // the lab ends cleanly and sends its end event
    else
        m_job->interrupt();
}

bool LabWorker::step()
{
    if (!m_paused)
        return false;
    sendCommand(LabJob::Step);
    return true;
}

bool LabWorker::continueRun()
{
    if (!m_paused)
        return false;
    sendCommand(LabJob::Continue);
    return true;
}

bool LabWorker::restart()
{
    if (!m_scenario)
        return false;
    if (!m_running)
        return start(core::Scenario(*m_scenario), m_stepModeRun);
    m_restartPending = true;
    stop();
    return true;
}

// A step may block up to the step timeout per call, plus its own sleeps and waits; then the lab settles.
int LabWorker::stepBudgetMs(int nextStep) const
{
    const auto &steps = m_scenario->steps;
    long ms = 5000L + m_scenario->stepTimeoutMs;
    for (size_t i = static_cast<size_t>(std::max(0, nextStep)); i < steps.size(); ++i) {
        ms += m_scenario->stepTimeoutMs;
        if (steps[i].call == core::Call::Sleep || steps[i].call == core::Call::Wait)
            ms += steps[i].number;
        if (steps[i].call == core::Call::Poll || steps[i].call == core::Call::EpollWait)
            ms += steps[i].timeoutMs;
        if (!steps[i].together)
            break;
    }
    return static_cast<int>(std::min<long>(ms, 600000));
}

void LabWorker::sendCommand(int command)
{
    Q_ASSERT(QThread::currentThread() == thread());
    if (!m_paused)
        return;
    m_paused = false;
    if (command == LabJob::Continue) {
        m_stepping = false;
        m_watchdog.start(m_scenario->stepTimeoutMs * (static_cast<int>(m_scenario->steps.size()) + 1) + 10000);
    } else {
        m_watchdog.start(stepBudgetMs(m_nextStep));
    }
    LabJob *job = m_job;
    QMetaObject::invokeMethod(
        m_job, [job, command] { job->command(command); }, Qt::QueuedConnection);
    emit runResumed();
}

void LabWorker::onJobPaused(int nextStep)
{
    Q_ASSERT(QThread::currentThread() == thread());
    m_watchdog.stop(); // the lab waits for the user, not the other way round
    flushPending();    // everything of the step, pushed before the pause, as one batch
    m_paused = true;
    m_nextStep = nextStep;
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
    Q_ASSERT(QThread::currentThread() == thread());
    if (m_drainTimer.isActive() || m_stepping)
        return; // stepping: the pause delivers the step's events in one batch
    const qint64 since = m_sinceDrain.isValid() ? m_sinceDrain.elapsed() : kDrainIntervalMs;
    if (since >= kDrainIntervalMs)
        drain();
    else
        m_drainTimer.start(static_cast<int>(kDrainIntervalMs - since));
}

void LabWorker::drain()
{
    Q_ASSERT(QThread::currentThread() == thread());
    std::vector<core::Event> batch;
    bool more = false;
    {
        std::lock_guard lock(m_queueMutex);
        if (m_pending.size() <= static_cast<size_t>(kMaxBatch)) {
            batch.swap(m_pending);
            m_wakeScheduled = false;
        } else {
            auto cut = m_pending.begin() + kMaxBatch;
            batch.assign(std::make_move_iterator(m_pending.begin()), std::make_move_iterator(cut));
            m_pending.erase(m_pending.begin(), cut);
            more = true; // m_wakeScheduled stays set: the timer below is the wake-up
        }
    }
    m_sinceDrain.start();
    if (more)
        m_drainTimer.start(kDrainIntervalMs);
    if (batch.empty())
        return;
    if (m_firstBatch) {
        m_firstBatch = false;
        m_model->clear();
        if (m_scenario)
            m_model->setScenario(*m_scenario);
    }
    m_received += static_cast<int>(batch.size());
    m_watchdog.start(); // restarts with the same budget: the lab is alive
    m_model->appendEvents(std::move(batch));
    emit eventsDrained(m_received);
}

void LabWorker::onJobFinished(bool ok, const QString &error)
{
    Q_ASSERT(QThread::currentThread() == thread());
    m_watchdog.stop();
    flushPending();
    m_running = false;
    m_paused = false;
    m_stepping = false;
    if (m_restartPending) {
        m_restartPending = false;
        start(core::Scenario(*m_scenario), m_stepModeRun);
        return;
    }
    if (m_timedOut)
        emit runFailed(tr("The lab did not answer for %1 s and was stopped.").arg(m_watchdog.interval() / 1000));
    else if (m_stopped)
        emit runFailed(tr("Run stopped."));
    else if (!error.isEmpty())
        emit runFailed(error);
    else
        emit runFinished(ok);
}

// Everything the job pushed is queued before its paused/finished signal: drain it all now.
void LabWorker::flushPending()
{
    m_drainTimer.stop();
    for (;;) {
        {
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

void LabWorker::onWatchdog()
{
    m_timedOut = true;
    m_job->interrupt();
}

void LabJob::run(const core::Scenario &scenario, const core::LabOptions &options)
{
    Q_ASSERT(QThread::currentThread() == thread());
    m_ok = true;
    m_sawEnd = false;
    m_error.clear();
    m_next = 0;
    const size_t n = scenario.steps.size();
    m_groupLast.assign(n, 0);
    for (size_t i = n; i-- > 0;)
        m_groupLast[i] = core::stepGroupLast(scenario.steps, i);
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
    Q_ASSERT(QThread::currentThread() == thread());
    if (!m_owned)
        return;
    if (command == Step) {
        m_owned->step();
        m_next = m_next < m_groupLast.size() ? m_groupLast[m_next] + 1 : m_next + 1;
    } else if (command == Continue) {
        m_owned->resume();
    } else {
        m_owned->stop();
    }
    pumpOn();
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
            emit paused(static_cast<int>(m_next));
            return;
        }
    }
    if (!error.empty())
        m_error = error;
    finish();
}

void LabJob::finish()
{
    {
        std::lock_guard lock(m_sessionMutex);
        m_session = nullptr;
    }
    if (!m_sawEnd && m_error.empty())
        m_error = "the lab ended without an end event";
    m_owned.reset(); // kills and reaps the child if it still runs
    emit finished(m_ok, QString::fromStdString(m_error));
}

void LabJob::interrupt()
{
    std::lock_guard lock(m_sessionMutex);
    if (m_session)
        m_session->interrupt();
}

} // namespace sockscope::ui
