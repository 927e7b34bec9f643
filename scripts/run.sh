#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Installs what is missing, builds, and starts sockscope on a built-in scenario.
# With no display it asks sockscope for the figure explicitly (--headless-export): the scenario runs headless
# and its figure is written to sockscope-NAME.png in the current directory (sockscope itself writes nothing
# unasked when there is no display).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$here/scripts/setup.sh" "$here/build"
scenario="${1:-close-unread-data}"
name="$(basename "$scenario" .scn)"
exec "$here/build/app/sockscope" open --headless-export "sockscope-$name.png" -- "$scenario"
