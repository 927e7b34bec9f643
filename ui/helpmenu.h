// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The Help menu: the keyboard reference (F1), the scenario format and About. The keyboard reference and the
// scenario format are docs/teaching.md's key table and docs/scenario-format.md themselves, compiled in as
// resources, so the program and the documentation cannot tell two stories.
// Thread-safety: GUI thread only.

#include <QMenu>
#include <QStringList>

namespace sockscope::ui {

class MainWindow;
class RunModel;

class HelpMenu : public QMenu
{
    Q_OBJECT
public:
    explicit HelpMenu(MainWindow *window);

    void showKeyboardReference();
    void showScenarioFormat();
    void showAbout();

    // The "## Keys" section of docs/teaching.md (Markdown).
    static QString keyReferenceMarkdown();
    static QString scenarioFormatMarkdown();
    // Every key the reference names: the bold cells of its table, split at " / ", e.g. "Ctrl+Right".
    static QStringList documentedKeys(const QString &markdown);
    // Versions of sockscope, Qt, QCustomPlot and the kernel, and the last run's isolation and capture (HTML).
    static QString aboutText(const RunModel &run);

private:
    void showDocument(const QString &objectName, const QString &title, const QString &markdown, QSize size);

    MainWindow *m_window;
};

} // namespace sockscope::ui
