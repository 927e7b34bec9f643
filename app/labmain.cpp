// SPDX-License-Identifier: GPL-3.0-or-later
// sockscope-lab: the lab runner child process. It must stay single-threaded until labMain() has entered
// its private namespace, so it links core only and does nothing before that.
#include "core/lab.h"

int main() { return sockscope::core::labMain(); }
