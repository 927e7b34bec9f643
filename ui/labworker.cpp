// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/labworker.h"

#include "ui/runmodel.h"

#include <QThread>

namespace sockscope::ui {

LabWorker::LabWorker(RunModel *model, QObject *parent)
    : QObject(parent), m_model(model), m_thread(new QThread(this)), m_job(new LabJob(this))
{
    m_thread->setObjectName(QStringLiteral("sockscope-lab"));
    m_job->moveToThread(m_thread);
    connect(m_thread, &QThread::finished, m_job, &QObject::deleteLater);
    connect(m_job, &LabJob::finished, this, &LabWorker::onJobFinished, Qt::QueuedConnection);
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

bool LabWorker::start(const core::Scenario &scenario)
{
    Q_ASSERT(QThread::currentThread() == thread());
    if (m_running)
        return false;
    m_running = true;
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
    const core::LabOptions options = m_options;
    QMetaObject::invokeMethod(
        m_job, [job, scenario, options] { job->run(scenario, options); }, Qt::QueuedConnection);
    return true;
}

void LabWorker::stop()
{
    if (!m_running)
        return;
    m_stopped = true;
    m_job->interrupt();
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
    if (m_drainTimer.isActive())
        return;
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
    m_drainTimer.stop();
    // Everything the job pushed is queued before its finished signal: flush it all now.
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
    m_running = false;
    if (m_timedOut)
        emit runFailed(tr("The lab did not answer for %1 s and was stopped.").arg(m_watchdog.interval() / 1000));
    else if (m_stopped)
        emit runFailed(tr("Run stopped."));
    else if (!error.isEmpty())
        emit runFailed(error);
    else
        emit runFinished(ok);
}

void LabWorker::onWatchdog()
{
    m_timedOut = true;
    m_job->interrupt();
}

void LabJob::run(const core::Scenario &scenario, const core::LabOptions &options)
{
    Q_ASSERT(QThread::currentThread() == thread());
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
    bool ok = true;
    bool sawEnd = false;
    std::string endError;
    const core::EventSink sink = [this, &ok, &sawEnd, &endError](core::Event &&e) {
        if (const auto *end = e.as<core::EndInfo>()) {
            sawEnd = true;
            ok = end->ok;
            endError = end->error;
        }
        m_sink->push(std::move(e));
    };
    while (session->pump(sink, &error)) {
        if (session->finished())
            break;
        if (session->paused()) // no stepping UI yet: a paused lab runs on
            session->resume();
    }
    {
        std::lock_guard lock(m_sessionMutex);
        m_session = nullptr;
    }
    if (error.empty())
        error = endError;
    if (!sawEnd && error.empty())
        error = "the lab ended without an end event";
    session.reset(); // kills and reaps the child if it still runs
    emit finished(ok, QString::fromStdString(error));
}

void LabJob::interrupt()
{
    std::lock_guard lock(m_sessionMutex);
    if (m_session)
        m_session->interrupt();
}

} // namespace sockscope::ui
