// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Brief: the scenario editor pane: a QPlainTextEdit with line numbers and syntax highlighting, parse errors
// shown inline (wavy underline, gutter marker, tooltip) and in a list, re-parsed as you type (debounced),
// Ctrl+Return re-runs (a text with errors is not run: the list shows file:line:column of each), Save
// (Ctrl+Alt+S) and Save As (Ctrl+Alt+Shift+S), never Ctrl+S (File > Save Run's); unsaved edits are not lost
// without asking (New, Open, closing the window), and the file reloads when it changes on disk (asking first
// if there are unsaved edits).
// Thread-safety: GUI thread only.

#include "core/scenario/scenario.h"

#include <QPlainTextEdit>
#include <QTimer>
#include <QWidget>

#include <optional>
#include <vector>

class QAction;
class QFileSystemWatcher;
class QLabel;
class QListWidget;

namespace sockscope::ui {

class ScenarioCodeEdit;

class ScenarioEditor : public QWidget
{
    Q_OBJECT
public:
    static constexpr int kParseDelayMs = 300;
    enum class Unsaved
    {
        Save,
        Discard,
        Cancel
    };
    explicit ScenarioEditor(QWidget *parent = nullptr);
    QSize sizeHint() const override { return {560, 640}; }

    static QString templateText();

    bool openFile(const QString &path, QString *error = nullptr);
    void openWithDialog();
    void newFromTemplate();
    bool save(QString *error = nullptr); // asks for a name when the text has none
    // Saves under a new name (asked for when `path` is empty); the editor then edits that file.
    bool saveAs(const QString &path = QString(), QString *error = nullptr);
    // True when there are no unsaved edits, or the user saved or discarded them; false: keep editing.
    bool maybeDiscard();
    QAction *saveAction() const { return m_saveAction; }
    QAction *saveAsAction() const { return m_saveAsAction; }
    void setText(const QString &text); // for tests: replaces the text (not a file)
    QString text() const;
    QString path() const { return m_path; }
    bool isModified() const;

    void reparse(); // at once (normally debounced)
    const std::vector<core::ParseError> &errors() const { return m_errors; }
    const core::Scenario *scenario() const { return m_scenario ? &*m_scenario : nullptr; }
    ScenarioCodeEdit *codeEdit() const { return m_edit; }
    // When the file changed on disk with unsaved edits: true reloads. Replaceable for tests.
    std::function<bool()> askReload;
    // With unsaved edits before New, Open or closing the window: save, discard or cancel. Replaceable for tests.
    std::function<Unsaved()> askUnsaved;

Q_SIGNALS:
    void runRequested(const core::Scenario &scenario);
    void fileChanged(const QString &path);
    void parsed(int errorCount);
    void runRefused(int errorCount); // Ctrl+Return on a text with errors

protected:
    bool eventFilter(QObject *watched, QEvent *event) override; // the window's close

private:
    void requestRun();
    void onFileChangedOnDisk(const QString &path);
    void showErrors();
    void watch(const QString &path);
    bool writeTo(const QString &path, QString *error);
    void saveFromMenu(bool as);

    ScenarioCodeEdit *m_edit;
    QLabel *m_status; // above the error list: why the last Ctrl+Return did not run
    QListWidget *m_list;
    QAction *m_saveAction;
    QAction *m_saveAsAction;
    QFileSystemWatcher *m_watcher;
    QTimer m_parseTimer;
    QString m_path;
    std::vector<core::ParseError> m_errors;
    std::optional<core::Scenario> m_scenario;
    bool m_saving = false;
};

// The text edit with a line-number gutter that marks lines with errors.
class ScenarioCodeEdit : public QPlainTextEdit
{
    Q_OBJECT
public:
    explicit ScenarioCodeEdit(QWidget *parent = nullptr);
    int gutterWidth() const;
    void setErrorLines(const QMap<int, QString> &lines); // 1-based line -> message
    const QMap<int, QString> &errorLines() const { return m_errorLines; }
    void paintGutter(QPaintEvent *event);

protected:
    void resizeEvent(QResizeEvent *event) override;
    bool event(QEvent *event) override; // tooltips on error lines

private:
    QWidget *m_gutter;
    QMap<int, QString> m_errorLines;
};

} // namespace sockscope::ui
