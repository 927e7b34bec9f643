#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Installs what sockscope needs to build, run and test on Debian 12, then configures and builds.
# Usage: scripts/setup.sh [build-dir]      (SOCKSCOPE_NO_INSTALL=1 skips the package step; SOCKSCOPE_EXTRA_PACKAGES
#        adds packages, e.g. scripts/bench.sh's strace, which the program itself never needs)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${1:-$here/build}"

packages=(build-essential cmake pkg-config nlohmann-json3-dev libgtest-dev
          qt6-base-dev qt6-charts-dev qt6-svg-dev libqt6opengl6-dev libqcustomplot-dev libgl-dev zlib1g-dev libnftables-dev
          xvfb xauth tshark iproute2 python3 fonts-dejavu-core poppler-utils clang-format
          desktop-file-utils appstream groff-base shared-mime-info libglib2.0-bin xdotool)
# shellcheck disable=SC2206 # a space-separated list on purpose
packages+=(${SOCKSCOPE_EXTRA_PACKAGES:-})

missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ] && [ -z "${SOCKSCOPE_NO_INSTALL:-}" ]; then
    echo "sockscope: installing ${missing[*]}" >&2
    sudo=""
    [ "$(id -u)" -ne 0 ] && sudo="sudo"
    export DEBIAN_FRONTEND=noninteractive
    # tshark asks whether non-root users may capture; the default (no) is what we want.
    echo "wireshark-common wireshark-common/install-setuid boolean false" | $sudo debconf-set-selections 2>/dev/null || true
    $sudo apt-get update -qq
    $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

cmake -S "$here" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" -j2
