// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/gui.h"

#include "ui/export/exportactions.h"
#include "ui/mainwindow.h"
#include "ui/panels/scenariobrowser.h"

#include <QApplication>
#include <QFileInfo>
#include <QMessageBox>
#include <QTimer>

namespace sockscope::ui {

int runGui(int argc, char **argv, const std::string &scenarioToRun)
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("sockscope"));
    QApplication::setOrganizationName(QStringLiteral("sockscope"));
    QApplication::setApplicationVersion(QStringLiteral(SOCKSCOPE_VERSION));
    QApplication::setWindowIcon(QIcon(QStringLiteral(":/icons/sockscope.svg")));
    // Ties the window to resources/desktop's entry (its icon and name on Wayland docks and task bars).
    QGuiApplication::setDesktopFileName(QStringLiteral("org.sockscope.sockscope"));

    MainWindow window;
    window.show();
    if (!scenarioToRun.empty()) {
        const QString name = QString::fromStdString(scenarioToRun);
        // Once the window is complete, after its first frame: it is on screen while the lab starts.
        auto start = [&window, name] {
            if (isRunFile(name))
                openRunFile(window, name);
            else if (QFileInfo(name).isFile()) { // a .scn double-clicked in a file manager
                if (window.browser()->openFile(name))
                    window.runCurrent();
            } else if (!window.selectAndRun(name))
                QMessageBox::warning(&window, QObject::tr("sockscope"),
                                     QObject::tr("There is no built-in scenario named \"%1\".").arg(name));
        };
        if (window.isComplete())
            QTimer::singleShot(0, &window, start);
        else
            QObject::connect(&window, &MainWindow::completed, &window, start, Qt::QueuedConnection);
    }
    return QApplication::exec();
}

} // namespace sockscope::ui
