// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Brief: paints the sequence diagram on any QPainter (screen, PNG, SVG, PDF): the rows of a given
// rectangle, the sticky header, the legend, or the whole run scaled into a target rectangle.
// Culls to the requested rows, skips marks that land on the same pixel, takes every colour from Theme.
// Thread-safety: const after construction; it only reads the model and the layout given to it.

#include "ui/sequence/sequencelayout.h"
#include "ui/style/theme.h"

#include <QRectF>
#include <QSizeF>
#include <QString>

class QPainter;

namespace sockscope::ui {

class RunModel;

struct SequenceHighlight
{
    int cursor = -1;    // event index
    int hover = -1;     // event index
    int hoverLane = -1; // lane index
};

class SequencePainter
{
public:
    SequencePainter(const RunModel &run, const SequenceLayout &layout, const Theme &theme);

    // A segment arrow's shaft pen carries this miter limit (invisible on a straight line): in an SVG export it
    // is the one attribute that tells arrows apart, so tools and tests can count segments.
    static constexpr double kArrowMiterLimit = 3.25;

    // Body rows, in layout coordinates: `clip` is the part of the diagram to paint (y in layout pixels).
    void paintBody(QPainter &p, const QRectF &clip, const SequenceHighlight &h = {}) const;
    // Actor groups and socket names, drawn at y 0..headerHeight(), x in layout coordinates.
    double headerHeight() const;
    void paintHeader(QPainter &p, const QRectF &clip, int hoverLane = -1) const;
    // Whether the header names lane `lane`: always, or with reveal on once its socket exists.
    bool laneShown(int lane) const;
    // The legend as a block `width` wide (it wraps into as many columns as fit).
    QSizeF legendSize(double width) const;
    // The red banner drawn over the diagram when a kernel snapshot contradicted the derived states: the diagram
    // is wrong from there on, and the viewer must not miss it. 0 when the run has no contradiction.
    double contradictionBannerHeight(double width) const;
    void paintContradictionBanner(QPainter &p, const QRectF &rect) const;
    void paintLegend(QPainter &p, const QRectF &rect) const;

    struct WholeOptions
    {
        bool header = true;
        bool legend = true;
        QString title; // drawn above the header when not empty
    };
    // The whole run's natural size in pixels at scale 1 (what an exporter sizes its device from).
    QSizeF wholeSize(const WholeOptions &options) const;
    // The whole run scaled (aspect kept, centred) into target; background filled.
    void paintAll(QPainter &p, const QRectF &target, const WholeOptions &options) const;

private:
    struct Ctx;
    void paintBands(QPainter &p, const QRectF &clip) const;
    void paintSteps(QPainter &p, const QRectF &clip, int firstRow, int lastRow) const;
    void paintLifelines(QPainter &p, const QRectF &clip) const;
    void paintGaps(QPainter &p, const QRectF &clip) const;
    void paintSpans(QPainter &p, const QRectF &clip) const;
    void paintRows(QPainter &p, const QRectF &clip, int firstRow, int lastRow, const SequenceHighlight &h) const;
    void paintCall(QPainter &p, Ctx &c, int e) const;
    void paintReturn(QPainter &p, Ctx &c, int e) const;
    void paintPacket(QPainter &p, Ctx &c, int e) const;
    void paintDroppedPacket(QPainter &p, Ctx &c, int e, const QLineF &line) const;
    void paintSegmentLabel(QPainter &p, Ctx &c, int e, const QLineF &line) const;
    void paintState(QPainter &p, Ctx &c, int e) const;
    void paintSignal(QPainter &p, Ctx &c, int e) const;
    double segmentLabelX(double a, double b) const;
    double titleHeight() const;

    const RunModel &m_run;
    const SequenceLayout &m_layout;
    const Theme &m_theme;
};

} // namespace sockscope::ui
