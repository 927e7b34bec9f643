// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/model/multirun.h"
#include "ui/model/threadcheck.h"

#include "core/model/outcome.h"

#include <QThread>

namespace sockscope::ui {

MultiRunner::MultiRunner(QObject *parent) : QObject(parent), m_thread(new QThread(this))
{
    m_thread->setObjectName(QStringLiteral("sockscope-runs"));
    m_thread->start();
}

MultiRunner::~MultiRunner()
{
    cancel();
    m_thread->quit();
    m_thread->wait();
}

bool MultiRunner::start(const core::Scenario &scenario, int runs)
{
    SOCKSCOPE_REQUIRE_OWN_THREAD();
    if (m_running || runs < 1)
        return false;
    m_running = true;
    m_cancel = false;
    m_results.clear();
    {
        std::lock_guard lock(m_resultsMutex);
        m_pending.clear();
    }
    // A context object living on the worker thread runs the job there.
    auto *context = new QObject;
    context->moveToThread(m_thread);
    const core::LabOptions options = m_options;
    QMetaObject::invokeMethod(
        context,
        [this, context, scenario, runs, options] {
            work(scenario, runs, options);
            context->deleteLater();
        },
        Qt::QueuedConnection);
    return true;
}

void MultiRunner::cancel()
{
    m_cancel = true;
    std::lock_guard lock(m_batchMutex);
    if (m_batch)
        m_batch->cancel();
}

std::vector<std::string> MultiRunner::keys() const
{
    std::vector<std::string> k;
    for (const auto &r : m_results)
        k.push_back(r.key);
    return k;
}

void MultiRunner::work(core::Scenario scenario, int runs, core::LabOptions options)
{
    core::LabBatch batch(std::move(scenario), options, runs);
    {
        std::lock_guard lock(m_batchMutex);
        m_batch = &batch;
    }
    // cancel() may have come before the batch was published.
    if (m_cancel)
        batch.cancel();
    batch.run([this, runs](core::BatchRun &&run) {
        RunResult result;
        result.events = std::move(run.events);
        result.error = std::move(run.error);
        core::TcpBehaviour behaviour = core::tcpBehaviour(result.events);
        result.key = std::move(behaviour.key);
        result.label = std::move(behaviour.label);
        {
            std::lock_guard lock(m_resultsMutex);
            m_pending.push_back(std::move(result));
        }
        const int done = run.index + 1;
        QMetaObject::invokeMethod(
            this, [this, done, runs] { emit progressed(done, runs); }, Qt::QueuedConnection);
    });
    {
        std::lock_guard lock(m_batchMutex);
        m_batch = nullptr;
    }
    const bool cancelled = m_cancel;
    QMetaObject::invokeMethod(
        this,
        [this, cancelled] {
            {
                std::lock_guard lock(m_resultsMutex);
                m_results = std::move(m_pending);
                m_pending.clear();
            }
            m_running = false;
            emit finished(cancelled);
        },
        Qt::QueuedConnection);
}

} // namespace sockscope::ui
