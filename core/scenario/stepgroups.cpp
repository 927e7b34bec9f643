// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/scenario/stepgroups.h"

namespace sockscope::core {

std::size_t stepGroupFirst(const std::vector<Step> &steps, std::size_t i)
{
    while (i > 0 && steps[i - 1].together)
        --i;
    return i;
}

std::size_t stepGroupLast(const std::vector<Step> &steps, std::size_t i)
{
    while (i + 1 < steps.size() && steps[i].together)
        ++i;
    return i;
}

} // namespace sockscope::core
