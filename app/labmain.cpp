// SPDX-License-Identifier: GPL-3.0-or-later
// sockscope-lab: the lab runner child process. It must stay single-threaded until labMain() has entered
// its private namespace, so it links core only and does nothing before that.
#include "app/privilege.h"
#include "core/lab/lab.h"

#include <unistd.h>

int main()
{
    sockscope::app::refuseSetid("sockscope-lab");
    // Descriptors the parent left open would shift the scenario's fd numbers (and leak into the lab).
    ::close_range(3, ~0U, 0);
    return sockscope::core::labMain();
}
