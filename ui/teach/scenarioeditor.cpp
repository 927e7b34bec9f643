// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/teach/scenarioeditor.h"

#include "ui/teach/scenariohighlighter.h"

#include <QAction>
#include <QCloseEvent>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QFileSystemWatcher>
#include <QHelpEvent>
#include <QLabel>
#include <QListWidget>
#include <QMessageBox>
#include <QPainter>
#include <QSaveFile>
#include <QShortcut>
#include <QTextBlock>
#include <QToolTip>
#include <QVBoxLayout>

namespace sockscope::ui {

namespace {
class Gutter : public QWidget
{
public:
    explicit Gutter(ScenarioCodeEdit *edit) : QWidget(edit), m_edit(edit) {}
    QSize sizeHint() const override { return {m_edit->gutterWidth(), 0}; }

protected:
    void paintEvent(QPaintEvent *event) override { m_edit->paintGutter(event); }

private:
    ScenarioCodeEdit *m_edit;
};
} // namespace

ScenarioCodeEdit::ScenarioCodeEdit(QWidget *parent) : QPlainTextEdit(parent), m_gutter(new Gutter(this))
{
    setLineWrapMode(QPlainTextEdit::NoWrap);
    QFont mono(QStringLiteral("monospace"));
    mono.setStyleHint(QFont::Monospace);
    setFont(mono);
    connect(this, &QPlainTextEdit::blockCountChanged, this, [this] { setViewportMargins(gutterWidth(), 0, 0, 0); });
    connect(this, &QPlainTextEdit::updateRequest, this, [this](const QRect &rect, int dy) {
        dy ? m_gutter->scroll(0, dy) : m_gutter->update(0, rect.y(), m_gutter->width(), rect.height());
    });
    setViewportMargins(gutterWidth(), 0, 0, 0);
}

int ScenarioCodeEdit::gutterWidth() const
{
    const int digits = static_cast<int>(QString::number(std::max(1, blockCount())).size());
    return 14 + fontMetrics().horizontalAdvance(QLatin1Char('9')) * std::max(3, digits);
}

void ScenarioCodeEdit::setErrorLines(const QMap<int, QString> &lines)
{
    m_errorLines = lines;
    m_gutter->update();
}

void ScenarioCodeEdit::resizeEvent(QResizeEvent *event)
{
    QPlainTextEdit::resizeEvent(event);
    const QRect r = contentsRect();
    m_gutter->setGeometry(r.left(), r.top(), gutterWidth(), r.height());
}

void ScenarioCodeEdit::paintGutter(QPaintEvent *event)
{
    QPainter p(m_gutter);
    const QPalette pal = palette();
    p.fillRect(event->rect(), pal.color(QPalette::AlternateBase));
    QTextBlock block = firstVisibleBlock();
    int top = qRound(blockBoundingGeometry(block).translated(contentOffset()).top());
    const int h = fontMetrics().height();
    while (block.isValid() && top <= event->rect().bottom()) {
        const int line = block.blockNumber() + 1;
        if (block.isVisible() && top + h >= event->rect().top()) {
            if (m_errorLines.contains(line)) {
                // The gutter marker: a filled disc in the error colour of the palette's link-visited role.
                p.setBrush(pal.color(QPalette::LinkVisited));
                p.setPen(Qt::NoPen);
                p.drawEllipse(QRectF(3, top + h / 2.0 - 4, 8, 8));
            }
            p.setPen(pal.color(QPalette::PlaceholderText));
            p.drawText(0, top, m_gutter->width() - 4, h, Qt::AlignRight, QString::number(line));
        }
        top += qRound(blockBoundingRect(block).height());
        block = block.next();
    }
}

bool ScenarioCodeEdit::event(QEvent *event)
{
    if (event->type() == QEvent::ToolTip) {
        auto *help = static_cast<QHelpEvent *>(event);
        const QPoint pos = viewport()->mapFromGlobal(help->globalPos());
        const int line = cursorForPosition(pos).blockNumber() + 1;
        if (m_errorLines.contains(line)) {
            QToolTip::showText(help->globalPos(), m_errorLines.value(line), this);
            return true;
        }
        QToolTip::hideText();
    }
    return QPlainTextEdit::event(event);
}

ScenarioEditor::ScenarioEditor(QWidget *parent)
    : QWidget(parent), m_edit(new ScenarioCodeEdit(this)), m_status(new QLabel(this)), m_list(new QListWidget(this)),
      m_saveAction(new QAction(tr("&Save scenario"), this)),
      m_saveAsAction(new QAction(tr("Save scenario &as..."), this)), m_watcher(new QFileSystemWatcher(this))
{
    new ScenarioHighlighter(m_edit->document(), Theme::screenLight());
    // Gutter marker colour: the theme's error colour (the gutter reads it from the palette).
    QPalette pal = m_edit->palette();
    pal.setColor(QPalette::LinkVisited, Theme::screenLight().syscallError);
    m_edit->setPalette(pal);
    m_list->setMaximumHeight(110);
    m_list->setObjectName(QStringLiteral("errorList"));
    m_status->setObjectName(QStringLiteral("runStatus"));
    m_status->setWordWrap(true);
    m_status->setStyleSheet(
        QStringLiteral("color: %1; font-weight: bold").arg(Theme::screenLight().syscallError.name()));
    m_status->hide();
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_edit, 1);
    layout->addWidget(m_status);
    layout->addWidget(m_list);
    m_parseTimer.setSingleShot(true);
    m_parseTimer.setInterval(kParseDelayMs);
    connect(&m_parseTimer, &QTimer::timeout, this, &ScenarioEditor::reparse);
    connect(m_edit, &QPlainTextEdit::textChanged, this, [this] { m_parseTimer.start(); });
    connect(m_list, &QListWidget::itemActivated, this, [this](QListWidgetItem *item) {
        const auto &e = m_errors[static_cast<size_t>(m_list->row(item))];
        QTextCursor c(m_edit->document()->findBlockByNumber(std::max(0, e.line - 1)));
        c.movePosition(QTextCursor::Right, QTextCursor::MoveAnchor, std::max(0, e.column - 1));
        m_edit->setTextCursor(c);
        m_edit->setFocus();
    });
    connect(m_watcher, &QFileSystemWatcher::fileChanged, this, &ScenarioEditor::onFileChangedOnDisk);
    auto *run = new QShortcut(QKeySequence(Qt::CTRL | Qt::Key_Return), this, this, &ScenarioEditor::requestRun,
                              Qt::WidgetWithChildrenShortcut);
    run->setObjectName(QStringLiteral("runShortcut"));
    // Not QKeySequence::Save: Ctrl+S is File > Save Run. The actions go in the File menu, so the keys are shown.
    m_saveAction->setShortcut(QKeySequence(Qt::CTRL | Qt::ALT | Qt::Key_S));
    m_saveAction->setToolTip(tr("Save the scenario being edited (Ctrl+Alt+S)"));
    m_saveAsAction->setShortcut(QKeySequence(Qt::CTRL | Qt::ALT | Qt::SHIFT | Qt::Key_S));
    connect(m_saveAction, &QAction::triggered, this, [this] { saveFromMenu(false); });
    connect(m_saveAsAction, &QAction::triggered, this, [this] { saveFromMenu(true); });
    if (parent)
        parent->window()->installEventFilter(this);
    askUnsaved = [this] {
        const auto answer =
            QMessageBox::question(this, tr("Unsaved scenario"),
                                  tr("The scenario %1 has unsaved edits. Save them?")
                                      .arg(m_path.isEmpty() ? tr("(untitled)") : QFileInfo(m_path).fileName()),
                                  QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel, QMessageBox::Save);
        return answer == QMessageBox::Save      ? Unsaved::Save
               : answer == QMessageBox::Discard ? Unsaved::Discard
                                                : Unsaved::Cancel;
    };
    askReload = [this] {
        return QMessageBox::question(
                   this, tr("File changed on disk"),
                   tr("%1 changed on disk and has unsaved edits here. Reload it and lose them?").arg(m_path)) ==
               QMessageBox::Yes;
    };
}

QString ScenarioEditor::templateText()
{
    return QStringLiteral("# A new scenario: see docs/scenario-format.md\n"
                          "title: My scenario\n"
                          "topic: my topics\n"
                          "summary: What happens, in one or two sentences.\n"
                          "notes: What the class should notice.\n"
                          "actors: server client\n\n"
                          "server  L = socket(v4)\n"
                          "server  setsockopt(L, SO_REUSEADDR, 1)     = 0\n"
                          "server  bind(L, 127.0.0.1:5000)            = 0\n"
                          "server  listen(L, 8)                       = 0\n"
                          "client  C = socket(v4)\n"
                          "client  connect(C, 127.0.0.1:5000)         = 0\n"
                          "server  A = accept(L)                      = fd\n"
                          "client  close(C)                           = 0\n"
                          "  > The client closes first: it will end in TIME_WAIT.\n"
                          "server  recv(A, 100)                       = 0\n"
                          "server  close(A)                           = 0\n"
                          "server  close(L)                           = 0\n");
}

QString ScenarioEditor::text() const
{
    return m_edit->toPlainText();
}
bool ScenarioEditor::isModified() const
{
    return m_edit->document()->isModified();
}

void ScenarioEditor::setText(const QString &text)
{
    m_edit->setPlainText(text);
    reparse();
}

void ScenarioEditor::watch(const QString &path)
{
    if (!m_watcher->files().isEmpty())
        m_watcher->removePaths(m_watcher->files());
    if (!path.isEmpty())
        m_watcher->addPath(path);
}

bool ScenarioEditor::openFile(const QString &path, QString *error)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) {
        if (error)
            *error = f.errorString();
        return false;
    }
    m_path = QFileInfo(path).absoluteFilePath();
    m_edit->setPlainText(QString::fromUtf8(f.readAll()));
    m_edit->document()->setModified(false);
    watch(m_path);
    reparse();
    emit fileChanged(m_path);
    return true;
}

void ScenarioEditor::openWithDialog()
{
    if (!maybeDiscard())
        return;
    const QString path =
        QFileDialog::getOpenFileName(this, tr("Edit scenario"), QString(), tr("Scenarios (*.scn);;All files (*)"));
    QString error;
    if (!path.isEmpty() && !openFile(path, &error))
        QMessageBox::warning(this, tr("Edit scenario"), tr("Cannot open %1: %2").arg(path, error));
}

void ScenarioEditor::newFromTemplate()
{
    if (!maybeDiscard())
        return;
    m_path.clear();
    watch(QString());
    setText(templateText());
    m_edit->document()->setModified(true);
    emit fileChanged(QString());
    m_edit->setFocus();
}

bool ScenarioEditor::save(QString *error)
{
    return m_path.isEmpty() ? saveAs(QString(), error) : writeTo(m_path, error);
}

bool ScenarioEditor::saveAs(const QString &path, QString *error)
{
    QString target = path;
    if (target.isEmpty())
        target = QFileDialog::getSaveFileName(this, tr("Save scenario as"),
                                              m_path.isEmpty() ? QStringLiteral("scenario.scn") : m_path,
                                              tr("Scenarios (*.scn)"));
    if (target.isEmpty())
        return false;
    return writeTo(QFileInfo(target).absoluteFilePath(), error);
}

bool ScenarioEditor::writeTo(const QString &path, QString *error)
{
    QSaveFile f(path);
    m_saving = true; // our own write is not a change on disk
    const bool ok = f.open(QIODevice::WriteOnly) && f.write(text().toUtf8()) >= 0 && f.commit();
    if (!ok && error)
        *error = f.errorString();
    if (ok) {
        m_path = path;
        m_edit->document()->setModified(false);
    }
    watch(m_path); // QSaveFile renames over the file: watch the new one
    QTimer::singleShot(0, this, [this] { m_saving = false; });
    if (ok) {
        reparse(); // errors now name the file
        emit fileChanged(m_path);
    }
    return ok;
}

void ScenarioEditor::saveFromMenu(bool as)
{
    QString error;
    const bool ok = as ? saveAs(QString(), &error) : save(&error);
    if (!ok && !error.isEmpty())
        QMessageBox::warning(this, tr("Save scenario"), tr("Cannot save %1: %2").arg(m_path, error));
}

bool ScenarioEditor::maybeDiscard()
{
    if (!isModified() || !askUnsaved)
        return true;
    switch (askUnsaved()) {
    case Unsaved::Save:
        return save();
    case Unsaved::Discard:
        return true;
    case Unsaved::Cancel:
        break;
    }
    return false;
}

bool ScenarioEditor::eventFilter(QObject *watched, QEvent *event)
{
    // The window's close (Quit, the title bar's button) comes here before the window handles it.
    if (event->type() == QEvent::Close && watched == window() && !maybeDiscard()) {
        event->ignore();
        return true;
    }
    return QWidget::eventFilter(watched, event);
}

void ScenarioEditor::onFileChangedOnDisk(const QString &path)
{
    if (m_saving || path != m_path)
        return;
    watch(m_path); // editors that replace the file drop it from the watcher
    if (!QFileInfo::exists(m_path))
        return;
    if (isModified() && !(askReload && askReload()))
        return;
    QFile f(m_path);
    if (!f.open(QIODevice::ReadOnly))
        return;
    const QString fresh = QString::fromUtf8(f.readAll());
    if (fresh == text())
        return;
    m_edit->setPlainText(fresh);
    m_edit->document()->setModified(false);
    reparse();
}

void ScenarioEditor::reparse()
{
    m_parseTimer.stop();
    const std::string name = m_path.isEmpty() ? std::string("untitled.scn") : m_path.toStdString();
    core::ParseResult r = core::parseScenario(text().toStdString(), name);
    m_errors = std::move(r.errors);
    m_scenario = std::move(r.scenario);
    if (m_scenario && m_path.isEmpty())
        m_scenario->name = "untitled";
    showErrors();
    emit parsed(static_cast<int>(m_errors.size()));
}

void ScenarioEditor::showErrors()
{
    QList<QTextEdit::ExtraSelection> marks;
    QMap<int, QString> lines;
    m_list->clear();
    m_status->hide(); // the text changed since the refused run
    const QString file = m_path.isEmpty() ? QStringLiteral("untitled.scn") : QFileInfo(m_path).fileName();
    QTextCharFormat underline;
    underline.setUnderlineStyle(QTextCharFormat::WaveUnderline);
    underline.setUnderlineColor(Theme::screenLight().syscallError);
    for (const core::ParseError &e : m_errors) {
        const QString message = QString::fromStdString(e.message);
        m_list->addItem(QStringLiteral("%1:%2:%3: %4").arg(file).arg(e.line).arg(e.column).arg(message));
        if (e.line < 1)
            continue;
        lines[e.line] += (lines.contains(e.line) ? QStringLiteral("\n") : QString()) + message;
        const QTextBlock block = m_edit->document()->findBlockByNumber(e.line - 1);
        if (!block.isValid())
            continue;
        QTextEdit::ExtraSelection sel;
        sel.format = underline;
        sel.format.setToolTip(message);
        sel.cursor = QTextCursor(block);
        const int column = std::clamp(e.column - 1, 0, std::max(0, block.length() - 1));
        sel.cursor.movePosition(QTextCursor::Right, QTextCursor::MoveAnchor, column);
        // Underline the word at the column (at least one character).
        sel.cursor.movePosition(QTextCursor::EndOfWord, QTextCursor::KeepAnchor);
        if (!sel.cursor.hasSelection())
            sel.cursor.movePosition(QTextCursor::EndOfBlock, QTextCursor::KeepAnchor);
        marks << sel;
    }
    m_list->setVisible(!m_errors.empty());
    m_edit->setExtraSelections(marks);
    m_edit->setErrorLines(lines);
}

void ScenarioEditor::requestRun()
{
    reparse();
    if (m_errors.empty() && m_scenario) {
        emit runRequested(*m_scenario);
        return;
    }
    // Not run: say so above the list of errors, and put the first one under the cursor.
    const int count = static_cast<int>(m_errors.size());
    m_status->setText(count > 0 ? tr("Not run: %n error(s), fix them first (double-click one to go there).", "", count)
                                : tr("Not run: the text is not a scenario."));
    m_status->show();
    if (!m_errors.empty()) {
        m_list->setCurrentRow(0);
        emit m_list->itemActivated(m_list->item(0));
    }
    emit runRefused(count);
}

} // namespace sockscope::ui
