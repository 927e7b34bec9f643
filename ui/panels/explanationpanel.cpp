// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/panels/explanationpanel.h"

#include "ui/model/eventtablemodel.h"
#include "ui/model/explanations.h"
#include "ui/model/notetext.h"
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
    QString html;
    const QString title = m_run->title();
    if (!title.isEmpty())
        html += QStringLiteral("<h3>%1</h3>").arg(title.toHtmlEscaped());
    else if (m_run->eventCount() == 0)
        html += tr("<p>Choose a scenario in the browser and press <b>F5</b> to run it.</p>");
    const QString summary = m_run->summary();
    if (!summary.isEmpty())
        html += paragraphs(summary);

    const int cursor = m_view->cursor();
    m_shownCursor = cursor;
    if (cursor >= 0 && cursor < m_run->eventCount()) {
        const int step = m_run->stepOf(cursor);
        if (step >= 0) {
            const int stepEvent = m_run->stepEvent(step);
            const auto *info = stepEvent >= 0 ? m_run->event(stepEvent).as<core::StepInfo>() : nullptr;
            html += QStringLiteral("<h4>%1</h4>")
                        .arg(tr("Step %1: %2")
                                 .arg(step + 1)
                                 .arg(info ? QString::fromStdString(info->text).toHtmlEscaped() : QString()));
            const QString note = m_run->stepNote(step);
            if (!note.isEmpty())
                html += paragraphs(note);
            if (const QString caveat = noteCaveat(m_run->events(), note); !caveat.isEmpty() && m_run->isFinished())
                html += QStringLiteral("<p><i>%1</i></p>").arg(caveat.toHtmlEscaped());
            const auto [first, last] = stepRange(m_run->events(), cursor);
            const QStringList happened = narrateEvents(m_run->events(), first, last);
            if (!happened.isEmpty())
                html += QStringLiteral("<ul><li>%1</li></ul>")
                            .arg(happened.join(QLatin1Char('\n'))
                                     .toHtmlEscaped()
                                     .replace(QLatin1Char('\n'), QStringLiteral("</li><li>")));
        }
        html += QStringLiteral("<h4>%1</h4>")
                    .arg(tr("Event %1: %2")
                             .arg(m_run->event(cursor).n)
                             .arg(EventTableModel::whatText(*m_run, cursor).toHtmlEscaped()));
        html += explainEvent(m_run->events(), static_cast<std::size_t>(cursor));
    }
    const QString notes = m_run->notes();
    if (!notes.isEmpty())
        html += QStringLiteral("<h4>%1</h4>").arg(tr("Notes")) + paragraphs(notes);
    m_text->setHtml(html);
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
