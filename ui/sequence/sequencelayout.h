// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Brief: where every part of the sequence diagram goes: lane x per socket (grouped by actor), row and y per
// event, arrow ends, blocked-call spans. A pure function of the run, its indexes and the view options.
// Thread-safety: compute() is pure; a layout is a plain value.

#include "ui/model/viewstate.h"
#include "ui/sequence/timescale.h"

#include <QFont>
#include <QLineF>
#include <QPointF>

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sockscope::ui {

class RunModel;

struct SequenceOptions
{
    TimeMode mode = TimeMode::Uniform;
    double rowHeight = 22;
    // Proportional: ns per pixel; 0 = automatic, real time then fills about as much height as uniform rows
    // would, times timeZoom (Ctrl+wheel).
    double nsPerPx = 0;
    double timeZoom = 1;
    qint64 gapNs = 5'000'000; // proportional: idle gaps longer than this are collapsed...
    double gapPx = 30;        // ...to this height
    double gutterWidth = 112; // left: step numbers and relative time
    double callWidth = 250;   // an actor's syscall column
    double lanePitch = 120;   // between the lifelines of one actor
    double groupGap = 270;    // between actor groups: room for the segments' labels
    double margin = 16;       // right margin
    int revealLimit = -1;     // last event shown, -1 for all
    // Class mode at a narrow projector (fittedForClass): a call column per actor, as wide as its labels need
    // (empty: callWidth for every actor), call labels wrapped onto up to labelLines lines (their rows grow
    // to hold them, in uniform time), and the gutter's relative times left out.
    std::vector<double> callWidths;
    std::vector<double> laneWidths; // per socket row (empty: lanePitch): short names ("server.1" as ".1")
    int labelLines = 1;
    bool showTimes = true;
    QFont labelFont; // the call labels' font: what wrapped rows are measured with

    double laneWidthOf(int socketRow) const
    {
        return socketRow >= 0 && socketRow < static_cast<int>(laneWidths.size())
                   ? laneWidths[static_cast<size_t>(socketRow)]
                   : lanePitch;
    }
    double callWidthOf(int actor) const
    {
        return actor >= 0 && actor < static_cast<int>(callWidths.size()) ? callWidths[static_cast<size_t>(actor)]
                                                                         : callWidth;
    }
    bool operator==(const SequenceOptions &) const = default;

    // The geometry above sized for a font (class mode, print themes); keeps mode, zoom and reveal limit.
    SequenceOptions scaledFor(const QFont &font) const;
    // Width of a run's diagram with `actors` call columns and `lanes` lifelines (no "(no socket)" lane).
    double naturalWidth(int actors, int lanes) const;
    // Narrows the call columns and the gaps between actors (never below about 2/3, so calls and segment
    // labels stay readable) so that the diagram fits `width` if it can; lifelines keep their pitch.
    SequenceOptions fittedTo(double width, int actors, int lanes) const;
    // Class mode: every lifeline and the whole text of every call and result within `width` at this font,
    // if any arrangement can: first narrower gaps and lane pitch, then no relative times, then labels
    // wrapped onto 2, 3 or 4 lines in columns as wide as each actor's labels need.
    // laneFont: the lifelines' names in the header.
    SequenceOptions fittedForClass(const RunModel &run, double width, const QFont &laneFont) const;
};

enum class CallSide
{
    Left,
    Right
};

struct SequenceLane
{
    int socketRow = -1; // RunModel::sockets() index; -1 for the "(no socket)" lane
    int group = -1;
    double x = 0;
};

struct SequenceGroup
{
    std::string actor; // "" for the "(no socket)" group
    int firstLane = 0;
    int laneCount = 0;
    double x0 = 0, x1 = 0;         // whole group, calls included
    double callX0 = 0, callX1 = 0; // its syscall column (empty for the "(no socket)" group)
    CallSide side = CallSide::Left;
};

struct SequenceItem
{
    int row = -1;        // own row, or -1 (merged return, socket, step, queue, check, run, end, hidden)
    float y = 0;         // centre of the row it is drawn at
    qint16 lane = -1;    // the socket's lane (packet: sender)
    qint16 lane2 = -1;   // packet: receiver
    qint16 group = -1;   // syscall, return, signal: the actor's group
    bool merged = false; // syscall: its return is drawn on the same row; return: drawn on its call's row
};

// A call whose return is not on the same row: drawn from y0 to y1 (open while blocked: y1 = run's end).
struct SequenceSpan
{
    int call = -1;
    int ret = -1; // -1 while blocked
    int group = -1;
    int lane = -1;
    float y0 = 0, y1 = 0;
};

class SequenceLayout
{
public:
    // A lifeline's name in the header: "server.1", or ".1" under its actor's name when the lane is too narrow.
    static QString laneName(const std::string &sock, const std::string &actor, bool shortName);

    static SequenceLayout compute(const RunModel &run, const SequenceOptions &options);
    // Lays out the events appended to `run` since this layout was computed or last appended to, leaving every
    // earlier row where it was: the same layout compute() would give, in time proportional to the new events.
    // False (the layout unchanged) where the new events change what the columns or the scale come from, and
    // compute() must run again: a new socket, actor or "(no socket)" lane, reveal on, wrapped rows (class mode),
    // or real time with an automatic scale (nsPerPx 0).
    bool append(const RunModel &run);

    const SequenceOptions &options() const { return m_options; }
    const TimeScale &scale() const { return m_scale; }
    const std::vector<SequenceLane> &lanes() const { return m_lanes; }
    const std::vector<SequenceGroup> &groups() const { return m_groups; }
    const std::vector<SequenceItem> &items() const { return m_items; } // one per event up to lastEvent()
    const SequenceItem &item(int eventIndex) const { return m_items[static_cast<size_t>(eventIndex)]; }
    const std::vector<int> &rowEvents() const { return m_rowEvents; }  // event index of each row
    const std::vector<SequenceSpan> &spans() const { return m_spans; } // sorted by y0
    int lastEvent() const { return static_cast<int>(m_items.size()) - 1; }
    int rowCount() const { return static_cast<int>(m_rowEvents.size()); }

    // Index of the first span that reaches down to y (earlier ones all end above it).
    int firstSpanReaching(double y) const;
    int laneOfSocketRow(int socketRow) const;
    int laneOfNoSocket() const { return m_noSocketLane; }
    double width() const { return m_width; }
    double height() const { return m_height; }
    // Where a lane's lifeline starts (its socket's first event) and ends; top < 0: not started yet.
    double laneTop(int lane) const { return m_laneTop[static_cast<size_t>(lane)]; }
    double laneBottom(int lane) const { return m_laneBottom[static_cast<size_t>(lane)]; }

    // Rows whose y lies in [y0, y1]: [first, last), both indexes into rowEvents().
    std::pair<int, int> rowRange(double y0, double y1) const;
    // The event drawn under pos (a merged return yields its call), or -1. Lane hits prefer the nearest lane.
    int eventAt(QPointF pos) const;
    // The lane whose lifeline is nearest to x (within half a pitch), or -1.
    int laneAt(double x) const;
    // A packet's arrow, sender to receiver, at its row.
    QLineF arrow(int eventIndex) const;
    // The x of a group's call column edge that faces its lanes (where a call's stub starts).
    double callAnchorX(int group) const;

private:
    void layColumns(const RunModel &run);
    // Pass 1 for event i: its row (if it gets one) and lanes.
    void placeEvent(const RunModel &run, int i, int limit);
    // Pass 2 for events from..limit: their y on the scale.
    void placeY(const RunModel &run, int from, int limit);
    // The spans of the call rows from firstRow on; then the open ones extended and the running maximum redone.
    void addSpans(const RunModel &run, int firstRow, int limit);
    void extendOpenSpans(const RunModel &run, int limit, size_t firstChanged);
    double laneTopAt(int firstEvent) const; // where a lifeline whose socket starts at that event begins

    SequenceOptions m_options;
    TimeScale m_scale;
    std::vector<SequenceLane> m_lanes;
    std::vector<SequenceGroup> m_groups;
    std::vector<SequenceItem> m_items;
    std::vector<int> m_rowEvents;
    std::vector<SequenceSpan> m_spans;
    std::vector<float> m_spanReach; // running maximum of spans' y1
    std::vector<int> m_openSpans;   // spans whose call had not returned (y1 = the bottom)
    size_t m_groupsOfActors = 0;    // the run's actors the columns were laid out for
    std::vector<int> m_laneOfSocketRow;
    std::vector<double> m_laneTop, m_laneBottom;
    int m_noSocketLane = -1;
    double m_width = 0;
    double m_height = 0;
};

} // namespace sockscope::ui
