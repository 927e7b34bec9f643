// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The scenario's summary and notes, the current step's note, and a plain-language explanation of the
// cursor event (texts from explanations.h).
// Thread-safety: GUI thread only.

#include <QWidget>

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
    void onThemeChanged();

    RunModel *m_run;
    ViewState *m_view;
    QTextBrowser *m_text;
    int m_shownCursor = -2; // -2: nothing shown yet
};

} // namespace sockscope::ui
