# SPDX-License-Identifier: GPL-3.0-or-later
# Writes OUT: a C++ file holding every built-in scenario's text, so the CLI and the lab need no files at run time.
# Called as: cmake -DOUT=... -DDIR=... -P embed.cmake
file(GLOB files ${DIR}/*.scn)
list(SORT files)
set(body "// Generated from resources/scenarios by resources/embed.cmake. Do not edit.\n#include \"core/scenario/builtins.h\"\nnamespace sockscope::core {\nconst std::vector<BuiltinScenario> &builtinScenarios()\n{\n    static const std::vector<BuiltinScenario> list = {\n")
foreach(f ${files})
    get_filename_component(name ${f} NAME_WE)
    file(READ ${f} text)
    string(APPEND body "        {\"${name}\", R\"scn(${text})scn\"},\n")
endforeach()
string(APPEND body "    };\n    return list;\n}\n} // namespace sockscope::core\n")
file(WRITE ${OUT}.tmp "${body}")
execute_process(COMMAND ${CMAKE_COMMAND} -E copy_if_different ${OUT}.tmp ${OUT})
