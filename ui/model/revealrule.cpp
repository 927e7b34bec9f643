// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/model/revealrule.h"

#include "ui/model/viewstate.h"

#include <QCoreApplication>

#include <algorithm>

namespace sockscope::ui {

RevealRule::RevealRule(const RunModel &run, const ViewState &view) : RevealRule(run, view.revealLimit()) {}

bool RevealRule::hiding() const
{
    return m_limit >= 0 && !(m_run.isFinished() && m_limit >= m_run.eventCount() - 1);
}

int RevealRule::lastShown() const
{
    const int last = m_run.eventCount() - 1;
    return m_limit < 0 ? last : std::min(m_limit, last);
}

std::span<const core::Event> RevealRule::shownEvents() const
{
    return std::span<const core::Event>(m_run.events()).first(static_cast<size_t>(lastShown() + 1));
}

bool RevealRule::showsSocket(int socketRow) const
{
    const auto &sockets = m_run.sockets();
    if (socketRow < 0 || socketRow >= static_cast<int>(sockets.size()))
        return false;
    const int first = sockets[static_cast<size_t>(socketRow)].firstEvent;
    return first >= 0 && shows(first);
}

SocketRow RevealRule::socketAsShown(int socketRow) const
{
    const SocketRow &final = m_run.sockets()[static_cast<size_t>(socketRow)];
    if (m_limit < 0 || lastShown() >= m_run.eventCount() - 1)
        return final; // nothing is cut: the model's row is the shown one (no scan per paint)
    SocketRow row;
    row.sock = final.sock;
    row.actor = final.actor;
    row.firstEvent = final.firstEvent;
    for (const core::Event &e : shownEvents())
        if (const auto *s = e.as<core::SocketInfo>(); s && s->sock == final.sock)
            updateSocketRow(row, *s);
    return row;
}

bool RevealRule::showsActor(const std::string &actor) const
{
    if (m_limit < 0)
        return true;
    const auto &sockets = m_run.sockets();
    for (int s = 0; s < static_cast<int>(sockets.size()); ++s)
        if (sockets[static_cast<size_t>(s)].actor == actor && showsSocket(s))
            return true;
    const auto shown = shownEvents();
    return std::any_of(shown.begin(), shown.end(), [&actor](const core::Event &e) {
        const auto *c = e.as<core::SyscallInfo>();
        return c && c->actor == actor;
    });
}

QString RevealRule::runName() const
{
    return hiding() ? neutralName() : m_run.scenarioName();
}

QString RevealRule::heading() const
{
    return hiding() ? neutralHeading() : m_run.title();
}

QString RevealRule::neutralName()
{
    return QCoreApplication::translate("sockscope::ui::RevealRule", "Lesson");
}

QString RevealRule::neutralHeading()
{
    return QCoreApplication::translate("sockscope::ui::RevealRule", "What will the kernel do?");
}

} // namespace sockscope::ui
