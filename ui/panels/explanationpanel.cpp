// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/panels/explanationpanel.h"

#include "ui/model/eventtablemodel.h"
#include "ui/model/explanations.h"
#include "ui/model/notetext.h"
#include "ui/model/prediction.h"
#include "ui/model/revealrule.h"
#include "ui/model/runmodel.h"
#include "ui/model/stepnarrative.h"
#include "ui/model/viewstate.h"

#include <QTextBrowser>
#include <QVBoxLayout>

namespace sockscope::ui {
namespace {
QString paragraphs(const QString &text)
{
    QString html;
    for (const QString &p : noteParagraphs(text))
        html += QStringLiteral("<p>%1</p>").arg(p.toHtmlEscaped());
    return html;
}
} // namespace

ExplanationPanel::ExplanationPanel(RunModel *run, ViewState *view, QWidget *parent)
    : QWidget(parent), m_run(run), m_view(view), m_text(new QTextBrowser(this))
{
    m_text->setOpenLinks(false);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_text);
    setMinimumSize(220, 120);
    connect(m_view, &ViewState::cursorChanged, this, &ExplanationPanel::refresh);
    connect(m_view, &ViewState::revealChanged, this, &ExplanationPanel::refresh);
    connect(m_view, &ViewState::predictChanged, this, &ExplanationPanel::refresh);
    connect(m_view, &ViewState::themeChanged, this, &ExplanationPanel::onThemeChanged);
    connect(m_run, &RunModel::scenarioChanged, this, &ExplanationPanel::refresh);
    connect(m_run, &RunModel::runReset, this, &ExplanationPanel::refresh);
    // While a run streams, the cursor's call may return in a later batch: refresh only then.
    connect(m_run, &RunModel::eventsAppended, this, [this](int first, int) {
        if (m_view->cursor() >= 0 && m_view->cursor() < first && !m_run->isFinished())
            refresh();
        else if (m_shownCursor == -2)
            refresh();
    });
    onThemeChanged();
}

QString ExplanationPanel::html() const
{
    return m_text->toHtml();
}

void ExplanationPanel::refresh()
{
    const RevealRule rule(*m_run, *m_view);
    const bool hiding = rule.hiding();
    const std::span<const core::Event> shown = rule.shownEvents();
    QString html;
    // Reveal: the title and the summary tell the outcome; a neutral heading stands in until the end.
    if (!m_run->title().isEmpty())
        html += QStringLiteral("<h3>%1</h3>").arg(rule.heading().toHtmlEscaped());
    else if (m_run->eventCount() == 0)
        html += tr("<p>Choose a scenario in the browser and press <b>F5</b> to run it.</p>");
    const QString summary = m_run->summary();
    if (!summary.isEmpty() && !hiding)
        html += paragraphs(summary);

    const int cursor = m_view->cursor();
    m_shownCursor = cursor;
    if (cursor >= 0 && cursor < static_cast<int>(shown.size())) {
        const int step = m_run->stepOf(cursor);
        const auto [first, last] = stepRange(m_run->events(), cursor);
        // Reveal tells the current step (never a later one); predict mode waits until all of it is revealed,
        // after the class's answer.
        const bool stepRevealed = !hiding || !m_view->predicting() || rule.shows(last);
        if (step >= 0) {
            const int stepEvent = m_run->stepEvent(step);
            const auto *info = stepEvent >= 0 ? m_run->event(stepEvent).as<core::StepInfo>() : nullptr;
            const QString text = !info    ? QString()
                                 : hiding ? callWithoutResult(info->text)
                                          : QString::fromStdString(info->text);
            html += QStringLiteral("<h4>%1</h4>").arg(tr("Step %1: %2").arg(step + 1).arg(text.toHtmlEscaped()));
        }
        html += predictionHtml(first, last, cursor);
        if (step >= 0 && stepRevealed) {
            const QString note = m_run->stepNote(step);
            if (!note.isEmpty())
                html += paragraphs(note);
            const auto known = std::span<const core::Event>(m_run->events()).first(static_cast<size_t>(last) + 1);
            if (const QString caveat = noteCaveat(known, note); !caveat.isEmpty())
                html += QStringLiteral("<p><i>%1</i></p>").arg(caveat.toHtmlEscaped());
            const QStringList happened = narrateEvents(m_run->events(), first, last);
            if (!happened.isEmpty())
                html += QStringLiteral("<ul><li>%1</li></ul>")
                            .arg(happened.join(QLatin1Char('\n'))
                                     .toHtmlEscaped()
                                     .replace(QLatin1Char('\n'), QStringLiteral("</li><li>")));
        }
        html += eventHtml(cursor, hiding, shown);
    }
    const QString notes = m_run->notes();
    if (!notes.isEmpty() && !hiding)
        html += QStringLiteral("<h4>%1</h4>").arg(tr("Notes")) + paragraphs(notes);
    m_text->setHtml(html);
}

QString ExplanationPanel::eventHtml(int cursor, bool hiding, std::span<const core::Event> shown) const
{
    const core::Event &e = m_run->event(cursor);
    const QString what = EventTableModel::whatText(*m_run, cursor, m_view->revealLimit());
    QString html = QStringLiteral("<h4>%1</h4>").arg(tr("Event %1: %2").arg(e.n).arg(what.toHtmlEscaped()));
    // A call whose return is not revealed yet: neither its result nor "it blocks" may be told.
    if (const auto *c = e.as<core::SyscallInfo>(); c && hiding) {
        const bool returned = std::any_of(shown.begin(), shown.end(), [c](const core::Event &x) {
            const auto *r = x.as<core::ReturnInfo>();
            return r && r->id == c->id;
        });
        if (!returned)
            return html + QStringLiteral("<p>%1</p>").arg(tr("What happens next is not revealed yet."));
    }
    return html + explainEvent(shown, static_cast<std::size_t>(cursor));
}

QString ExplanationPanel::predictionHtml(int first, int last, int cursor) const
{
    if (!m_view->predicting())
        return {};
    QString html;
    const RevealRule rule(*m_run, *m_view);
    for (int i = std::max(first, 0); i <= last && i <= cursor; ++i) {
        const auto p = predictionAt(m_run->events(), m_run->scenario(), i);
        if (!p)
            continue;
        const int answer = m_view->answerAt(i);
        if (answer < 0 && i == cursor) {
            QString choices;
            for (int k = 0; k < p->choices.size(); ++k)
                choices += QStringLiteral("<br><b>%1</b>&nbsp;&nbsp;%2").arg(k + 1).arg(p->choices[k].toHtmlEscaped());
            html += QStringLiteral("<h3>%1</h3><p><b>%2</b>%3</p><p><i>%4</i></p>")
                        .arg(tr("Predict"), p->question.toHtmlEscaped(), choices,
                             tr("Press the class's answer: 1 to %1.").arg(p->choices.size()));
        } else if (answer >= 0 && rule.shows(p->answer)) {
            const bool right = answer == p->truth;
            html += QStringLiteral("<p><b>%1</b> %2</p>")
                        .arg(right ? tr("Right.") : tr("Not this time."),
                             tr("%1 The class said \"%2\"; the kernel: \"%3\". Why:")
                                 .arg(p->question, p->choices.value(answer), p->choices.value(p->truth))
                                 .toHtmlEscaped());
        }
    }
    return html;
}

void ExplanationPanel::onThemeChanged()
{
    const Theme &t = m_view->theme();
    QPalette p = m_text->palette();
    p.setColor(QPalette::Base, t.background);
    p.setColor(QPalette::Text, t.text);
    m_text->setPalette(p);
    m_text->setFont(t.font);
    refresh();
}

} // namespace sockscope::ui
