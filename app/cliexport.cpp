// SPDX-License-Identifier: GPL-3.0-or-later
// sockscope export: placeholder until the exporters are wired in.
#include "app/cli.h"

namespace sockscope::app {

int cmdExport(const Args &) { return usageError("'export' is not available yet"); }

} // namespace sockscope::app
