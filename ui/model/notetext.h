// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Brief: a scenario's summary, notes and step notes as paragraphs of whole sentences, and the caveat a step
// note gets when this run did not do what the note describes (a timing-dependent outcome).
// Thread-safety: pure functions over values.

#include "core/stream/event.h"

#include <QStringList>

#include <span>

namespace sockscope::ui {

// The note's lines joined into paragraphs: a line ends its paragraph only where it ends a sentence ('.', '?',
// '!'); a blank line always does. A line ending in ':' continues the sentence on the next line.
QStringList noteParagraphs(const QString &text);

// For a note that names a path of states ("FIN_WAIT_1 -> CLOSING -> TIME_WAIT"): a sentence saying which of
// them no socket entered in this run, or an empty string when every one was entered.
QString noteCaveat(std::span<const core::Event> events, const QString &note);

} // namespace sockscope::ui
