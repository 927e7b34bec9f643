// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/model/notetext.h"

#include <QCoreApplication>
#include <QRegularExpression>

#include <algorithm>

namespace sockscope::ui {

QStringList noteParagraphs(const QString &text)
{
    QStringList paras;
    QString current;
    for (const QString &raw : text.split(QLatin1Char('\n'))) {
        const QString line = raw.trimmed();
        if (line.isEmpty()) {
            if (!current.isEmpty())
                paras << current;
            current.clear();
            continue;
        }
        current += (current.isEmpty() ? QString() : QStringLiteral(" ")) + line;
        if (line.endsWith(QLatin1Char('.')) || line.endsWith(QLatin1Char('?')) || line.endsWith(QLatin1Char('!'))) {
            paras << current;
            current.clear();
        }
    }
    if (!current.isEmpty())
        paras << current;
    return paras;
}

QString noteCaveat(std::span<const core::Event> events, const QString &note)
{
    // The states of an arrow path: "A -> B -> C" names A, B and C.
    static const QRegularExpression path(QStringLiteral("[A-Z][A-Z_0-9]+(?:\\s*->\\s*[A-Z][A-Z_0-9]+)+"));
    QStringList named;
    for (auto it = path.globalMatch(note); it.hasNext();)
        for (const QString &part : it.next().captured(0).split(QStringLiteral("->"))) {
            const QString name = part.trimmed();
            if (core::stateFromName(name.toStdString()) && !named.contains(name))
                named << name;
        }
    QStringList missing;
    for (const QString &name : std::as_const(named)) {
        const auto state = core::stateFromName(name.toStdString());
        const bool entered = std::any_of(events.begin(), events.end(), [&](const core::Event &e) {
            const auto *s = e.as<core::StateInfo>();
            return s && (s->to == *state || s->from == *state);
        });
        if (!entered)
            missing << name;
    }
    if (missing.isEmpty())
        return {};
    return QCoreApplication::translate("NoteText", "Not in this run: no socket entered %1 (the outcome depends on "
                                                   "timing; see the notes).")
        .arg(missing.join(QStringLiteral(", ")));
}

} // namespace sockscope::ui
