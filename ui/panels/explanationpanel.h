// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The scenario's summary and notes, the current step's note, and a plain-language explanation of the
// cursor event (texts from explanations.h). With reveal on it tells nothing past the cursor: a neutral heading
// for the title and summary, the current step only (in predict mode once answered), the question and the verdict.
// Thread-safety: GUI thread only.

#include "core/stream/event.h"

#include <QWidget>

#include <span>

class QTextBrowser;

namespace sockscope::ui {

class RunModel;
class ViewState;

class ExplanationPanel : public QWidget
{
    Q_OBJECT
public:
    ExplanationPanel(RunModel *run, ViewState *view, QWidget *parent = nullptr);

    // The HTML currently shown; for tests.
    QString html() const;
    QSize sizeHint() const override { return {340, 300}; }

private:
    void refresh();
    QString eventHtml(int cursor, bool hiding, std::span<const core::Event> shown) const;
    // Predict mode: the question at the cursor, or the class's answer and the truth once revealed.
    QString predictionHtml(int first, int last, int cursor) const;
    void onThemeChanged();

    RunModel *m_run;
    ViewState *m_view;
    QTextBrowser *m_text;
    int m_shownCursor = -2; // -2: nothing shown yet
};

} // namespace sockscope::ui
