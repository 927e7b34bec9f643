# Sourced by test_gnu.sh (not a test itself): the bash-completion functions sockscope.bash calls, reduced
# to what it needs, so the table can be tried without the bash-completion package. _filedir adds a marker
# ("<files:GLOB>") instead of listing files.
_init_completion()
{
    words=("${COMP_WORDS[@]}") cword=$COMP_CWORD cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD - 1]}
    split=false
    if [[ $1 == -s && $cur == --*=* ]]; then
        prev=${cur%%=*} cur=${cur#*=} split=true
    fi
}
_filedir() { COMPREPLY+=("<files:${1-}>"); }
compopt() { :; }
complete() { :; }
# comp WORD... : the completions offered for the last word, space-separated.
comp()
{
    COMP_WORDS=("$@") COMP_CWORD=$(($# - 1)) COMPREPLY=()
    _sockscope
    echo "${COMPREPLY[*]}"
}
