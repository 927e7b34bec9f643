// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/gui.h"

#include "ui/lessonstart.h"
#include "ui/mainwindow.h"

#include <QApplication>
#include <QMessageBox>
#include <QTimer>

namespace sockscope::ui {

int runGui(int argc, char **argv, const GuiStart &start)
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
    if (!start.scenario.empty() || start.classMode || start.reveal) {
        const LessonRequest request{QString::fromStdString(start.scenario), start.step, start.classMode, start.reveal};
        // Once the window is complete, after its first frame: it is on screen while the lab starts.
        auto begin = [&window, request] {
            if (const QString error = startLesson(window, request); !error.isEmpty())
                QMessageBox::warning(&window, QObject::tr("sockscope"), error);
        };
        if (window.isComplete())
            QTimer::singleShot(0, &window, begin);
        else
            QObject::connect(&window, &MainWindow::completed, &window, begin, Qt::QueuedConnection);
    }
    return QApplication::exec();
}

} // namespace sockscope::ui
