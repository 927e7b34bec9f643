// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Brief: draws a whole run as an image: the sequence diagram, the state timelines, or a figure with both plus
// title, scenario summary and legend; as PNG, SVG (vector, text as text) or PDF (vector, paged). The painting
// is the window's own: SequencePainter for the diagram, a TimelineView's QCustomPlot (toPainter) for the
// timelines. Needs a QApplication (the offscreen platform will do).
// Thread-safety: GUI thread only; an Exporter reads its RunModel and must not outlive it.

#include "core/io/exportformat.h"
#include "ui/sequence/sequencelayout.h"
#include "ui/style/theme.h"

#include <QByteArray>
#include <QImage>
#include <QSizeF>
#include <QString>

#include <memory>
#include <optional>
#include <vector>

class QCPPainter;

namespace sockscope::ui {

class RunModel;
class SequencePainter;
class TimelineView;
class ViewState;

enum class ExportView
{
    Sequence,
    Timeline,
    Figure
};
QString viewName(ExportView view); // "sequence", "timeline", "figure"
std::optional<ExportView> viewFromName(const QString &name);

struct ImageOptions
{
    ExportView view = ExportView::Figure;
    Theme theme = Theme::print();
    int width = 0;      // PNG: width in pixels (height follows); 0 = natural width times scale
    double scale = 1.0; // PNG: factor on the natural size when width is 0
};

class Exporter
{
public:
    static constexpr int kMaxPngSide = 32000; // QImage and viewers give up beyond this

    Exporter(RunModel &run, const ImageOptions &options);
    ~Exporter();

    // The whole image in logical pixels at scale 1 (SVG's size, PDF's before fitting pages).
    QSizeF naturalSize() const;
    // The PNG's size in pixels: from width or scale.
    QSize pngSize() const;

    QImage image() const; // the PNG's pixels (transparent never: the theme's background)
    QByteArray svg() const;
    QByteArray pdf(int *pageCount = nullptr) const; // A4 landscape pages; the diagram's rows split between pages

    // Writes an image format atomically (nothing is left behind on failure). False with *error.
    bool write(const QString &path, core::ExportFormat format, QString *error) const;

    // Paints the whole image at natural size from (0, 0) (the painter may be scaled).
    void paint(QCPPainter &p) const;

private:
    enum class BlockKind
    {
        Title,
        Header,
        Body,
        Legend,
        Timeline
    };
    struct Block
    {
        BlockKind kind;
        double height = 0;
    };
    double naturalWidth() const;
    std::vector<Block> blocks() const;
    double titleHeight() const;
    double timelineHeight() const;
    void paintBlock(QCPPainter &p, const Block &b, double bodyY0, double bodyY1) const;
    void paintTitle(QCPPainter &p) const;
    void paintTimeline(QCPPainter &p) const;
    QString metaLine() const;

    RunModel &m_run;
    ImageOptions m_options;
    SequenceLayout m_layout;
    std::unique_ptr<SequencePainter> m_painter;
    std::unique_ptr<ViewState> m_viewState;   // the print theme for the timeline, never the window's
    std::unique_ptr<TimelineView> m_timeline; // never shown; only its plot is painted
};

} // namespace sockscope::ui
