#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Installs what is missing, builds, and starts sockscope on a built-in scenario.
# With no display it runs the scenario headless and writes the figure to an image.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$here/scripts/setup.sh" "$here/build"
scenario="${1:-close-unread-data}"
exec "$here/build/app/sockscope" open "$scenario"
