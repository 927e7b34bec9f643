// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The main window's run-file and export actions: File > Save Run... (Ctrl+S), File > Export... (Ctrl+E),
// Edit > Copy figure (Ctrl+Shift+C), opening .sockrun files, and a window title that names the run.
// MainWindow calls installExportActions() once; everything else lives here.
// Thread-safety: GUI thread only.

#include "core/io/runfile.h"

#include <QObject>
#include <QString>

class QMenu;

namespace sockscope::ui {

class MainWindow;
class RunModel;

// Adds Save Run... and Export... to `file`, and an Edit menu (created after the File menu) with Copy figure.
void installExportActions(MainWindow &window, QMenu *file);

bool isRunFile(const QString &path); // by extension (.sockrun)
// Opens a run file into the window. A file with any error is refused as a whole: the message
// ("FILE:LINE:COL: error: ...") goes to *error and, unless quiet, to a message box; the current run stays.
bool openRunFile(MainWindow &window, const QString &path, QString *error = nullptr, bool quiet = false);
// Saves the window's run (atomically). False with *error when there is no finished run or the write failed.
bool saveRunFile(MainWindow &window, const QString &path, QString *error = nullptr);

// The model's run as a run file's content (scenario name, path and source from the model's scenario).
core::RunData runDataOf(const RunModel &run);

// Keeps the window title in step with the run on show: "NAME — sockscope", "file.sockrun (NAME) — sockscope";
// "Lesson — sockscope" while reveal hides the name (RevealRule).
class RunTitle : public QObject
{
    Q_OBJECT
public:
    explicit RunTitle(MainWindow &window);
    void setRunFile(const QString &path); // "" for a live run
    const QString &runFile() const { return m_file; }
    void update();

private:
    MainWindow &m_window;
    QString m_file;
};

} // namespace sockscope::ui
