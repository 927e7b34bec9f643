// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Brief: which steps form an '&' group (released at the same moment): a step ending in '&' joins the next one.
// The lab's scheduler, the lab worker and the teaching status line all ask this.
// Thread-safety: pure functions over values.

#include "core/scenario/scenario.h"

#include <cstddef>
#include <vector>

namespace sockscope::core {

// The first and the last step of the group step i belongs to (i itself for a step without '&' on either side).
// A trailing '&' on the last step joins nothing. i must be < steps.size().
std::size_t stepGroupFirst(const std::vector<Step> &steps, std::size_t i);
std::size_t stepGroupLast(const std::vector<Step> &steps, std::size_t i);

} // namespace sockscope::core
