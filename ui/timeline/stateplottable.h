// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// One QCustomPlot plottable that bulk-paints every socket's state bands, the call/segment/signal markers
// and the cursor line; only what is visible is painted, and marks that fall on the same pixel are skipped.
// x (the key) is milliseconds since the run's start on the time axis, or the event index on the event axis
// (one step per event, as the diagram's uniform rows: a state that lasts 50 us but spans five events is a
// band five steps wide); y is the socket row (row 0 at the top).
// Thread-safety: GUI thread only.

#include "ui/style/theme.h"

#include <qcustomplot.h>

#include <vector>

namespace sockscope::ui {

class RunModel;

class StatePlottable : public QCPAbstractPlottable
{
    Q_OBJECT
public:
    enum class MarkKind : quint8
    {
        Call,
        CallError,
        SegmentOut,
        SegmentIn,
        Signal,
        Timer // a timer restarted or backed off (the same events the diagram gives a row)
    };
    static constexpr int kMarkKinds = 6;
    struct Mark
    {
        double ms = 0;
        int row = 0;
        int event = 0;
        MarkKind kind = MarkKind::Call;
    };

    enum class Axis
    {
        Time,  // milliseconds since the start
        Events // event index
    };
    // A state band: a socket row (RunModel::sockets()) and an index into RunModel::stateSpans(row).
    // On screen, rows are the shown sockets only (rowOfSocket()): with reveal on, a socket not created yet has
    // none, and the rows below move up rather than leave a gap that announces it.
    struct Band
    {
        int row = -1;
        int span = -1;
    };

    StatePlottable(QCPAxis *keyAxis, QCPAxis *valueAxis, const RunModel *run);

    Axis axis() const { return m_axis; }
    void setAxis(Axis axis) { m_axis = axis; }
    double keyOfEvent(int eventIndex) const;
    // The key of the run's end; while reveal hides, of the last event revealed (its length would tell).
    double endKey() const;
    // The event at key x on the axis (the nearest one on the event axis, the first not before x in time).
    int eventAtKey(double key) const;
    // Where a band starts and ends on the axis.
    double bandStart(const Band &band) const;
    double bandEnd(const Band &band) const;
    // The band under pixel pos (revealed part only), or row -1.
    Band bandAt(const QPointF &pos) const;
    // "client.1: SYN_SENT for 1.02 ms (events 12-15)".
    QString bandToolTip(const Band &band) const;

    // Marks are indexed incrementally; a change in the socket rows re-indexes everything.
    void rebuild();
    void appendEvents(int first, int last);
    const std::vector<Mark> &marks() const { return m_marks; }

    void setTheme(const Theme &theme) { m_theme = theme; }
    void setCursorEvent(int eventIndex) { m_cursor = eventIndex; }
    // True when the shown rows changed (the caller relabels the axis).
    bool setRevealLimit(int lastEvent);
    int shownRows() const { return static_cast<int>(m_socketAt.size()); }
    int socketAtRow(int row) const;       // -1 outside the shown rows
    int rowOfSocket(int socketRow) const; // -1 while not shown

    // The event of the mark nearest to pixel pos within maxPx, or -1.
    int eventNear(const QPointF &pos, double maxPx) const;

    double selectTest(const QPointF &pos, bool onlySelectable, QVariant *details = nullptr) const override;
    QCPRange getKeyRange(bool &foundRange, QCP::SignDomain inSignDomain = QCP::sdBoth) const override;
    QCPRange getValueRange(bool &foundRange, QCP::SignDomain inSignDomain = QCP::sdBoth,
                           const QCPRange &inKeyRange = QCPRange()) const override;

    static double toMs(qint64 tNs) { return static_cast<double>(tNs) / 1e6; }

protected:
    void draw(QCPPainter *painter) override;
    void drawLegendIcon(QCPPainter *painter, const QRectF &rect) const override;

private:
    void indexEvent(int i);
    void addMark(const Mark &m);
    std::vector<int> &lane(int socketRow, MarkKind kind);
    bool updateRows();
    double markKey(const Mark &m) const { return m_axis == Axis::Events ? m.event : m.ms; }
    int eventAtTime(qint64 tNs) const; // first event not before tNs
    int bandFirstEvent(const Band &band) const;
    int bandEndEvent(const Band &band) const; // the event that left the state, or the last event
    void drawBands(QCPPainter *painter, int rowFirst, int rowLast, double xLo, double xHi, double revealMs);
    void drawMarks(QCPPainter *painter, int rowFirst, int rowLast, double xLo, double xHi);
    QColor markColor(const Mark &m) const;

    const RunModel *m_run;
    Theme m_theme;
    std::vector<Mark> m_marks; // in time order (the stream's order)
    // The marks of one socket and kind (indexes into m_marks, in time order), socket row * kMarkKinds + kind:
    // a zoomed-out frame skips by binary search what would fall on a pixel already painted, instead of walking
    // every mark of the run.
    std::vector<std::vector<int>> m_lanes;
    int m_indexed = 0; // events indexed so far
    int m_cursor = -1;
    int m_reveal = -1;
    std::vector<int> m_socketAt; // shown row -> socket row
    std::vector<int> m_rowOf;    // socket row -> shown row, -1 while hidden
    Axis m_axis = Axis::Time;
};

} // namespace sockscope::ui
