// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/sequence/sequencelayout.h"

#include "ui/model/revealrule.h"
#include "ui/model/runmodel.h"
#include "ui/sequence/calllabel.h"
#include "ui/sequence/sequencelabels.h"
#include "ui/sequence/timermark.h"

#include <QFontMetricsF>

#include <algorithm>
#include <cmath>

namespace sockscope::ui {

using core::EventKind;

namespace {

bool packetNeedsNoSocketLane(const core::Event &e)
{
    const auto *p = e.as<core::PacketInfo>();
    return p && (p->from.empty() || p->to.empty());
}

} // namespace

SequenceOptions SequenceOptions::scaledFor(const QFont &font) const
{
    // The defaults are tuned for a 9 pt font, whose line is about 15 px.
    const double f = std::max(0.75, QFontMetricsF(font).height() / 15.0);
    SequenceOptions o = *this;
    const SequenceOptions d;
    o.rowHeight = std::round(d.rowHeight * f);
    o.gapPx = std::round(d.gapPx * f);
    o.gutterWidth = std::round(d.gutterWidth * f);
    o.callWidth = std::round(d.callWidth * f);
    o.lanePitch = std::round(d.lanePitch * f);
    o.groupGap = std::round(d.groupGap * f);
    o.margin = std::round(d.margin * f);
    o.labelFont = font;
    return o;
}

double SequenceOptions::naturalWidth(int actors, int lanes) const
{
    return gutterWidth + actors * callWidth + lanes * lanePitch + std::max(0, actors - 1) * groupGap + margin;
}

SequenceOptions SequenceOptions::fittedTo(double width, int actors, int lanes) const
{
    constexpr double kMinCall = 0.72, kMinGap = 0.62; // a call column keeps room for "recv(…) = -1 ECONNRESET"
    const double excess = naturalWidth(actors, lanes) - width;
    const double slack = actors * callWidth * (1 - kMinCall) + std::max(0, actors - 1) * groupGap * (1 - kMinGap);
    if (excess <= 0 || slack <= 0)
        return *this;
    const double t = std::min(1.0, excess / slack);
    SequenceOptions o = *this;
    o.callWidth = std::floor(callWidth * (1 - t * (1 - kMinCall)));
    o.groupGap = std::floor(groupGap * (1 - t * (1 - kMinGap)));
    return o;
}

QString SequenceLayout::laneName(const std::string &sock, const std::string &actor, bool shortName)
{
    const QString name = QString::fromStdString(sock);
    if (shortName && !actor.empty() && sock.size() > actor.size() + 1 && sock.compare(0, actor.size(), actor) == 0 &&
        sock[actor.size()] == '.')
        return name.mid(static_cast<qsizetype>(actor.size()));
    return name;
}

SequenceOptions SequenceOptions::fittedForClass(const RunModel &run, double width, const QFont &laneFont) const
{
    const QFontMetricsF fm(labelFont), lfm(laneFont);
    const int actors = static_cast<int>(run.actors().size());
    const auto &sockets = run.sockets();
    const int lanes = static_cast<int>(sockets.size());
    const bool noSocket = std::any_of(run.events().begin(), run.events().end(), packetNeedsNoSocketLane);
    // Which calls share a row with their return does not depend on widths: lay out once to know each label.
    SequenceOptions probe = *this;
    probe.revealLimit = -1;
    probe.labelLines = 1;
    const SequenceLayout probed = SequenceLayout::compute(run, probe);
    std::vector<std::vector<std::pair<QString, QString>>> labels(static_cast<size_t>(actors));
    for (int i = 0; i <= probed.lastEvent(); ++i) {
        const int group = probed.item(i).group;
        const auto kind = run.event(i).kind();
        if (group < 0 || group >= actors || (kind != EventKind::Syscall && kind != EventKind::Return) ||
            (kind == EventKind::Return && probed.item(i).merged))
            continue;
        labels[static_cast<size_t>(group)].push_back(callLabelTexts(run, probed, i));
    }
    const double em = fm.horizontalAdvance(QLatin1Char('M'));
    const double pill = fm.horizontalAdvance(QStringLiteral("ESTABLISHED")) + 10; // the widest state pill
    // Tight: lifelines as far apart as half a pill; compact: as far as their short names need.
    const double tightPitch = std::max(lanePitch * 0.5, pill * 0.55);
    std::vector<double> compactLanes(static_cast<size_t>(lanes));
    for (int l = 0; l < lanes; ++l) {
        const auto &s = sockets[static_cast<size_t>(l)];
        compactLanes[static_cast<size_t>(l)] =
            std::ceil(std::max(2.5 * em, lfm.horizontalAdvance(SequenceLayout::laneName(s.sock, s.actor, true)) + 12));
    }
    const double narrowGutter = std::ceil(fm.horizontalAdvance(QStringLiteral("99")) + em);
    enum class Room
    {
        Natural,
        Tight,
        Compact
    };
    struct Try
    {
        bool times;
        int lines;
        Room room;
    };
    constexpr Try kTries[] = {{true, 1, Room::Natural},  {true, 1, Room::Tight},   {false, 1, Room::Tight},
                              {false, 2, Room::Tight},   {false, 3, Room::Tight},  {false, 2, Room::Compact},
                              {false, 3, Room::Compact}, {false, 4, Room::Compact}};
    SequenceOptions o = *this;
    for (const Try &t : kTries) {
        o = *this;
        o.labelLines = t.lines;
        o.showTimes = t.times;
        o.gutterWidth = t.times ? gutterWidth : narrowGutter;
        o.lanePitch = t.room == Room::Natural ? lanePitch : tightPitch;
        o.groupGap =
            t.room == Room::Natural ? groupGap : (t.room == Room::Tight ? std::max(groupGap * 0.3, 4 * em) : em);
        o.laneWidths.clear();
        if (t.room == Room::Compact) {
            o.laneWidths = compactLanes;
            // The last lifeline's pill must not run off the right edge.
            const double lastLane = lanes > 0 ? compactLanes.back() : 0;
            o.margin = std::max(margin / 2, std::ceil(pill / 2 - lastLane / 2) + 4);
        }
        o.callWidths.assign(static_cast<size_t>(actors), 0);
        for (int a = 0; a < actors; ++a) {
            double need = fm.horizontalAdvance(QStringLiteral("calls"));
            for (const auto &[call, result] : labels[static_cast<size_t>(a)])
                need = std::max(need, narrowestWidth(call, result, fm, t.lines));
            o.callWidths[static_cast<size_t>(a)] = std::ceil(need) + 16 + 2; // the painter's inset, plus rounding
        }
        const int groups = actors + (noSocket ? 1 : 0);
        double total = o.gutterWidth + std::max(0, groups - 1) * o.groupGap + o.margin + (noSocket ? o.lanePitch : 0);
        for (int l = 0; l < lanes; ++l)
            total += o.laneWidthOf(l);
        for (double w : o.callWidths)
            total += w;
        if (total <= width) {
            // Room to spare goes to the gaps between actors, where the segments' labels are written.
            if (groups > 1 && t.room != Room::Natural)
                o.groupGap = std::min(groupGap, o.groupGap + (width - total) / (groups - 1));
            return o;
        }
    }
    return o; // the tightest: as close as it gets
}

SequenceLayout SequenceLayout::compute(const RunModel &run, const SequenceOptions &options)
{
    SequenceLayout L;
    L.m_options = options;
    const SequenceOptions &o = L.m_options;
    const RevealRule reveal(run, o.revealLimit);
    const int limit = reveal.lastShown();
    L.layColumns(run);

    // Pass 1: which events get a row of their own, and on which lanes they are drawn.
    L.m_items.assign(static_cast<size_t>(limit + 1), SequenceItem{});
    for (int i = 0; i <= limit; ++i)
        L.placeEvent(run, i, limit);

    // Pass 2: the time scale, then every event's y.
    if (o.mode == TimeMode::Proportional) {
        std::vector<qint64> times;
        times.reserve(L.m_rowEvents.size());
        for (int e : L.m_rowEvents)
            times.push_back(run.event(e).tNs);
        double nsPerPx = o.nsPerPx;
        if (nsPerPx <= 0) {
            qint64 busy = times.empty() ? 0 : times.back() - times.front();
            for (size_t k = 1; k < times.size(); ++k)
                if (times[k] - times[k - 1] > o.gapNs)
                    busy -= times[k] - times[k - 1];
            const double px = std::max<double>(1.0, static_cast<double>(times.size()) * o.rowHeight * o.timeZoom);
            nsPerPx = std::max(1.0, static_cast<double>(busy) / px);
        }
        L.m_scale = TimeScale::proportionalFor(times, nsPerPx, o.gapNs, o.gapPx, o.rowHeight / 2);
    } else if (o.labelLines > 1) {
        // A row holding a wrapped call label is as high as its lines.
        const QFontMetricsF fm(o.labelFont);
        std::vector<double> heights(L.m_rowEvents.size(), o.rowHeight);
        for (size_t r = 0; r < heights.size(); ++r) {
            const int e = L.m_rowEvents[r];
            const SequenceItem &it = L.m_items[static_cast<size_t>(e)];
            if (it.group < 0 || L.m_groups[static_cast<size_t>(it.group)].actor.empty())
                continue;
            const SequenceGroup &g = L.m_groups[static_cast<size_t>(it.group)];
            const auto [call, result] = callLabelTexts(run, L, e);
            if (call.isEmpty())
                continue;
            const auto lines = wrapCallLabel(call, result, fm, g.callX1 - g.callX0 - 16, o.labelLines);
            heights[r] = std::max(o.rowHeight, static_cast<double>(lines.size()) * fm.height() + 6);
        }
        L.m_scale = TimeScale::uniformRows(heights);
    } else {
        L.m_scale = TimeScale::uniform(static_cast<int>(L.m_rowEvents.size()), o.rowHeight);
    }
    L.placeY(run, 0, limit);
    L.m_height = std::max(L.m_scale.height(), L.m_scale.top + o.rowHeight);

    // Calls that do not return on their own row: a span from the call to its return (or the end).
    L.addSpans(run, 0, limit);
    L.extendOpenSpans(run, limit, 0);

    // Lifelines start at their socket's first event.
    L.m_laneTop.assign(L.m_lanes.size(), -1);
    L.m_laneBottom.assign(L.m_lanes.size(), L.m_height);
    const auto &sockets = run.sockets();
    for (size_t l = 0; l < L.m_lanes.size(); ++l) {
        const int row = L.m_lanes[l].socketRow;
        int first = row >= 0 ? sockets[static_cast<size_t>(row)].firstEvent : -1;
        if (row < 0) { // the "(no socket)" lane exists only where such a packet is drawn
            for (int r : L.m_rowEvents)
                if (L.m_items[static_cast<size_t>(r)].lane == static_cast<int>(l) ||
                    L.m_items[static_cast<size_t>(r)].lane2 == static_cast<int>(l)) {
                    first = r;
                    break;
                }
        }
        const bool shown = row >= 0 ? reveal.showsSocket(row) : first >= 0 && reveal.shows(first);
        if (shown)
            L.m_laneTop[l] = L.laneTopAt(first);
    }
    return L;
}

bool SequenceLayout::append(const RunModel &run)
{
    const SequenceOptions &o = m_options;
    const int old = lastEvent(), last = run.eventCount() - 1;
    // What the columns and the scale were computed from must be what they would be computed from now.
    if (o.revealLimit >= 0 || o.labelLines > 1 || (o.mode == TimeMode::Proportional && o.nsPerPx <= 0) ||
        m_scale.proportional != (o.mode == TimeMode::Proportional) || last < old ||
        run.sockets().size() != m_laneOfSocketRow.size() || run.actors().size() != m_groupsOfActors)
        return false;
    for (int i = old + 1; i <= last; ++i)
        if (m_noSocketLane < 0 && packetNeedsNoSocketLane(run.event(i)))
            return false;
    if (last == old)
        return true;

    // Events after the last row were placed relative to it (step separators, real-time marks): placed again.
    const int oldRows = rowCount();
    const int yFrom = oldRows > 0 ? m_rowEvents.back() + 1 : 0;
    const size_t oldSpans = m_spans.size();
    m_items.resize(static_cast<size_t>(last + 1), SequenceItem{});
    for (int i = old + 1; i <= last; ++i)
        placeEvent(run, i, last);
    // A return that merged into the old last row: that call no longer spans rows.
    const bool mergedIntoOld = oldSpans > 0 && oldRows > 0 && m_spans.back().call == m_rowEvents[size_t(oldRows - 1)] &&
                               m_items[static_cast<size_t>(m_spans.back().call)].merged;
    if (mergedIntoOld) {
        m_spans.pop_back();
        m_spanReach.pop_back();
    }
    if (m_scale.proportional) {
        for (int r = oldRows; r < rowCount(); ++r)
            m_scale.appendTime(run.event(m_rowEvents[static_cast<size_t>(r)]).tNs);
    } else {
        m_scale.rows = rowCount();
    }
    placeY(run, yFrom, last);
    m_height = std::max(m_scale.height(), m_scale.top + o.rowHeight);
    const size_t firstChanged = std::min(m_spans.size(), oldSpans - (mergedIntoOld ? 1 : 0));
    addSpans(run, oldRows, last);
    extendOpenSpans(run, last, firstChanged);
    m_laneBottom.assign(m_lanes.size(), m_height);
    for (size_t l = 0; l < m_lanes.size(); ++l) // a socket's first event may have been placed again
        if (const int row = m_lanes[l].socketRow; row >= 0)
            m_laneTop[l] = laneTopAt(run.sockets()[static_cast<size_t>(row)].firstEvent);
    return true;
}

double SequenceLayout::laneTopAt(int firstEvent) const
{
    return std::max(0.0, m_items[static_cast<size_t>(firstEvent)].y - m_options.rowHeight / 2);
}

void SequenceLayout::layColumns(const RunModel &run)
{
    const SequenceOptions &o = m_options;
    // Columns come from the whole run, so revealing events one by one never moves a lane.
    const bool noSocket = std::any_of(run.events().begin(), run.events().end(), packetNeedsNoSocketLane);
    const auto &actors = run.actors();
    const auto &sockets = run.sockets();
    m_groupsOfActors = actors.size();
    m_laneOfSocketRow.assign(sockets.size(), -1);
    const int groupCount = static_cast<int>(actors.size()) + (noSocket ? 1 : 0);
    double x = o.gutterWidth;
    for (size_t a = 0; a < actors.size(); ++a) {
        SequenceGroup g;
        g.actor = actors[a];
        g.side = (groupCount == 2 && a == 1) ? CallSide::Right : CallSide::Left;
        g.firstLane = static_cast<int>(m_lanes.size());
        g.x0 = x;
        const double callWidth = o.callWidthOf(static_cast<int>(a));
        double laneX = g.side == CallSide::Left ? x + callWidth : x;
        for (size_t s = 0; s < sockets.size(); ++s) {
            if (sockets[s].actor != g.actor)
                continue;
            m_laneOfSocketRow[s] = static_cast<int>(m_lanes.size());
            const double laneWidth = o.laneWidthOf(static_cast<int>(s));
            m_lanes.push_back({static_cast<int>(s), static_cast<int>(a), laneX + laneWidth / 2});
            laneX += laneWidth;
        }
        g.laneCount = static_cast<int>(m_lanes.size()) - g.firstLane;
        if (g.side == CallSide::Left) {
            g.callX0 = x;
            g.callX1 = x + callWidth;
            g.x1 = laneX;
        } else {
            g.callX0 = laneX;
            g.callX1 = laneX + callWidth;
            g.x1 = g.callX1;
        }
        m_groups.push_back(g);
        x = g.x1 + o.groupGap;
    }
    if (noSocket) {
        SequenceGroup g;
        g.firstLane = static_cast<int>(m_lanes.size());
        g.laneCount = 1;
        g.x0 = g.callX0 = g.callX1 = x;
        g.x1 = x + o.lanePitch;
        m_noSocketLane = g.firstLane;
        m_lanes.push_back({-1, static_cast<int>(m_groups.size()), x + o.lanePitch / 2});
        m_groups.push_back(g);
        x = g.x1 + o.groupGap;
    }
    const double lastX1 = m_groups.empty() ? o.gutterWidth : m_groups.back().x1;
    m_width = lastX1 + o.margin;
}

void SequenceLayout::placeEvent(const RunModel &run, int i, int limit)
{
    auto laneOf = [&](std::string_view sock) -> qint16 {
        if (sock.empty())
            return static_cast<qint16>(m_noSocketLane);
        const int row = run.socketIndex(sock);
        return static_cast<qint16>(row < 0 ? -1 : m_laneOfSocketRow[static_cast<size_t>(row)]);
    };
    auto groupOf = [&](std::string_view actor) { return static_cast<qint16>(run.actorIndex(actor)); };
    const core::Event &e = run.event(i);
    SequenceItem &it = m_items[static_cast<size_t>(i)];
    bool ownRow = false;
    switch (e.kind()) {
    case EventKind::Syscall: {
        const auto *s = e.as<core::SyscallInfo>();
        it.lane = s->sock.empty() ? qint16(-1) : laneOf(s->sock);
        it.group = groupOf(s->actor);
        ownRow = true;
        break;
    }
    case EventKind::Return: {
        const int call = run.syscallOf(i);
        if (call >= 0) {
            it.lane = m_items[static_cast<size_t>(call)].lane;
            it.group = m_items[static_cast<size_t>(call)].group;
        }
        // A call that returns before anything else is drawn is one row: "close(5) = 0".
        if (call >= 0 && !m_rowEvents.empty() && m_rowEvents.back() == call) {
            it.merged = true;
            m_items[static_cast<size_t>(call)].merged = true;
        } else {
            ownRow = true;
        }
        break;
    }
    case EventKind::Packet: {
        const auto *p = e.as<core::PacketInfo>();
        it.lane = laneOf(p->from);
        it.lane2 = laneOf(p->to);
        ownRow = true;
        break;
    }
    case EventKind::State:
        it.lane = laneOf(e.as<core::StateInfo>()->sock);
        ownRow = true;
        break;
    case EventKind::Signal: {
        const auto *s = e.as<core::SignalInfo>();
        it.group = groupOf(s->actor);
        const int call = run.syscallById(s->during);
        if (call >= 0 && call <= limit)
            it.lane = m_items[static_cast<size_t>(call)].lane;
        ownRow = true;
        break;
    }
    case EventKind::Socket:
        it.lane = laneOf(e.as<core::SocketInfo>()->sock);
        break;
    case EventKind::Queue:
        it.lane = laneOf(e.as<core::QueueInfo>()->sock);
        break;
    case EventKind::Timer:
        it.lane = laneOf(e.as<core::TimerInfo>()->sock);
        ownRow = timerGetsRow(*e.as<core::TimerInfo>());
        break;
    default:
        break;
    }
    if (ownRow) {
        it.row = static_cast<int>(m_rowEvents.size());
        m_rowEvents.push_back(i);
    }
}

void SequenceLayout::placeY(const RunModel &run, int from, int limit)
{
    const TimeScale &sc = m_scale;
    const bool prop = sc.proportional;
    const double rh = m_options.rowHeight;
    // The rows before `from` as pass 2 left them: the next row and the y of the last one.
    int nextRow = 0;
    float lastRowY = static_cast<float>(sc.top + rh / 2);
    if (from > 0 && !m_rowEvents.empty()) {
        const auto before = std::lower_bound(m_rowEvents.begin(), m_rowEvents.end(), from);
        if (before != m_rowEvents.begin()) {
            const SequenceItem &r = m_items[static_cast<size_t>(*std::prev(before))];
            nextRow = r.row + 1;
            lastRowY = r.y;
        }
    }
    for (int i = from; i <= limit; ++i) {
        SequenceItem &it = m_items[static_cast<size_t>(i)];
        const core::Event &e = run.event(i);
        if (it.row >= 0) {
            it.y = static_cast<float>(prop ? sc.yForTime(e.tNs) : sc.yForRow(it.row));
            lastRowY = it.y;
            nextRow = it.row + 1;
        } else if (it.merged) {
            it.y = m_items[static_cast<size_t>(run.syscallOf(i))].y;
        } else if (e.kind() == EventKind::Step) {
            // The separator goes above the step's first row.
            it.y = static_cast<float>(prop ? sc.yForTime(e.tNs) - rh / 2 : sc.rowTop(nextRow));
        } else {
            it.y = prop ? static_cast<float>(sc.yForTime(e.tNs)) : lastRowY;
        }
    }
}

void SequenceLayout::addSpans(const RunModel &run, int firstRow, int limit)
{
    for (size_t k = static_cast<size_t>(firstRow); k < m_rowEvents.size(); ++k) {
        const int r = m_rowEvents[k];
        const SequenceItem &it = m_items[static_cast<size_t>(r)];
        if (run.event(r).kind() != EventKind::Syscall || it.merged)
            continue;
        int ret = run.returnOf(r);
        if (ret > limit)
            ret = -1;
        const float y1 = ret >= 0 ? m_items[static_cast<size_t>(ret)].y : static_cast<float>(m_height);
        m_spans.push_back({r, ret, it.group, it.lane, it.y, y1});
        m_spanReach.push_back(0);
    }
}

void SequenceLayout::extendOpenSpans(const RunModel &run, int limit, size_t firstChanged)
{
    // Calls still blocked reach the bottom, or their return if it came since; the running maximum of the spans'
    // ends is kept from the first one that changed.
    for (int k : m_openSpans) {
        if (static_cast<size_t>(k) >= m_spans.size())
            continue; // its call merged with its return (append)
        SequenceSpan &s = m_spans[static_cast<size_t>(k)];
        firstChanged = std::min(firstChanged, static_cast<size_t>(k));
        const int ret = run.returnOf(s.call);
        if (ret >= 0 && ret <= limit) {
            s.ret = ret;
            s.y1 = m_items[static_cast<size_t>(ret)].y;
        } else {
            s.y1 = static_cast<float>(m_height);
        }
    }
    m_openSpans.clear();
    for (size_t k = firstChanged; k < m_spans.size(); ++k) {
        const SequenceSpan &s = m_spans[k];
        if (s.ret < 0)
            m_openSpans.push_back(static_cast<int>(k));
        m_spanReach[k] = std::max(s.y1, k > 0 ? m_spanReach[k - 1] : s.y1);
    }
}

int SequenceLayout::firstSpanReaching(double y) const
{
    auto it = std::lower_bound(m_spanReach.begin(), m_spanReach.end(), y, [](float r, double v) { return r < v; });
    return static_cast<int>(it - m_spanReach.begin());
}

int SequenceLayout::laneOfSocketRow(int socketRow) const
{
    if (socketRow < 0 || socketRow >= static_cast<int>(m_laneOfSocketRow.size()))
        return -1;
    return m_laneOfSocketRow[static_cast<size_t>(socketRow)];
}

std::pair<int, int> SequenceLayout::rowRange(double y0, double y1) const
{
    auto yOf = [this](int e) { return static_cast<double>(m_items[static_cast<size_t>(e)].y); };
    auto first =
        std::lower_bound(m_rowEvents.begin(), m_rowEvents.end(), y0, [&](int e, double y) { return yOf(e) < y; });
    auto last = std::upper_bound(first, m_rowEvents.end(), y1, [&](double y, int e) { return y < yOf(e); });
    return {static_cast<int>(first - m_rowEvents.begin()), static_cast<int>(last - m_rowEvents.begin())};
}

int SequenceLayout::eventAt(QPointF pos) const
{
    const double reach = m_scale.proportional ? std::max(6.0, m_options.rowHeight / 3) : m_options.rowHeight / 2;
    auto [first, last] = rowRange(pos.y() - reach, pos.y() + reach);
    int best = -1;
    double bestScore = 1e300;
    for (int r = first; r < last; ++r) {
        const int e = m_rowEvents[static_cast<size_t>(r)];
        const SequenceItem &it = m_items[static_cast<size_t>(e)];
        double dx = 0;
        if (it.lane >= 0 && it.lane2 >= 0) {
            const double a = m_lanes[static_cast<size_t>(it.lane)].x, b = m_lanes[static_cast<size_t>(it.lane2)].x;
            dx = std::max({0.0, std::min(a, b) - pos.x(), pos.x() - std::max(a, b)});
        } else if (it.group >= 0) {
            const SequenceGroup &g = m_groups[static_cast<size_t>(it.group)];
            dx = std::max({0.0, g.x0 - pos.x(), pos.x() - g.x1});
        } else if (it.lane >= 0) {
            dx = std::abs(m_lanes[static_cast<size_t>(it.lane)].x - pos.x());
        }
        const double score = std::abs(it.y - pos.y()) + dx * 0.05;
        if (score < bestScore) {
            bestScore = score;
            best = e;
        }
    }
    return best;
}

int SequenceLayout::laneAt(double x) const
{
    int best = -1;
    double bestD = m_options.lanePitch / 2;
    for (size_t l = 0; l < m_lanes.size(); ++l) {
        const double d = std::abs(m_lanes[l].x - x);
        if (d < bestD) {
            bestD = d;
            best = static_cast<int>(l);
        }
    }
    return best;
}

QLineF SequenceLayout::arrow(int eventIndex) const
{
    const SequenceItem &it = item(eventIndex);
    if (it.lane < 0 || it.lane2 < 0)
        return {};
    return {m_lanes[static_cast<size_t>(it.lane)].x, it.y, m_lanes[static_cast<size_t>(it.lane2)].x, it.y};
}

double SequenceLayout::callAnchorX(int group) const
{
    const SequenceGroup &g = m_groups[static_cast<size_t>(group)];
    return g.side == CallSide::Left ? g.callX1 : g.callX0;
}

} // namespace sockscope::ui
