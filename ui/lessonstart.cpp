// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/lessonstart.h"

#include "ui/export/exportactions.h"
#include "ui/mainwindow.h"
#include "ui/model/labworker.h"
#include "ui/panels/scenariobrowser.h"
#include "ui/teach/classmode.h"
#include "ui/teach/replaycontroller.h"
#include "ui/teach/teachactions.h"

#include <QAction>
#include <QCoreApplication>
#include <QFileInfo>

namespace sockscope::ui {

QString startLesson(MainWindow &window, const LessonRequest &request)
{
    auto tr = [](const char *text) { return QCoreApplication::translate("LessonStart", text); };
    window.ensureComplete();
    auto *teach = window.findChild<TeachActions *>();
    // The modes first: the run's first events already arrive in class mode, hidden by reveal.
    if (request.classMode && teach)
        teach->classMode()->setActive(true);
    if (request.reveal && teach && !teach->revealAction()->isChecked())
        teach->revealAction()->trigger();
    if (request.target.isEmpty())
        return {};
    if (isRunFile(request.target)) {
        QString error;
        return openRunFile(window, request.target, &error) ? QString() : error;
    }
    if (QFileInfo(request.target).isFile()) { // a .scn given on the command line or double-clicked
        QString errors;
        if (!window.browser()->openFile(request.target, &errors, true))
            return tr("%1 does not parse; nothing was run.\n%2").arg(request.target, errors);
    } else if (!window.browser()->select(request.target)) {
        return tr("There is no built-in scenario or scenario file named \"%1\".").arg(request.target);
    }
    const core::Scenario *scenario = window.browser()->current();
    if (!scenario || !window.labWorker()->start(*scenario, request.step))
        return tr("A run is still in progress.");
    return {};
}

} // namespace sockscope::ui
