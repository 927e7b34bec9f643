// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/teach/outcomechart.h"

#include "ui/model/multirun.h"

#include <QBarCategoryAxis>
#include <QBarSeries>
#include <QBarSet>
#include <QChart>
#include <QChartView>
#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QScrollArea>
#include <QVBoxLayout>
#include <QValueAxis>

#include <algorithm>
#include <cmath>

namespace sockscope::ui {

namespace {
constexpr int kMinChartHeight = 200; // px: the bars, their counts and the A-D labels stay readable
constexpr auto kSyn = static_cast<std::uint8_t>(core::SegmentFlag::Syn);
constexpr auto kAck = static_cast<std::uint8_t>(core::SegmentFlag::Ack);
constexpr auto kFin = static_cast<std::uint8_t>(core::SegmentFlag::Fin);
constexpr auto kRst = static_cast<std::uint8_t>(core::SegmentFlag::Rst);

QString groupName(size_t i)
{
    return i < 26 ? QString(QChar('A' + static_cast<int>(i))) : QString::number(i + 1);
}

QStringList parts(const std::string &key)
{
    return QString::fromStdString(key).split(QStringLiteral(" | "));
}

// Where an outcome differs from the first one: a few parts around the first difference.
QString difference(const std::string &key, const std::string &reference)
{
    const QStringList a = parts(key), b = parts(reference);
    qsizetype i = 0;
    while (i < a.size() && i < b.size() && a[i] == b[i])
        ++i;
    const qsizetype from = std::max<qsizetype>(0, i - 1);
    return (from > 0 ? QStringLiteral("... ") : QString()) + a.mid(from, 5).join(QStringLiteral(" | ")) +
           (from + 5 < a.size() ? QStringLiteral(" ...") : QString());
}
} // namespace

bool IntervalMarker::matches(const core::Event &e) const
{
    if (e.kind() != kind)
        return false;
    if (const auto *p = e.as<core::PacketInfo>())
        return exactFlags ? p->flags == flags && (flags != kAck || p->len == 0) : (p->flags & flags) == flags;
    if (const auto *c = e.as<core::SyscallInfo>())
        return c->call == call;
    if (const auto *s = e.as<core::StateInfo>())
        return s->source == core::StateSource::Derived && s->to == state;
    return true;
}

const std::vector<IntervalMarker> &intervalMarkers()
{
    using core::EventKind;
    using core::TcpState;
    static const std::vector<IntervalMarker> markers = [] {
        std::vector<IntervalMarker> m{
            {QStringLiteral("SYN"), EventKind::Packet, kSyn, true, {}, {}},
            {QStringLiteral("SYN ACK"), EventKind::Packet, static_cast<std::uint8_t>(kSyn | kAck), true, {}, {}},
            {QStringLiteral("FIN"), EventKind::Packet, kFin, false, {}, {}},
            {QStringLiteral("ACK (pure)"), EventKind::Packet, kAck, true, {}, {}},
            {QStringLiteral("RST"), EventKind::Packet, kRst, false, {}, {}},
        };
        for (const char *call : {"connect", "accept", "send", "recv", "shutdown", "close"})
            m.push_back({QStringLiteral("%1() call").arg(QLatin1String(call)), EventKind::Syscall, 0, false, call, {}});
        for (TcpState s : {TcpState::Established, TcpState::FinWait1, TcpState::CloseWait, TcpState::Closing,
                           TcpState::LastAck, TcpState::TimeWait, TcpState::Closed})
            m.push_back({QStringLiteral("-> %1").arg(QString::fromUtf8(core::stateName(s).data())),
                         EventKind::State,
                         0,
                         false,
                         {},
                         s});
        return m;
    }();
    return markers;
}

std::optional<qint64> intervalNs(const std::vector<core::Event> &events, const IntervalMarker &from,
                                 const IntervalMarker &to)
{
    auto start = std::find_if(events.begin(), events.end(), [&](const core::Event &e) { return from.matches(e); });
    if (start == events.end())
        return std::nullopt;
    auto stop = std::find_if(start + 1, events.end(), [&](const core::Event &e) { return to.matches(e); });
    if (stop == events.end())
        return std::nullopt;
    return stop->tNs - start->tNs;
}

std::vector<HistogramBin> histogram(const std::vector<double> &values, int bins)
{
    if (values.empty() || bins < 1)
        return {};
    const auto [mn, mx] = std::minmax_element(values.begin(), values.end());
    const double lo = *mn, hi = *mx;
    if (hi <= lo)
        return {{lo, hi, static_cast<int>(values.size())}};
    std::vector<HistogramBin> out(static_cast<size_t>(bins));
    const double width = (hi - lo) / bins;
    for (int i = 0; i < bins; ++i)
        out[static_cast<size_t>(i)] = {lo + i * width, lo + (i + 1) * width, 0};
    for (double v : values)
        ++out[static_cast<size_t>(std::min(bins - 1, static_cast<int>((v - lo) / width)))].count;
    return out;
}

OutcomeChart::OutcomeChart(QWidget *parent)
    : QWidget(parent), m_bars(new QChartView(this)), m_histogram(new QChartView(this)), m_legend(new QLabel(this)),
      m_from(new QComboBox(this)), m_to(new QComboBox(this))
{
    for (const IntervalMarker &m : intervalMarkers()) {
        m_from->addItem(m.label);
        m_to->addItem(m.label);
    }
    m_legend->setWordWrap(true);
    m_legend->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_bars->setRenderHint(QPainter::Antialiasing);
    m_histogram->setRenderHint(QPainter::Antialiasing);
    auto *pick = new QHBoxLayout;
    pick->addWidget(new QLabel(tr("Interval from"), this));
    pick->addWidget(m_from, 1);
    pick->addWidget(new QLabel(tr("to the next"), this));
    pick->addWidget(m_to, 1);
    // The groups' descriptions scroll: on a 768 px high screen they would squeeze the charts until their axis
    // labels are elided to "...".
    auto *legend = new QScrollArea(this);
    legend->setWidget(m_legend);
    legend->setWidgetResizable(true);
    legend->setFrameShape(QFrame::NoFrame);
    m_bars->setMinimumHeight(kMinChartHeight);
    m_histogram->setMinimumHeight(kMinChartHeight * 3 / 4);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_bars, 3);
    layout->addWidget(legend, 2);
    layout->addLayout(pick);
    layout->addWidget(m_histogram, 2);
    connect(m_from, &QComboBox::currentIndexChanged, this, &OutcomeChart::rebuildHistogram);
    connect(m_to, &QComboBox::currentIndexChanged, this, &OutcomeChart::rebuildHistogram);
    setInterval(2, 3); // FIN to the next pure ACK
    setTheme(Theme::screenLight());
}

void OutcomeChart::setTheme(const Theme &theme)
{
    m_theme = theme;
    rebuildBars();
    rebuildHistogram();
}

void OutcomeChart::setRuns(const QString &title, const std::vector<RunResult> *runs)
{
    m_title = title;
    m_runs = runs;
    std::vector<core::TcpBehaviour> behaviours;
    if (runs)
        for (const RunResult &r : *runs)
            behaviours.push_back({r.key, r.label});
    m_groups = core::groupBehaviours(behaviours);
    // Most frequent first: the usual outcome is bar A.
    std::stable_sort(m_groups.begin(), m_groups.end(),
                     [](const auto &a, const auto &b) { return a.runs.size() > b.runs.size(); });
    rebuildBars();
    rebuildHistogram();
}

void OutcomeChart::setInterval(int fromMarker, int toMarker)
{
    m_from->setCurrentIndex(fromMarker);
    m_to->setCurrentIndex(toMarker);
    rebuildHistogram();
}

void OutcomeChart::chooseGroup(int group)
{
    if (group >= 0 && group < static_cast<int>(m_groups.size()) && !m_groups[static_cast<size_t>(group)].runs.empty())
        emit runChosen(m_groups[static_cast<size_t>(group)].runs.front());
}

static void styleChart(QChart *chart, const Theme &t)
{
    chart->setBackgroundBrush(t.background);
    chart->setTitleBrush(t.text);
    chart->setTitleFont(t.titleFont);
    chart->legend()->hide();
    for (QAbstractAxis *axis : chart->axes()) {
        axis->setLabelsBrush(t.text);
        axis->setLabelsFont(t.font);
        axis->setTitleBrush(t.text);
        axis->setTitleFont(t.font);
        axis->setGridLineColor(t.grid);
        axis->setLinePenColor(t.grid);
    }
}

void OutcomeChart::rebuildBars()
{
    auto *chart = new QChart;
    auto *set = new QBarSet(tr("runs"));
    QStringList categories;
    int total = 0, most = 1;
    QString legend;
    for (size_t i = 0; i < m_groups.size(); ++i) {
        const int n = static_cast<int>(m_groups[i].runs.size());
        *set << n;
        total += n;
        most = std::max(most, n);
        categories << groupName(i);
        legend += QStringLiteral("<p><b>%1</b> (%2 %3): <b>%4</b><br><tt>%5</tt></p>")
                      .arg(groupName(i))
                      .arg(n)
                      .arg(n == 1 ? tr("run") : tr("runs"))
                      .arg(QString::fromStdString(m_groups[i].label).toHtmlEscaped())
                      .arg((i == 0 ? tr("the usual outcome: ") + difference(m_groups[i].key, std::string())
                                   : tr("differs: ") + difference(m_groups[i].key, m_groups[0].key))
                               .toHtmlEscaped());
    }
    set->setColor(m_theme.segmentSyn);
    set->setBorderColor(m_theme.text);
    set->setLabelColor(m_theme.text);
    auto *series = new QBarSeries;
    series->append(set);
    series->setLabelsVisible(true);
    series->setLabelsPosition(QAbstractBarSeries::LabelsOutsideEnd);
    chart->addSeries(series);
    auto *x = new QBarCategoryAxis;
    x->append(categories);
    x->setTitleText(tr("outcome (click a bar to load its first run)"));
    auto *y = new QValueAxis;
    y->setRange(0, most + std::max(1, most / 5));
    y->setLabelFormat(QStringLiteral("%d"));
    y->setTickType(QValueAxis::TicksDynamic);
    y->setTickInterval(std::max(1, (most + 4) / 5));
    y->setTitleText(tr("runs"));
    chart->addAxis(x, Qt::AlignBottom);
    chart->addAxis(y, Qt::AlignLeft);
    series->attachAxis(x);
    series->attachAxis(y);
    chart->setTitle(tr("%1: %2 outcomes in %3 runs").arg(m_title).arg(m_groups.size()).arg(total));
    styleChart(chart, m_theme);
    connect(set, &QBarSet::clicked, this, &OutcomeChart::chooseGroup);
    QChart *old = m_bars->chart();
    m_bars->setChart(chart);
    delete old;
    m_legend->setText(legend);
}

void OutcomeChart::rebuildHistogram()
{
    m_values.clear();
    const auto &markers = intervalMarkers();
    const int f = m_from->currentIndex(), t = m_to->currentIndex();
    if (m_runs && f >= 0 && t >= 0)
        for (const RunResult &r : *m_runs)
            if (auto ns = intervalNs(r.events, markers[static_cast<size_t>(f)], markers[static_cast<size_t>(t)]))
                m_values.push_back(static_cast<double>(*ns) / 1e6);
    const auto bins = histogram(m_values, 12);
    auto *chart = new QChart;
    auto *set = new QBarSet(tr("runs"));
    QStringList categories;
    int most = 1;
    for (const HistogramBin &b : bins) {
        *set << b.count;
        most = std::max(most, b.count);
        categories << (b.hi > b.lo ? QStringLiteral("%1").arg(b.lo, 0, 'f', b.hi - b.lo < 0.01 ? 4 : 3)
                                   : QStringLiteral("%1").arg(b.lo, 0, 'f', 3));
    }
    set->setColor(m_theme.segmentFin);
    set->setBorderColor(m_theme.text);
    auto *series = new QBarSeries;
    series->setBarWidth(1.0);
    series->append(set);
    chart->addSeries(series);
    auto *x = new QBarCategoryAxis;
    x->append(categories);
    x->setTitleText(tr("ms from %1 to the next %2 (bin start)").arg(m_from->currentText(), m_to->currentText()));
    auto *y = new QValueAxis;
    y->setRange(0, most);
    y->setLabelFormat(QStringLiteral("%d"));
    y->setTickType(QValueAxis::TicksDynamic);
    y->setTickInterval(std::max(1, (most + 3) / 4));
    chart->addAxis(x, Qt::AlignBottom);
    chart->addAxis(y, Qt::AlignLeft);
    series->attachAxis(x);
    series->attachAxis(y);
    const int runs = m_runs ? static_cast<int>(m_runs->size()) : 0;
    chart->setTitle(
        tr("%1 -> %2: %3 of %4 runs").arg(m_from->currentText(), m_to->currentText()).arg(m_values.size()).arg(runs));
    styleChart(chart, m_theme);
    QChart *old = m_histogram->chart();
    m_histogram->setChart(chart);
    delete old;
}

} // namespace sockscope::ui
