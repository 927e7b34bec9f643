// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/export/exporter.h"

#include "core/io/atomicfile.h"
#include "core/stream/eventtext.h"
#include "ui/export/pngencoder.h"
#include "ui/model/runmodel.h"
#include "ui/model/viewstate.h"
#include "ui/sequence/sequencepainter.h"
#include "ui/timeline/timelineview.h"

#include <QBuffer>
#include <QFontMetricsF>
#include <QGuiApplication>
#include <QPdfWriter>
#include <QScreen>
#include <QSvgGenerator>

#include <qcustomplot.h>

#include <algorithm>
#include <cmath>

namespace sockscope::ui {

namespace {

constexpr double kPad = 16;

// The resolution fonts are measured at (QFontMetricsF without a device): every device gets the same, so text
// drawn on it has exactly the width the layout measured.
int layoutDpi()
{
    const QScreen *screen = QGuiApplication::primaryScreen();
    return screen ? qRound(screen->logicalDotsPerInchY()) : 96;
}

QFont scaledFont(QFont f, double factor)
{
    f.setPointSizeF(f.pointSizeF() * factor);
    return f;
}

} // namespace

QString viewName(ExportView view)
{
    switch (view) {
    case ExportView::Sequence:
        return QStringLiteral("sequence");
    case ExportView::Timeline:
        return QStringLiteral("timeline");
    case ExportView::Figure:
        break;
    }
    return QStringLiteral("figure");
}

std::optional<ExportView> viewFromName(const QString &name)
{
    for (ExportView v : {ExportView::Sequence, ExportView::Timeline, ExportView::Figure})
        if (viewName(v) == name)
            return v;
    return std::nullopt;
}

Exporter::Exporter(RunModel &run, const ImageOptions &options) : m_run(run), m_options(options)
{
    SequenceOptions o;
    o.mode = TimeMode::Uniform; // one row per event: every label readable, whatever the window shows
    o = o.scaledFor(m_options.theme.font);
    m_layout = SequenceLayout::compute(m_run, o);
    m_painter = std::make_unique<SequencePainter>(m_run, m_layout, m_options.theme);
    if (m_options.view != ExportView::Sequence) {
        m_viewState = std::make_unique<ViewState>();
        m_viewState->setTheme(m_options.theme);
        m_timeline = std::make_unique<TimelineView>(&m_run, m_viewState.get());
    }
}

Exporter::~Exporter() = default;

std::vector<Exporter::Block> Exporter::blocks() const
{
    std::vector<Block> out;
    const double w = naturalWidth();
    const double legend = m_painter->legendSize(w).height() + kPad;
    switch (m_options.view) {
    case ExportView::Sequence:
        out = {{BlockKind::Header, m_painter->headerHeight()},
               {BlockKind::Body, m_layout.height()},
               {BlockKind::Legend, legend}};
        break;
    case ExportView::Timeline:
        out = {{BlockKind::Timeline, timelineHeight()}};
        break;
    case ExportView::Figure:
        out = {{BlockKind::Title, titleHeight()},
               {BlockKind::Header, m_painter->headerHeight()},
               {BlockKind::Body, m_layout.height()},
               {BlockKind::Timeline, timelineHeight()},
               {BlockKind::Legend, legend}};
        break;
    }
    return out;
}

double Exporter::naturalWidth() const
{
    return std::max(600.0, m_layout.width());
}

QSizeF Exporter::naturalSize() const
{
    double h = 0;
    for (const Block &b : blocks())
        h += b.height;
    return {naturalWidth(), h};
}

QSize Exporter::pngSize() const
{
    const QSizeF n = naturalSize();
    const double s = m_options.width > 0 ? m_options.width / n.width() : m_options.scale;
    return {std::max(1, qRound(n.width() * s)), std::max(1, qRound(n.height() * s))};
}

QString Exporter::metaLine() const
{
    int segments = 0, failed = 0;
    for (const core::Event &e : m_run.events()) {
        if (e.kind() == core::EventKind::Packet)
            ++segments;
        else if (const auto *c = e.as<core::CheckInfo>(); c && !c->ok)
            ++failed;
    }
    QStringList parts;
    parts << QStringLiteral("scenario %1").arg(m_run.scenarioName());
    if (m_run.hasRunInfo()) {
        const core::RunInfo &info = m_run.runInfo();
        parts << QStringLiteral("Linux %1").arg(QString::fromStdString(info.kernel))
              << (info.isolation == "netns" ? QStringLiteral("private network namespace")
                                            : QStringLiteral("host loopback"));
        if (!info.sysctl.empty())
            parts << QStringLiteral("sysctl %1").arg(QString::fromStdString(core::sysctlText(info)));
    }
    parts << QStringLiteral("%1 events, %2 segments").arg(m_run.eventCount()).arg(segments);
    if (const core::EndInfo *end = m_run.endInfo())
        parts << (end->ok ? QStringLiteral("every expectation met")
                          : QStringLiteral("%1 expectation(s) NOT met").arg(failed));
    return parts.join(QStringLiteral("  ·  "));
}

double Exporter::titleHeight() const
{
    const double w = naturalWidth() - 2 * kPad;
    const QFontMetricsF title(scaledFont(m_options.theme.titleFont, 1.4)), text(m_options.theme.font);
    double h = kPad + title.height() + 6;
    if (!m_run.summary().isEmpty())
        h += text.boundingRect(QRectF(0, 0, w, 1e6), Qt::TextWordWrap, m_run.summary()).height() + 6;
    return h + text.height() + kPad;
}

void Exporter::paintTitle(QCPPainter &p) const
{
    const Theme &t = m_options.theme;
    const double w = naturalWidth() - 2 * kPad;
    const QFont titleFont = scaledFont(t.titleFont, 1.4);
    const QFontMetricsF title(titleFont), text(t.font);
    double y = kPad;
    p.setFont(titleFont);
    p.setPen(t.text);
    const QString name = m_run.title().isEmpty() ? m_run.scenarioName() : m_run.title();
    p.drawText(QPointF(kPad, y + title.ascent()), name);
    y += title.height() + 6;
    p.setFont(t.font);
    if (!m_run.summary().isEmpty()) {
        const QRectF r = text.boundingRect(QRectF(kPad, y, w, 1e6), Qt::TextWordWrap, m_run.summary());
        p.drawText(QRectF(kPad, y, w, r.height()), Qt::TextWordWrap, m_run.summary());
        y += r.height() + 6;
    }
    p.setPen(t.mutedText);
    p.drawText(QPointF(kPad, y + text.ascent()), metaLine());
}

double Exporter::timelineHeight() const
{
    const double rows = std::max<double>(1, static_cast<double>(m_run.sockets().size()));
    return kPad + QFontMetricsF(m_options.theme.titleFont).height() + 8 + 64 + 30 * rows;
}

void Exporter::paintTimeline(QCPPainter &p) const
{
    const Theme &t = m_options.theme;
    const QFontMetricsF fm(t.titleFont);
    p.setFont(t.titleFont);
    p.setPen(t.text);
    const QString caption = m_options.view == ExportView::Figure
                                ? QStringLiteral("State timelines")
                                : QStringLiteral("%1 — state timelines").arg(m_run.scenarioName());
    p.drawText(QPointF(kPad, kPad + 4 + fm.ascent()), caption);
    p.save();
    const double top = kPad + fm.height() + 8;
    p.translate(0, top);
    // The window's own plot and plottable, painted at the export's size (never shown).
    m_timeline->plot()->toPainter(&p, qRound(naturalWidth()), qRound(timelineHeight() - top));
    p.restore();
}

void Exporter::paintBlock(QCPPainter &p, const Block &b, double bodyY0, double bodyY1) const
{
    const double w = naturalWidth();
    switch (b.kind) {
    case BlockKind::Title:
        paintTitle(p);
        break;
    case BlockKind::Header:
        m_painter->paintHeader(p, QRectF(0, 0, w, b.height));
        break;
    case BlockKind::Body:
        p.save();
        if (bodyY0 > 0 || bodyY1 < b.height)
            p.setClipRect(QRectF(0, 0, w, bodyY1 - bodyY0));
        p.translate(0, -bodyY0);
        m_painter->paintBody(p, QRectF(0, bodyY0, w, bodyY1 - bodyY0));
        p.restore();
        break;
    case BlockKind::Legend:
        m_painter->paintLegend(p, QRectF(QPointF(0, kPad / 2), m_painter->legendSize(w)));
        break;
    case BlockKind::Timeline:
        paintTimeline(p);
        break;
    }
}

void Exporter::paint(QCPPainter &p) const
{
    const QSizeF size = naturalSize();
    p.fillRect(QRectF(QPointF(0, 0), size), m_options.theme.background);
    double y = 0;
    for (const Block &b : blocks()) {
        p.save();
        p.translate(0, y);
        paintBlock(p, b, 0, b.height);
        p.restore();
        y += b.height;
    }
}

QImage Exporter::image() const
{
    const QSize px = pngSize();
    QImage img(px, QImage::Format_RGB32);
    img.fill(m_options.theme.background);
    QCPPainter p(&img);
    // Antialiasing as in the window: the painters switch it on where it matters (arrows, pills). On for the
    // whole run, the long dotted step rules alone would cost hundreds of milliseconds.
    p.setRenderHint(QPainter::TextAntialiasing);
    // One factor for both axes; none at all at (about) the natural size: text drawn through a transform misses
    // the glyph cache and costs twice the whole painting.
    const double scale = px.width() / naturalSize().width();
    if (std::abs(scale - 1) > 1e-3)
        p.scale(scale, scale);
    paint(p);
    p.end();
    return img;
}

QByteArray Exporter::svg() const
{
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    const QSizeF n = naturalSize();
    QSvgGenerator gen;
    gen.setOutputDevice(&buffer);
    gen.setResolution(layoutDpi());
    gen.setSize(QSize(qCeil(n.width()), qCeil(n.height())));
    gen.setViewBox(QRectF(QPointF(0, 0), n));
    gen.setTitle(m_run.title().isEmpty() ? m_run.scenarioName() : m_run.title());
    gen.setDescription(QStringLiteral("sockscope %1 of %2").arg(viewName(m_options.view), m_run.scenarioName()));
    QCPPainter p(&gen);
    p.setMode(QCPPainter::pmVectorized);
    paint(p);
    p.end();
    return bytes;
}

QByteArray Exporter::pdf(int *pageCount) const
{
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    QPdfWriter writer(&buffer);
    writer.setResolution(layoutDpi());
    writer.setPageSize(QPageSize(QPageSize::A4));
    writer.setPageOrientation(QPageLayout::Landscape);
    writer.setPageMargins(QMarginsF(10, 10, 10, 10), QPageLayout::Millimeter);
    writer.setTitle(m_run.title().isEmpty() ? m_run.scenarioName() : m_run.title());
    writer.setCreator(QStringLiteral("sockscope"));
    const QRect page = writer.pageLayout().paintRectPixels(writer.resolution());
    const QSizeF n = naturalSize();
    const double s = std::min(1.0, page.width() / n.width());
    const double avail = page.height() / s;

    // Blocks go onto pages whole, except the diagram's body, which is cut between rows; every page that
    // continues it repeats the header so the lifelines stay named.
    struct Piece
    {
        Block block;
        double y0 = 0, y1 = 0;
    };
    std::vector<std::vector<Piece>> pages(1);
    double used = 0;
    const auto all = blocks();
    const auto header =
        std::find_if(all.begin(), all.end(), [](const Block &b) { return b.kind == BlockKind::Header; });
    const double rh = m_layout.options().rowHeight;
    for (const Block &b : all) {
        if (b.kind != BlockKind::Body) {
            if (used > 0 && used + b.height > avail) {
                pages.emplace_back();
                used = 0;
            }
            pages.back().push_back({b, 0, b.height});
            used += b.height;
            continue;
        }
        double y = 0;
        while (y < b.height - 0.5) {
            if (avail - used < 4 * rh) {
                pages.emplace_back();
                used = 0;
                if (header != all.end()) {
                    pages.back().push_back({*header, 0, header->height});
                    used += header->height;
                }
            }
            double cut = y + (avail - used);
            if (cut < b.height) {
                // End at the boundary after the last row that fits whole.
                const auto [first, last] = m_layout.rowRange(y, cut);
                for (int r = last - 1; r >= first; --r) {
                    const double boundary = m_layout.item(m_layout.rowEvents()[static_cast<size_t>(r)]).y + rh / 2;
                    if (boundary <= cut && boundary > y) {
                        cut = boundary;
                        break;
                    }
                }
            }
            cut = std::min(cut, b.height);
            pages.back().push_back({b, y, cut});
            used += cut - y;
            y = cut;
        }
    }

    QCPPainter p(&writer);
    p.setMode(QCPPainter::pmVectorized);
    for (size_t i = 0; i < pages.size(); ++i) {
        if (i > 0)
            writer.newPage();
        p.save();
        p.scale(s, s);
        p.fillRect(QRectF(0, 0, n.width(), avail), m_options.theme.background);
        double y = 0;
        for (const Piece &piece : pages[i]) {
            p.save();
            p.translate(0, y);
            paintBlock(p, piece.block, piece.y0, piece.y1);
            p.restore();
            y += piece.y1 - piece.y0;
        }
        p.restore();
    }
    p.end();
    if (pageCount)
        *pageCount = static_cast<int>(pages.size());
    return bytes;
}

bool Exporter::write(const QString &path, core::ExportFormat format, QString *error) const
{
    QByteArray bytes;
    switch (format) {
    case core::ExportFormat::Png: {
        const QSize px = pngSize();
        if (px.width() > kMaxPngSide || px.height() > kMaxPngSide) {
            if (error)
                *error = QStringLiteral("the image would be %1 x %2 pixels; the largest is %3 a side: use a smaller "
                                        "--width or --scale, or SVG/PDF")
                             .arg(px.width())
                             .arg(px.height())
                             .arg(kMaxPngSide);
            return false;
        }
        bytes = encodePng(image());
        break;
    }
    case core::ExportFormat::Svg:
        bytes = svg();
        break;
    case core::ExportFormat::Pdf:
        bytes = pdf();
        break;
    default:
        if (error)
            *error =
                QStringLiteral("'%1' is not an image format").arg(QString::fromLatin1(core::formatName(format).data()));
        return false;
    }
    std::string why;
    if (!core::writeFileAtomically(path.toStdString(), std::string_view(bytes.constData(), size_t(bytes.size())),
                                   &why)) {
        if (error)
            *error = QString::fromStdString(why);
        return false;
    }
    return true;
}

} // namespace sockscope::ui
