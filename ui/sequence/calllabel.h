// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Brief: where a call's label goes: "connect(3, 127.0.0.1:5000) = 0" on its row, or "↳ accept(3) = 5" on a
// return's own row, broken into lines when its column is too narrow for one (class mode at a projector):
// first the result onto a line of its own, then the call after its commas. The painter draws exactly these
// lines and the tests check these rects, so what is tested is what is on screen.
// Thread-safety: pure functions.

#include <QRectF>
#include <QString>

#include <vector>

class QFontMetricsF;

namespace sockscope::ui {

class RunModel;
class SequenceLayout;

struct LabelLine
{
    QString text;   // call part (or the whole line)
    QString result; // result part, drawn in the result's colour after text; may be empty
};

// The lines of "call = result" within `room` px, at most maxLines (the last one elided if even that is too
// narrow: *elided says so).
std::vector<LabelLine> wrapCallLabel(const QString &call, const QString &result, const QFontMetricsF &fm, double room,
                                     int maxLines, bool *elided = nullptr);
// The widest line of the call label wrapped to at most maxLines lines, at its narrowest (the room it needs).
double narrowestWidth(const QString &call, const QString &result, const QFontMetricsF &fm, int maxLines);

struct CallLabel
{
    std::vector<LabelLine> lines;
    bool alignRight = false; // lines end at x (call column left of its lifelines) or start at x
    double x = 0;
    double lineHeight = 0;
    QRectF rect; // every line's box, in layout coordinates
    bool elided = false;
};

// The label of a syscall (its merged return included) or of a return on its own row; empty lines for other
// events or events without an actor's column.
CallLabel callLabelAt(const RunModel &run, const SequenceLayout &layout, int eventIndex, const QFontMetricsF &fm);
// The texts of that label before wrapping: the call (with "↳ " on a return's row) and the result.
std::pair<QString, QString> callLabelTexts(const RunModel &run, const SequenceLayout &layout, int eventIndex);

} // namespace sockscope::ui
