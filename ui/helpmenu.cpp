// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/helpmenu.h"

#include "ui/mainwindow.h"
#include "ui/model/runmodel.h"

#include <qcustomplot.h>

#include <QDialog>
#include <QDialogButtonBox>
#include <QFile>
#include <QMessageBox>
#include <QRegularExpression>
#include <QSysInfo>
#include <QTextBrowser>
#include <QVBoxLayout>

namespace sockscope::ui {

namespace {
QString resourceText(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? QString::fromUtf8(f.readAll()) : QString();
}
} // namespace

HelpMenu::HelpMenu(MainWindow *window) : QMenu(tr("&Help"), window), m_window(window)
{
    QAction *keys = addAction(tr("&Keyboard reference"), this, &HelpMenu::showKeyboardReference);
    keys->setShortcut(QKeySequence(Qt::Key_F1));
    keys->setObjectName(QStringLiteral("keyboardReferenceAction"));
    // A hidden menu bar (class mode) takes its actions' shortcuts with it: the window carries F1 too.
    window->addAction(keys);
    addAction(tr("&Scenario format"), this, &HelpMenu::showScenarioFormat);
    addSeparator();
    addAction(tr("&About sockscope"), this, &HelpMenu::showAbout);
}

QString HelpMenu::keyReferenceMarkdown()
{
    const QString doc = resourceText(QStringLiteral(":/docs/teaching.md"));
    const qsizetype start = doc.indexOf(QLatin1String("\n## Keys"));
    if (start < 0)
        return doc;
    const qsizetype end = doc.indexOf(QLatin1String("\n## "), start + 1);
    return doc.mid(start + 1, end < 0 ? -1 : end - start - 1).trimmed();
}

QString HelpMenu::scenarioFormatMarkdown()
{
    return resourceText(QStringLiteral(":/docs/scenario-format.md"));
}

QStringList HelpMenu::documentedKeys(const QString &markdown)
{
    QStringList keys;
    static const QRegularExpression bold(QStringLiteral("\\*\\*([^*]+)\\*\\*"));
    for (const QString &line : markdown.split(QLatin1Char('\n'))) {
        if (!line.startsWith(QLatin1Char('|')))
            continue;
        for (auto it = bold.globalMatch(line); it.hasNext();)
            for (const QString &key : it.next().captured(1).split(QStringLiteral(" / ")))
                keys << key.trimmed();
    }
    return keys;
}

QString HelpMenu::aboutText(const RunModel &run)
{
    QString lastRun = tr("no run yet");
    if (run.hasRunInfo()) {
        const core::RunInfo &info = run.runInfo();
        const QString capture = info.capture ? tr("on") : tr("off (%1)").arg(QString::fromStdString(info.captureNote));
        lastRun = tr("isolation %1, capture %2").arg(QString::fromStdString(info.isolation), capture);
    }
    return tr("<h3>sockscope %1</h3>"
              "<p>TCP scenarios run on the real Linux kernel, shown call by call and segment by segment.</p>"
              "<table>"
              "<tr><td>Qt</td><td>%2 (built with %3)</td></tr>"
              "<tr><td>QCustomPlot</td><td>%4</td></tr>"
              "<tr><td>Kernel</td><td>%5 %6</td></tr>"
              "<tr><td>Last run</td><td>%7</td></tr>"
              "</table>"
              "<p>Licensed under the GNU GPL, version 3 or later.</p>")
        .arg(QStringLiteral(SOCKSCOPE_VERSION), QString::fromLatin1(qVersion()), QStringLiteral(QT_VERSION_STR),
             QStringLiteral(QCUSTOMPLOT_VERSION_STR), QSysInfo::kernelType(), QSysInfo::kernelVersion(),
             lastRun.toHtmlEscaped());
}

void HelpMenu::showDocument(const QString &objectName, const QString &title, const QString &markdown, QSize size)
{
    // One dialog per document, raised again on the next F1, not modal: the teacher keeps stepping beside it.
    if (auto *open = m_window->findChild<QDialog *>(objectName)) {
        open->show();
        open->raise();
        open->activateWindow();
        return;
    }
    auto *dialog = new QDialog(m_window);
    dialog->setObjectName(objectName);
    dialog->setWindowTitle(title);
    auto *browser = new QTextBrowser(dialog);
    browser->setObjectName(QStringLiteral("helpText"));
    browser->setOpenExternalLinks(true);
    browser->setMarkdown(markdown);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, dialog);
    connect(buttons, &QDialogButtonBox::rejected, dialog, &QDialog::close);
    auto *layout = new QVBoxLayout(dialog);
    layout->addWidget(browser);
    layout->addWidget(buttons);
    dialog->resize(size.boundedTo(m_window->size().expandedTo(QSize(640, 480))));
    dialog->show();
}

void HelpMenu::showKeyboardReference()
{
    showDocument(QStringLiteral("keyboardReference"), tr("Keyboard reference"), keyReferenceMarkdown(),
                 QSize(820, 700));
}

void HelpMenu::showScenarioFormat()
{
    showDocument(QStringLiteral("scenarioFormat"), tr("Scenario format"), scenarioFormatMarkdown(), QSize(900, 760));
}

void HelpMenu::showAbout()
{
    QMessageBox::about(m_window, tr("About sockscope"), aboutText(*m_window->runModel()));
}

} // namespace sockscope::ui
