// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Brief: the thread-affinity check of the window's objects, kept in release builds (Q_ASSERT compiles to nothing
// there, and a model touched from the lab's thread corrupts the run on show without a trace): a call from a
// thread that does not own the object ends the program with the function's name.
// Thread-safety: callable from any thread (it only compares thread pointers).

#include <QObject>
#include <QThread>

namespace sockscope::ui {

inline void requireOwnThread(const QObject *object, const char *function)
{
    if (QThread::currentThread() != object->thread())
        qFatal("%s was called from a thread that does not own the object", function);
}

} // namespace sockscope::ui

// In a member function of a QObject: the caller must be on the object's thread.
#define SOCKSCOPE_REQUIRE_OWN_THREAD() ::sockscope::ui::requireOwnThread(this, Q_FUNC_INFO)
