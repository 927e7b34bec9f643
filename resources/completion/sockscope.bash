# SPDX-License-Identifier: GPL-3.0-or-later
# bash completion for sockscope(1): commands, options, built-in scenario names and files by extension.
_sockscope()
{
    local cur prev words cword
    _init_completion || return

    local commands="open list show run check export --help --version"
    if [[ $cword -eq 1 ]]; then
        COMPREPLY=($(compgen -W "$commands" -- "$cur"))
        return
    fi
    local builtins
    builtins=$("${words[0]}" list 2>/dev/null | awk 'NR > 1 { print $1 }')

    case $prev in
        -o | --output)
            _filedir
            return
            ;;
        --format)
            COMPREPLY=($(compgen -W "png svg pdf pcapng json txt mermaid plantuml run" -- "$cur"))
            return
            ;;
        --view)
            COMPREPLY=($(compgen -W "sequence timeline figure" -- "$cur"))
            return
            ;;
        --theme)
            COMPREPLY=($(compgen -W "light dark" -- "$cur"))
            return
            ;;
        --runs | --width | --scale)
            return
            ;;
    esac

    case ${words[1]} in
        show)
            [[ $cword -eq 2 ]] && COMPREPLY=($(compgen -W "$builtins" -- "$cur"))
            ;;
        list) ;;
        run)
            if [[ $cur == -* ]]; then
                COMPREPLY=($(compgen -W "--json --runs --host" -- "$cur"))
            else
                COMPREPLY=($(compgen -W "$builtins" -- "$cur"))
                _filedir scn
            fi
            ;;
        check)
            if [[ $cur == -* ]]; then
                COMPREPLY=($(compgen -W "--host" -- "$cur"))
            else
                COMPREPLY=($(compgen -W "$builtins" -- "$cur"))
                _filedir scn
            fi
            ;;
        export)
            if [[ $cur == -* ]]; then
                COMPREPLY=($(compgen -W "-o --output --format --view --width --scale --theme --log --host" -- "$cur"))
            else
                COMPREPLY=($(compgen -W "$builtins" -- "$cur"))
                _filedir '@(scn|sockrun)'
            fi
            ;;
        open)
            if [[ $cword -eq 2 ]]; then
                COMPREPLY=($(compgen -W "$builtins" -- "$cur"))
                _filedir '@(scn|sockrun)'
            fi
            ;;
    esac
} &&
    complete -F _sockscope sockscope
