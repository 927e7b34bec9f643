// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/model/viewstate.h"

namespace sockscope::ui {

ViewState::ViewState(QObject *parent) : QObject(parent), m_theme(Theme::system()) {}

void ViewState::setCursor(int eventIndex)
{
    eventIndex = std::max(eventIndex, -1);
    if (eventIndex == m_cursor)
        return;
    m_cursor = eventIndex;
    Q_EMIT cursorChanged(m_cursor);
}

void ViewState::setHover(int eventIndex, const QString &socket)
{
    eventIndex = std::max(eventIndex, -1);
    if (eventIndex == m_hoveredEvent && socket == m_hoveredSocket)
        return;
    m_hoveredEvent = eventIndex;
    m_hoveredSocket = socket;
    Q_EMIT hoverChanged(m_hoveredEvent, m_hoveredSocket);
}

void ViewState::setVisibleRange(qint64 t0, qint64 t1)
{
    if (t0 == m_t0 && t1 == m_t1)
        return;
    m_t0 = t0;
    m_t1 = t1;
    Q_EMIT visibleRangeChanged(m_t0, m_t1);
}

void ViewState::setTimeMode(TimeMode mode)
{
    if (mode == m_timeMode)
        return;
    m_timeMode = mode;
    Q_EMIT timeModeChanged(m_timeMode);
}

void ViewState::setRevealLimit(int lastVisibleEvent)
{
    lastVisibleEvent = std::max(lastVisibleEvent, -1);
    if (lastVisibleEvent == m_revealLimit)
        return;
    m_revealLimit = lastVisibleEvent;
    Q_EMIT revealChanged(m_revealLimit);
}

void ViewState::setClassMode(bool on)
{
    if (on == m_classMode)
        return;
    m_classMode = on;
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
