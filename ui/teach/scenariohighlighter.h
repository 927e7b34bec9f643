// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Brief: syntax highlighting of the scenario format: metadata keys, actors, calls, expectations, notes
// ('>' lines), comments and strings. Colours come from the Theme.
// Thread-safety: GUI thread only.

#include "ui/style/theme.h"

#include <QRegularExpression>
#include <QSyntaxHighlighter>

namespace sockscope::ui {

class ScenarioHighlighter : public QSyntaxHighlighter
{
    Q_OBJECT
public:
    ScenarioHighlighter(QTextDocument *document, const Theme &theme);
    void setTheme(const Theme &theme);

protected:
    void highlightBlock(const QString &text) override;

private:
    Theme m_theme;
};

} // namespace sockscope::ui
