# SPDX-License-Identifier: GPL-3.0-or-later
# bash completion for sockscope(1): commands, options, option values, built-in scenario names and files by
# extension. One table row per command and per option with a value, as in `sockscope COMMAND --help`.

# Per command: its operands ("builtin" names, a file glob or "-" for none, "once" when it takes one at most),
# then after ":" its options.
declare -gA _sockscope_commands=(
    [open]="builtin @(scn|sockrun) once: --step --class --reveal --headless-export -q --quiet -h --help"
    [list]=": -h --help"
    [show]="builtin - once: -h --help"
    [run]="builtin scn once: --json --runs --host -q --quiet --color -h --help"
    [check]="builtin scn: --host -q --quiet -h --help"
    [export]="builtin @(scn|sockrun) once: -o --output --format --view --width --scale --theme --log --host -q --quiet --color -h --help"
)
# Per option with a value: its words, "file" for a path, or "" for a number (nothing to offer).
declare -gA _sockscope_values=(
    [-o]=file [--output]=file [--headless-export]=file
    [--format]="png svg pdf pcapng json txt mermaid plantuml run"
    [--view]="sequence timeline figure"
    [--theme]="light dark"
    [--color]="auto always never"
    [--runs]="" [--width]="" [--scale]=""
)

_sockscope()
{
    local cur prev words cword split
    _init_completion -s || return

    if [[ $cword -eq 1 ]]; then
        COMPREPLY=($(compgen -W "${!_sockscope_commands[*]} help --help --version" -- "$cur"))
        return
    fi
    local cmd=${words[1]}
    if [[ $cmd == help ]]; then
        [[ $cword -eq 2 ]] && COMPREPLY=($(compgen -W "${!_sockscope_commands[*]}" -- "$cur"))
        return
    fi
    [[ -v _sockscope_commands[$cmd] ]] || return
    local spec=${_sockscope_commands[$cmd]}

    if [[ -v _sockscope_values[$prev] ]]; then
        local values=${_sockscope_values[$prev]}
        if [[ $values == file ]]; then
            _filedir
        elif [[ -n $values ]]; then
            COMPREPLY=($(compgen -W "$values" -- "$cur"))
        fi
        return
    fi
    $split && return

    if [[ $cur == -* ]]; then
        COMPREPLY=($(compgen -W "${spec#*:}" -- "$cur"))
        [[ ${COMPREPLY-} == *= ]] && compopt -o nospace
        return
    fi
    local kind glob once
    read -r kind glob once <<<"${spec%%:*}"
    [[ -z $kind ]] && return
    if [[ $once == once ]]; then # one operand: none offered once it is there
        local i n=0
        for ((i = 2; i < cword; i++)); do
            [[ ${words[i]} == -* || -v _sockscope_values[${words[i - 1]}] ]] || ((n++))
        done
        ((n > 0)) && return
    fi
    COMPREPLY=($(compgen -W "$("${words[0]}" list 2>/dev/null | awk 'NR > 1 { print $1 }')" -- "$cur"))
    [[ $glob != - ]] && _filedir "$glob"
} &&
    complete -F _sockscope sockscope
