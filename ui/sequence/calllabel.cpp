// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/sequence/calllabel.h"

#include "ui/model/runmodel.h"
#include "ui/sequence/sequencelabels.h"
#include "ui/sequence/sequencelayout.h"

#include <QFontMetricsF>

#include <algorithm>

namespace sockscope::ui {

namespace {

double lineWidth(const LabelLine &l, const QFontMetricsF &fm)
{
    if (l.text.isEmpty())
        return fm.horizontalAdvance(l.result);
    return fm.horizontalAdvance(l.text) + (l.result.isEmpty() ? 0 : fm.horizontalAdvance(QLatin1Char(' ') + l.result));
}

// "connect(3, 127.0.0.1:5000)" -> "connect(3," "127.0.0.1:5000)": a line may end after any comma.
QStringList callPieces(const QString &call)
{
    QStringList pieces;
    qsizetype start = 0;
    for (qsizetype i = call.indexOf(QStringLiteral(", ")); i >= 0; i = call.indexOf(QStringLiteral(", "), start)) {
        pieces << call.mid(start, i + 1 - start);
        start = i + 2;
    }
    pieces << call.mid(start);
    return pieces;
}

// Greedy: as many pieces on a line as fit, the result after the last piece if it fits there too.
std::vector<LabelLine> pack(const QString &call, const QString &result, const QFontMetricsF &fm, double room)
{
    std::vector<LabelLine> lines;
    for (const QString &piece : callPieces(call)) {
        if (!lines.empty() && fm.horizontalAdvance(lines.back().text + QLatin1Char(' ') + piece) <= room)
            lines.back().text += QLatin1Char(' ') + piece;
        else
            lines.push_back({piece, {}});
    }
    if (!result.isEmpty()) {
        LabelLine joined = lines.back();
        joined.result = result;
        if (lineWidth(joined, fm) <= room)
            lines.back() = joined;
        else
            lines.push_back({{}, result});
    }
    return lines;
}

bool fits(const std::vector<LabelLine> &lines, const QFontMetricsF &fm, double room, int maxLines)
{
    return static_cast<int>(lines.size()) <= maxLines &&
           std::all_of(lines.begin(), lines.end(), [&](const LabelLine &l) { return lineWidth(l, fm) <= room; });
}

} // namespace

std::vector<LabelLine> wrapCallLabel(const QString &call, const QString &result, const QFontMetricsF &fm, double room,
                                     int maxLines, bool *elided)
{
    const std::vector<LabelLine> one{{call, result}};
    if (maxLines <= 1 || lineWidth(one.front(), fm) <= room) {
        if (elided)
            *elided = lineWidth(one.front(), fm) > room;
        return one; // the painter elides the arguments of a line that is too long
    }
    std::vector<LabelLine> lines = pack(call, result, fm, room);
    const bool ok = fits(lines, fm, room, maxLines);
    if (elided)
        *elided = !ok;
    if (!ok && static_cast<int>(lines.size()) > maxLines) {
        // Too narrow even so: the first lines as they are, the rest on the last line (elided when drawn).
        LabelLine rest;
        for (size_t i = static_cast<size_t>(maxLines - 1); i < lines.size(); ++i) {
            if (!lines[i].text.isEmpty())
                rest.text += (rest.text.isEmpty() ? QString() : QStringLiteral(" ")) + lines[i].text;
            rest.result = lines[i].result.isEmpty() ? rest.result : lines[i].result;
        }
        lines.resize(static_cast<size_t>(maxLines - 1));
        lines.push_back(rest);
    }
    return lines;
}

double narrowestWidth(const QString &call, const QString &result, const QFontMetricsF &fm, int maxLines)
{
    double hi = lineWidth({call, result}, fm);
    if (maxLines <= 1)
        return hi;
    double lo = 0;
    for (const QString &piece : callPieces(call))
        lo = std::max(lo, fm.horizontalAdvance(piece));
    lo = std::max(lo, fm.horizontalAdvance(result));
    if (fits(pack(call, result, fm, lo), fm, lo, maxLines))
        return lo;
    for (int i = 0; i < 24 && hi - lo > 0.5; ++i) {
        const double mid = (lo + hi) / 2;
        (fits(pack(call, result, fm, mid), fm, mid, maxLines) ? hi : lo) = mid;
    }
    return std::ceil(hi);
}

std::pair<QString, QString> callLabelTexts(const RunModel &run, const SequenceLayout &layout, int e)
{
    const core::Event &ev = run.event(e);
    if (const auto *call = ev.as<core::SyscallInfo>()) {
        const SequenceItem &it = layout.item(e);
        const int ret = it.merged ? run.returnOf(e) : -1;
        return {callLabel(*call), ret >= 0 ? resultLabel(*run.event(ret).as<core::ReturnInfo>()) : QStringLiteral("…")};
    }
    if (const auto *ret = ev.as<core::ReturnInfo>()) {
        const int call = run.syscallOf(e);
        const QString name = call >= 0 ? callLabel(*run.event(call).as<core::SyscallInfo>()) : QStringLiteral("?");
        return {QStringLiteral("↳ ") + name, resultLabel(*ret)};
    }
    return {};
}

CallLabel callLabelAt(const RunModel &run, const SequenceLayout &layout, int e, const QFontMetricsF &fm)
{
    CallLabel label;
    const SequenceItem &it = layout.item(e);
    const core::EventKind kind = run.event(e).kind();
    if (it.group < 0 || (kind != core::EventKind::Syscall && kind != core::EventKind::Return) ||
        (kind == core::EventKind::Return && it.merged))
        return label;
    const SequenceGroup &g = layout.groups()[static_cast<size_t>(it.group)];
    label.alignRight = g.side == CallSide::Left;
    label.x = label.alignRight ? g.callX1 - 12 : g.callX0 + 12;
    const double room = g.callX1 - g.callX0 - 16;
    const auto [call, result] = callLabelTexts(run, layout, e);
    label.lines = wrapCallLabel(call, result, fm, room, layout.options().labelLines, &label.elided);
    label.lineHeight = fm.height();
    double width = 0;
    for (const LabelLine &l : label.lines)
        width = std::min(std::max(width, lineWidth(l, fm)), label.elided ? room : 1e9);
    const double height = label.lineHeight * static_cast<double>(label.lines.size());
    label.rect = QRectF(label.alignRight ? label.x - width : label.x, it.y - height / 2, width, height);
    return label;
}

} // namespace sockscope::ui
