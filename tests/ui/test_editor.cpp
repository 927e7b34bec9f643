// SPDX-License-Identifier: GPL-3.0-or-later
// The scenario editor is safe to write in: Save and Save As on their own keys (not File > Save Run's Ctrl+S)
// and in the File menu, unsaved edits are not lost without asking (New, Open, closing the window), the pane
// opens wide enough to read a scenario, and a text with errors is not run: the errors are listed as
// file:line:column.

#include "ui/mainwindow.h"
#include "ui/teach/scenarioeditor.h"
#include "ui/teach/teachactions.h"
#include "uifixture.h"

#include <QDockWidget>
#include <QLabel>
#include <QListWidget>
#include <QMenuBar>
#include <QShortcut>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

using namespace sockscope;

namespace {
QString brokenText()
{
    QString broken = ui::ScenarioEditor::templateText();
    broken.replace(QStringLiteral("bind(L, 127.0.0.1:5000)"), QStringLiteral("bind(L( 127.0.0.1:5000)"));
    return broken;
}
QString readFile(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? QString::fromUtf8(f.readAll()) : QString();
}
} // namespace

class TestEditor : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase() { uitest::useOwnSettings(QStringLiteral("sockscope-test-editor")); }

    void saveKeysAreTheirOwnAndInTheFileMenu()
    {
        ui::MainWindow w;
        w.ensureComplete();
        ui::ScenarioEditor *editor = w.findChild<ui::TeachActions *>()->editor();
        const QKeySequence save = editor->saveAction()->shortcut();
        const QKeySequence saveAs = editor->saveAsAction()->shortcut();
        QVERIFY(!save.isEmpty());
        QVERIFY(!saveAs.isEmpty());
        QVERIFY(save != saveAs);
        // No other action or shortcut of the window answers the editor's keys, and Ctrl+S is Save Run's alone.
        int saveRun = 0;
        for (QAction *a : w.findChildren<QAction *>()) {
            if (a == editor->saveAction() || a == editor->saveAsAction())
                continue;
            QVERIFY2(!a->shortcuts().contains(save) && !a->shortcuts().contains(saveAs), qPrintable(a->text()));
            saveRun += a->shortcuts().contains(QKeySequence::Save) ? 1 : 0;
        }
        QCOMPARE(saveRun, 1);
        for (QShortcut *s : w.findChildren<QShortcut *>())
            QVERIFY2(!s->keys().contains(QKeySequence(QKeySequence::Save)), qPrintable(s->objectName()));
        // Both are in the File menu, where the menu shows their keys.
        QMenu *file = w.menuBar()->actions().constFirst()->menu();
        QVERIFY(file->actions().contains(editor->saveAction()));
        QVERIFY(file->actions().contains(editor->saveAsAction()));
    }

    void saveAndSaveAs()
    {
        QTemporaryDir dir;
        ui::ScenarioEditor editor;
        editor.setText(ui::ScenarioEditor::templateText());
        const QString first = dir.filePath(QStringLiteral("first.scn"));
        QVERIFY(editor.saveAs(first));
        QCOMPARE(editor.path(), first);
        QVERIFY(!editor.isModified());
        QCOMPARE(readFile(first), ui::ScenarioEditor::templateText());
        editor.codeEdit()->appendPlainText(QStringLiteral("# more"));
        QVERIFY(editor.isModified());
        QVERIFY(editor.save()); // to the same file, no dialog
        QVERIFY(readFile(first).contains(QStringLiteral("# more")));
        const QString second = dir.filePath(QStringLiteral("second.scn"));
        editor.codeEdit()->appendPlainText(QStringLiteral("# second only"));
        QVERIFY(editor.saveAs(second));
        QCOMPARE(editor.path(), second);
        QVERIFY(readFile(second).contains(QStringLiteral("# second only")));
        QVERIFY(!readFile(first).contains(QStringLiteral("# second only")));
    }

    void newAsksBeforeDiscarding()
    {
        ui::ScenarioEditor editor;
        editor.setText(QStringLiteral("title: mine\n"));
        editor.codeEdit()->appendPlainText(QStringLiteral("# typed"));
        QVERIFY(editor.isModified());
        int asked = 0;
        editor.askUnsaved = [&asked] {
            ++asked;
            return ui::ScenarioEditor::Unsaved::Cancel;
        };
        editor.newFromTemplate();
        QCOMPARE(asked, 1);
        QVERIFY(editor.text().contains(QStringLiteral("# typed"))); // kept
        editor.askUnsaved = [&asked] {
            ++asked;
            return ui::ScenarioEditor::Unsaved::Discard;
        };
        editor.newFromTemplate();
        QCOMPARE(asked, 2);
        QCOMPARE(editor.text(), ui::ScenarioEditor::templateText());
        // Unmodified: no question.
        QTemporaryDir dir;
        QVERIFY(editor.saveAs(dir.filePath(QStringLiteral("t.scn"))));
        editor.newFromTemplate();
        QCOMPARE(asked, 2);
    }

    void closingTheWindowAsks()
    {
        ui::MainWindow w;
        QVERIFY(uitest::showComplete(w, {1280, 800}));
        ui::ScenarioEditor *editor = w.findChild<ui::TeachActions *>()->editor();
        editor->setText(ui::ScenarioEditor::templateText());
        editor->codeEdit()->appendPlainText(QStringLiteral("# unsaved"));
        int asked = 0;
        editor->askUnsaved = [&asked] {
            ++asked;
            return ui::ScenarioEditor::Unsaved::Cancel;
        };
        QVERIFY(!w.close());
        QCOMPARE(asked, 1);
        QVERIFY(w.isVisible());
        editor->askUnsaved = [&asked] {
            ++asked;
            return ui::ScenarioEditor::Unsaved::Discard;
        };
        QVERIFY(w.close());
        QCOMPARE(asked, 2);
    }

    void opensWideEnoughToRead()
    {
        ui::MainWindow w;
        QVERIFY(uitest::showComplete(w, {1280, 800}));
        ui::ScenarioEditor *editor = w.findChild<ui::TeachActions *>()->editor();
        editor->newFromTemplate();
        auto *dock = w.findChild<QDockWidget *>(QStringLiteral("editor"));
        QVERIFY(dock->isVisible());
        QTRY_VERIFY(dock->width() >= 480);
        // The longest template line fits without scrolling sideways.
        const QFontMetrics fm(editor->codeEdit()->font());
        int longest = 0;
        for (const QString &line : ui::ScenarioEditor::templateText().split(QLatin1Char('\n')))
            longest = std::max(longest, fm.horizontalAdvance(line));
        QVERIFY2(editor->codeEdit()->viewport()->width() >= longest,
                 qPrintable(QStringLiteral("%1 < %2").arg(editor->codeEdit()->viewport()->width()).arg(longest)));
        editor->codeEdit()->document()->setModified(false);
    }

    void runWithErrorsShowsThemInstead()
    {
        ui::ScenarioEditor editor;
        QSignalSpy run(&editor, &ui::ScenarioEditor::runRequested);
        QSignalSpy refused(&editor, &ui::ScenarioEditor::runRefused);
        editor.setText(brokenText());
        auto *shortcut = editor.findChild<QShortcut *>(QStringLiteral("runShortcut"));
        emit shortcut->activated();
        QCOMPARE(run.count(), 0);
        QCOMPARE(refused.count(), 1);
        QCOMPARE(refused.front().front().toInt(), 1);
        auto *list = editor.findChild<QListWidget *>(QStringLiteral("errorList"));
        QCOMPARE(list->count(), 1);
        QVERIFY2(list->item(0)->text().startsWith(QStringLiteral("untitled.scn:10:")),
                 qPrintable(list->item(0)->text()));
        QVERIFY(!list->isHidden());
        auto *status = editor.findChild<QLabel *>(QStringLiteral("runStatus"));
        QVERIFY(!status->isHidden());
        QVERIFY(status->text().startsWith(QStringLiteral("Not run")));
        QCOMPARE(editor.codeEdit()->textCursor().blockNumber(), 9); // the cursor is on the error
        // Fixed: it runs, and the refusal is gone.
        editor.setText(ui::ScenarioEditor::templateText());
        emit shortcut->activated();
        QCOMPARE(run.count(), 1);
        QVERIFY(status->isHidden());
    }
};

QTEST_MAIN(TestEditor)
#include "test_editor.moc"
