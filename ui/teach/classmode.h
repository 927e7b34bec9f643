// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Brief: class mode for a teacher at a projector: full screen, large type (scale remembered in QSettings),
// the high-contrast theme, only the diagram, the state timelines (on the event axis) and the explanation;
// leaving restores the previous layout, theme, zoom and timeline axis exactly. The diagram fits the screen
// (SequenceOptions::fittedForClass) and keeps the cursor in view; Shift+Left/Right scroll it sideways when
// larger type makes it wider than the screen; Ctrl+Shift+O chooses another scenario without leaving.
// Thread-safety: GUI thread only.

#include "ui/style/theme.h"
#include "ui/timeline/stateplottable.h"

#include <QByteArray>
#include <QObject>
#include <QPointer>

class QAction;

namespace sockscope::ui {

class MainWindow;

class ClassMode : public QObject
{
    Q_OBJECT
public:
    static constexpr double kDefaultScale = 1.3;
    static constexpr double kMinScale = 1.0;
    static constexpr double kMaxScale = 4.0;

    explicit ClassMode(MainWindow *window);

    bool isActive() const { return m_active; }
    void setActive(bool on);
    void toggle() { setActive(!m_active); }
    double scale() const { return m_scale; }
    void setScale(double scale); // remembered; applied at once when active
    void bigger() { setScale(m_scale * 1.15); }
    void smaller() { setScale(m_scale / 1.15); }

    // Docks that stay visible in class mode (object names).
    static bool keepsDock(const QString &objectName);

    // Scrolls the diagram sideways by a third of its width (direction -1 or +1).
    void scrollSideways(int direction);
    // Asks which built-in scenario to show next, then switchTo() it.
    void chooseScenario();
    // Selects the scenario in the browser and starts it paused before its first step (F10 steps), once the
    // run on screen (if any) is stopped; false if there is no such scenario.
    bool switchTo(const QString &name);

Q_SIGNALS:
    void activeChanged(bool on);

private:
    void enter();
    void leave();
    void applyLook();

    MainWindow *m_window;
    bool m_active = false;
    double m_scale = kDefaultScale;
    // What leave() restores.
    QByteArray m_state;
    QByteArray m_geometry;
    Qt::WindowStates m_windowState;
    Theme m_theme;
    double m_zoom = 1.0;
    bool m_menuBar = true;
    bool m_statusBar = true;
    StatePlottable::Axis m_timelineAxis = StatePlottable::Axis::Time;
    QList<QPointer<QAction>> m_disabled; // window actions whose shortcuts class mode takes over
};

} // namespace sockscope::ui
