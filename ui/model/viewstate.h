// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Brief: the one view state every view observes (cursor, hover, time range, time mode, reveal, predict,
// theme).
// Views change it and react to its signals; they never call each other.
// Thread-safety: GUI thread only.

#include "ui/style/theme.h"

#include <QHash>
#include <QObject>
#include <QString>

namespace sockscope::ui {

enum class TimeMode
{
    Uniform,      // one row per event (the default, for teaching)
    Proportional, // real time, long idle gaps collapsed and marked
};

class ViewState : public QObject
{
    Q_OBJECT
public:
    explicit ViewState(QObject *parent = nullptr);

    // The selected event (index into RunModel::events()), -1 for none.
    int cursor() const { return m_cursor; }
    void setCursor(int eventIndex);

    int hoveredEvent() const { return m_hoveredEvent; }
    // Socket stable name ("server.1"), empty for none.
    const QString &hoveredSocket() const { return m_hoveredSocket; }
    void setHover(int eventIndex, const QString &socket);
    void setHoveredEvent(int eventIndex) { setHover(eventIndex, m_hoveredSocket); }
    void setHoveredSocket(const QString &socket) { setHover(m_hoveredEvent, socket); }
    void clearHover() { setHover(-1, QString()); }

    // Visible part of the run in ns since run start; t1 < t0 means "the whole run".
    qint64 visibleT0() const { return m_t0; }
    qint64 visibleT1() const { return m_t1; }
    bool hasVisibleRange() const { return m_t1 >= m_t0; }
    void setVisibleRange(qint64 t0, qint64 t1);
    void resetVisibleRange() { setVisibleRange(0, -1); }

    TimeMode timeMode() const { return m_timeMode; }
    void setTimeMode(TimeMode mode);

    // Events with index > revealLimit are hidden (stepping through a finished run); -1 shows all.
    int revealLimit() const { return m_revealLimit; }
    void setRevealLimit(int lastVisibleEvent);

    // Predict mode (reveal's companion): the class answers a question before each call's result is shown.
    // Answers are kept per question (the syscall event's index) until the run is replaced.
    bool predicting() const { return m_predicting; }
    void setPredicting(bool on);
    int answerAt(int callEvent) const { return m_answers.value(callEvent, -1); } // choice index, -1 for none
    void setAnswer(int callEvent, int choice);
    void clearAnswers();

    bool classMode() const { return m_classMode; }
    void setClassMode(bool on);

    const Theme &theme() const { return m_theme; }
    void setTheme(const Theme &theme);

Q_SIGNALS:
    void cursorChanged(int eventIndex);
    void hoverChanged(int eventIndex, const QString &socket);
    void visibleRangeChanged(qint64 t0, qint64 t1);
    void timeModeChanged(sockscope::ui::TimeMode mode);
    void revealChanged(int revealLimit);
    void classModeChanged(bool on);
    void predictChanged(); // predict mode turned on or off, or an answer given
    void themeChanged();

private:
    int m_cursor = -1;
    int m_hoveredEvent = -1;
    QString m_hoveredSocket;
    qint64 m_t0 = 0;
    qint64 m_t1 = -1;
    TimeMode m_timeMode = TimeMode::Uniform;
    int m_revealLimit = -1;
    bool m_classMode = false;
    bool m_predicting = false;
    QHash<int, int> m_answers;
    Theme m_theme;
};

} // namespace sockscope::ui
