// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Brief: the outcomes of N runs of one scenario: a bar chart of how often each TCP behaviour (core::tcpBehaviour)
// happened, the key of each bar in words, and a histogram of one interval the user picks (from a kind of
// event to the next of another kind, e.g. FIN to ACK). Clicking a bar asks for that group's first run.
// The interval maths are pure functions, tested without a window.
// Thread-safety: GUI thread only.

#include "core/model/outcome.h"
#include "core/stream/event.h"
#include "ui/style/theme.h"

#include <QString>
#include <QWidget>

#include <optional>
#include <string>
#include <vector>

class QComboBox;
class QLabel;
class QChartView;

namespace sockscope::ui {

struct RunResult;

// One end of an interval: a segment with these flags, a call, or a transition into a state.
struct IntervalMarker
{
    QString label;
    core::EventKind kind = core::EventKind::Packet;
    std::uint8_t flags = 0; // packets: SYN/SYN ACK/ACK must match exactly; FIN and RST need only be present
    bool exactFlags = false;
    std::string call;                              // syscalls
    core::TcpState state = core::TcpState::Closed; // derived state transitions
    bool matches(const core::Event &e) const;
};

const std::vector<IntervalMarker> &intervalMarkers();
// ns from the first event matching `from` to the first event after it matching `to`; nullopt if none.
std::optional<qint64> intervalNs(const std::vector<core::Event> &events, const IntervalMarker &from,
                                 const IntervalMarker &to);

struct HistogramBin
{
    double lo = 0;
    double hi = 0;
    int count = 0;
};
// `bins` equal bins over [min, max] of the values (one bin when they are all equal); empty for no values.
std::vector<HistogramBin> histogram(const std::vector<double> &values, int bins);

class OutcomeChart : public QWidget
{
    Q_OBJECT
public:
    explicit OutcomeChart(QWidget *parent = nullptr);

    void setTheme(const Theme &theme);
    // The runs of one scenario; groups them and redraws both charts.
    void setRuns(const QString &title, const std::vector<RunResult> *runs);
    const std::vector<core::OutcomeGroup> &groups() const { return m_groups; }
    // Picks the interval of the histogram (indexes into intervalMarkers()).
    void setInterval(int fromMarker, int toMarker);
    // For tests: the histogram's values in ms, one per run that had the interval.
    const std::vector<double> &intervalValuesMs() const { return m_values; }
    // Loads group `group`'s first run: emits runChosen.
    void chooseGroup(int group);

Q_SIGNALS:
    void runChosen(int runIndex);

private:
    void rebuildBars();
    void rebuildHistogram();

    const std::vector<RunResult> *m_runs = nullptr;
    std::vector<core::OutcomeGroup> m_groups;
    std::vector<double> m_values;
    QString m_title;
    Theme m_theme;
    QChartView *m_bars;
    QChartView *m_histogram;
    QLabel *m_legend;
    QComboBox *m_from;
    QComboBox *m_to;
};

} // namespace sockscope::ui
