// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Brief: writes a scenario's kernel settings ("sysctl:" lines) into /proc/sys/net of the lab's own network
// namespace, and reads each back. Only ever called once the lab is in its private namespace: these files are
// per network namespace, so the host's values never change.
// Thread-safety: call from the lab's main thread before the steps start.

#include "core/scenario/scenario.h"

#include <string>
#include <vector>

namespace sockscope::core {

// False with *error naming the setting when one cannot be written or reads back another value.
bool applyNamespaceSysctls(const std::vector<KernelSetting> &settings, std::string *error);

} // namespace sockscope::core
