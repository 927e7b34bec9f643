// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/model/viewstate.h"

namespace sockscope::ui {

namespace {
// Sets member to value; true when that changed it (the setter then emits its signal once).
template <typename T> bool changed(T &member, const T &value)
{
    if (member == value)
        return false;
    member = value;
    return true;
}
} // namespace

ViewState::ViewState(QObject *parent) : QObject(parent), m_theme(Theme::system()) {}

void ViewState::setCursor(int eventIndex)
{
    if (changed(m_cursor, std::max(eventIndex, -1)))
        Q_EMIT cursorChanged(m_cursor);
}

void ViewState::setHover(int eventIndex, const QString &socket)
{
    const bool event = changed(m_hoveredEvent, std::max(eventIndex, -1));
    if (changed(m_hoveredSocket, socket) || event)
        Q_EMIT hoverChanged(m_hoveredEvent, m_hoveredSocket);
}

void ViewState::setVisibleRange(qint64 t0, qint64 t1)
{
    const bool start = changed(m_t0, t0);
    if (changed(m_t1, t1) || start)
        Q_EMIT visibleRangeChanged(m_t0, m_t1);
}

void ViewState::setTimeMode(TimeMode mode)
{
    if (changed(m_timeMode, mode))
        Q_EMIT timeModeChanged(m_timeMode);
}

void ViewState::setRevealLimit(int lastVisibleEvent)
{
    if (changed(m_revealLimit, std::max(lastVisibleEvent, -1)))
        Q_EMIT revealChanged(m_revealLimit);
}

void ViewState::setClassMode(bool on)
{
    if (changed(m_classMode, on))
        Q_EMIT classModeChanged(m_classMode);
}

void ViewState::setPredicting(bool on)
{
    if (on == m_predicting)
        return;
    m_predicting = on;
    Q_EMIT predictChanged();
}

void ViewState::setAnswer(int callEvent, int choice)
{
    m_answers.insert(callEvent, choice);
    Q_EMIT predictChanged();
}

void ViewState::clearAnswers()
{
    if (m_answers.isEmpty())
        return;
    m_answers.clear();
    Q_EMIT predictChanged();
}

void ViewState::setTheme(const Theme &theme)
{
    m_theme = theme;
    Q_EMIT themeChanged();
}

} // namespace sockscope::ui
