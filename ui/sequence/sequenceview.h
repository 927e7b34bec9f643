// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Brief: the sequence diagram widget: scrolls the painted diagram under a sticky header of actors and
// sockets, zooms with Ctrl+wheel, shows the full event on hover, sets the shared cursor on click.
// Thread-safety: GUI thread only.

#include "ui/sequence/sequencelayout.h"

#include <QAbstractScrollArea>
#include <QPointer>

class QAction;
class QTimer;

namespace sockscope::ui {

class RunModel;
class ViewState;

class SequenceView : public QAbstractScrollArea
{
    Q_OBJECT
public:
    SequenceView(RunModel *run, ViewState *view, QWidget *parent = nullptr);

    const SequenceLayout &layout() const { return m_layout; }
    // Geometry the exporter should lay the whole run out with (mode and reveal limit of this view).
    SequenceOptions options() const { return m_options; }

    bool isLegendVisible() const { return m_legendVisible; }
    void setLegendVisible(bool on);
    // A checkable "Legend" action (L) for toolbars and menus.
    QAction *legendAction() const { return m_legendAction; }

    // 1 = default; Ctrl+wheel multiplies it. Uniform: row height; proportional: pixels per ns.
    double zoom() const { return m_zoom; }
    void setZoom(double zoom);

    // Height of the sticky header at the top of the viewport; the diagram's y = 0 is just below it.
    double headerHeight() const;

    QSize sizeHint() const override;

Q_SIGNALS:
    void legendVisibilityChanged(bool visible);

protected:
    void paintEvent(QPaintEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;
    void scrollContentsBy(int dx, int dy) override;
    void wheelEvent(QWheelEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void leaveEvent(QEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;
    bool viewportEvent(QEvent *event) override;

private:
    void scheduleRelayout();
    void scheduleWholeRelayout();
    void relayout(); // the whole run
    // appendOnly: only streamed events came since the last layout; the layout is extended where it can be.
    void layOut(bool appendOnly);
    void updateScrollBars();
    void publishVisibleRange();
    void ensureEventVisible(int eventIndex);
    // Viewport point -> layout coordinates of the body.
    QPointF toLayout(QPointF viewportPos) const;
    int laneName(int lane, QString *name) const;

    QPointer<RunModel> m_run;
    QPointer<ViewState> m_view;
    SequenceOptions m_options;
    SequenceLayout m_layout;
    QTimer *m_relayoutTimer = nullptr;
    QAction *m_legendAction = nullptr;
    bool m_legendVisible = false;
    double m_zoom = 1.0;
    int m_hoverLane = -1;
    bool m_appendOnly = false;     // the scheduled relayout is for streamed events only: the layout is appended to
    bool m_followEnd = false;      // a streamed run: keep the newest row in view while the scroll bar is at the end
    int m_pendingAnchorEvent = -1; // kept under the mouse across a zoom
    double m_pendingAnchorY = 0;
};

} // namespace sockscope::ui
