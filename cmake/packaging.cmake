# SPDX-License-Identifier: GPL-3.0-or-later
# CPack: a Debian package, sockscope_<version>_amd64.deb, built by scripts/package.sh and installed in a clean
# Debian 12 chroot by scripts/test-package.sh.
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME sockscope)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT "sockscope maintainers <maintainers@sockscope.org>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "see what the Linux kernel does with a TCP connection")
set(CPACK_PACKAGE_DESCRIPTION
    "sockscope runs small TCP client/server scenarios on the real Linux kernel, on\n"
    "loopback in a private user and network namespace (no root needed), and shows\n"
    "on one time axis every system call with its return value and errno, signals\n"
    "such as SIGPIPE, every segment on the wire and the TCP state of every socket.\n"
    "It draws them as a sequence diagram and state timelines, live or step by step,\n"
    "and exports figures (PNG, SVG, PDF), pcapng, Mermaid and PlantUML.")
string(REPLACE ";" "" CPACK_PACKAGE_DESCRIPTION "${CPACK_PACKAGE_DESCRIPTION}")
set(CPACK_RESOURCE_FILE_LICENSE ${CMAKE_SOURCE_DIR}/COPYING)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
# The package installs what was built (scripts/package.sh builds the program first), not the whole tree
# with its tests.
set(CMAKE_SKIP_INSTALL_ALL_DEPENDENCY ON)

set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT) # sockscope_<version>_<arch>.deb
set(CPACK_DEBIAN_PACKAGE_RELEASE "")
set(CPACK_DEBIAN_PACKAGE_SECTION net)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_COMPRESSION_TYPE xz)
# The Qt platform plugins (xcb for the window, offscreen for exports without a display) are loaded at run
# time, so no ELF file names them.
set(CPACK_DEBIAN_PACKAGE_DEPENDS "qt6-qpa-plugins")
find_program(SOCKSCOPE_DPKG_SHLIBDEPS dpkg-shlibdeps)
if(SOCKSCOPE_DPKG_SHLIBDEPS)
    set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON) # libqt6*6, libqcustomplot2.1-qt6, libstdc++6, ... from the ELF files
else()
    string(APPEND CPACK_DEBIAN_PACKAGE_DEPENDS ", libqt6core6, libqt6gui6, libqt6widgets6, libqt6svg6, "
           "libqt6charts6, libqt6printsupport6, libqcustomplot2.1-qt6, libnftables1, libstdc++6, libc6")
endif()
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "fonts-dejavu-core")
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "wireshark | tshark")
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
include(CPack)
