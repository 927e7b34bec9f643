// SPDX-License-Identifier: GPL-3.0-or-later
// The Help menu: the keyboard reference is docs/teaching.md's key table and names every shortcut the window's
// actions and shortcuts have; F1 opens it; the scenario format is docs/scenario-format.md; About names the
// versions and the last run's isolation and capture.

#include "ui/helpmenu.h"
#include "ui/mainwindow.h"
#include "ui/model/runmodel.h"
#include "uifixture.h"

#include <qcustomplot.h>

#include <QDialog>
#include <QMenuBar>
#include <QShortcut>
#include <QSysInfo>
#include <QTextBrowser>
#include <QtTest>

using namespace sockscope;

class TestHelp : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase() { uitest::useOwnSettings(QStringLiteral("sockscope-test-help")); }

    void keyReferenceIsTheDocsTable()
    {
        const QString md = ui::HelpMenu::keyReferenceMarkdown();
        QVERIFY(md.startsWith(QLatin1String("## Keys")));
        QVERIFY(md.contains(QLatin1String("| key | what it does |")));
        QVERIFY(!md.contains(QLatin1String("## Stepping"))); // the section only
        const QStringList keys = ui::HelpMenu::documentedKeys(md);
        QVERIFY(keys.contains(QStringLiteral("F10")));
        QVERIFY(keys.contains(QStringLiteral("Ctrl+Right")));
        QVERIFY(keys.contains(QStringLiteral("Ctrl+Left")));
        QVERIFY(keys.contains(QStringLiteral("Esc")));
    }

    void everyShortcutIsDocumented()
    {
        ui::MainWindow w;
        w.ensureComplete();
        const QStringList documented = ui::HelpMenu::documentedKeys(ui::HelpMenu::keyReferenceMarkdown());
        QStringList missing;
        int checked = 0;
        auto check = [&](const QKeySequence &key, const QString &what) {
            ++checked;
            const QString text = key.toString(QKeySequence::NativeText);
            if (!documented.contains(text))
                missing << QStringLiteral("%1 (%2)").arg(text, what);
        };
        for (QAction *a : w.findChildren<QAction *>())
            for (const QKeySequence &key : a->shortcuts())
                check(key, a->text());
        for (QShortcut *s : w.findChildren<QShortcut *>())
            for (const QKeySequence &key : s->keys())
                check(key, s->objectName());
        QVERIFY(checked > 25);
        QVERIFY2(missing.isEmpty(), qPrintable(missing.join(QStringLiteral(", "))));
    }

    void f1OpensTheKeyboardReference()
    {
        ui::MainWindow w;
        QVERIFY(uitest::showComplete(w));
        QApplication::setActiveWindow(&w);
        QVERIFY(!w.findChild<QDialog *>(QStringLiteral("keyboardReference")));
        QTest::keyClick(&w, Qt::Key_F1);
        auto *dialog = w.findChild<QDialog *>(QStringLiteral("keyboardReference"));
        QVERIFY(dialog);
        QVERIFY(dialog->isVisible());
        const QString shown = dialog->findChild<QTextBrowser *>()->toPlainText();
        QVERIFY(shown.contains(QLatin1String("F10")));
        QVERIFY(shown.contains(QLatin1String("restart the current scenario")));
        // A second F1 raises the same window.
        QApplication::setActiveWindow(&w);
        QTest::keyClick(&w, Qt::Key_F1);
        QCOMPARE(w.findChildren<QDialog *>(QStringLiteral("keyboardReference")).size(), 1);
        // The Help menu is the last one and holds the three entries.
        QMenu *help = w.menuBar()->actions().constLast()->menu();
        QVERIFY(help);
        QCOMPARE(help->title(), QStringLiteral("&Help"));
        QCOMPARE(help->actions().size(), 4); // keyboard reference, scenario format, separator, about
    }

    void scenarioFormatIsTheDoc()
    {
        ui::MainWindow w;
        w.ensureComplete();
        auto *help = w.findChild<ui::HelpMenu *>();
        QVERIFY(help);
        help->showScenarioFormat();
        auto *dialog = w.findChild<QDialog *>(QStringLiteral("scenarioFormat"));
        QVERIFY(dialog);
        const QString shown = dialog->findChild<QTextBrowser *>()->toPlainText();
        QVERIFY(shown.contains(QLatin1String("actors:")));
        QVERIFY(ui::HelpMenu::scenarioFormatMarkdown().size() > 1000);
    }

    void aboutNamesVersionsAndTheLastRun()
    {
        ui::RunModel run;
        QString about = ui::HelpMenu::aboutText(run);
        QVERIFY(about.contains(QLatin1String(SOCKSCOPE_VERSION)));
        QVERIFY(about.contains(QLatin1String(qVersion())));
        QVERIFY(about.contains(QLatin1String(QCUSTOMPLOT_VERSION_STR)));
        QVERIFY(about.contains(QSysInfo::kernelVersion()));
        QVERIFY(about.contains(QLatin1String("no run yet")));
        run.reset(uitest::loadFixture("run-close-unread-data.jsonl"));
        QVERIFY(run.hasRunInfo());
        about = ui::HelpMenu::aboutText(run);
        QVERIFY(about.contains(QStringLiteral("isolation %1").arg(QString::fromStdString(run.runInfo().isolation))));
        QVERIFY(about.contains(run.runInfo().capture ? QLatin1String("capture on") : QLatin1String("capture off")));
    }
};

QTEST_MAIN(TestHelp)
#include "test_help.moc"
