# bash completion for crm-backup, crm-restore and crm-schedule (installed
# under each of their names in /usr/share/bash-completion/completions/).
#
# The names come from the program's own --help, so completion cannot drift
# from what the program accepts: the subcommands, then the options of the
# subcommand typed so far and the common options. A value of an option
# (--store FILE) and every argument that is not an option complete as file
# names (complete -o default).

# Prints, one per line, the subcommands (what=Subcommands), the option names
# (what=Options) or the names of the options that take a value (what=Values)
# that `"$@" --help` lists. CLI11 lists each as an indented line whose first
# field is the name or the comma-separated flags, followed by the value's type
# in capitals when there is one ("-o,--output TEXT REQUIRED").
_crm_tools_help_words() {
  local what=$1
  shift
  "$@" --help 2>/dev/null | awk -v what="$what" '
    /^[^ ].*:$/ { inside = ($0 == (what == "Subcommands" ? "Subcommands:" : "Options:")); next }
    inside && /^  [^ ]/ {
      if (what == "Values" && $2 !~ /^[A-Z]+$/) next
      count = split($1, names, ",")
      for (i = 1; i <= count; i++)
        if (what == "Subcommands" || names[i] ~ /^-/) print names[i]
    }'
}

_crm_tools() {
  local tool=${COMP_WORDS[0]} current=${COMP_WORDS[COMP_CWORD]} previous=${COMP_WORDS[COMP_CWORD - 1]}
  local subcommands subcommand="" word
  subcommands=$(_crm_tools_help_words Subcommands "$tool")
  # The subcommand is the first word that names one: `--store x create`.
  for word in "${COMP_WORDS[@]:1:COMP_CWORD-1}"; do
    if grep -qxF -- "$word" <<<"$subcommands"; then
      subcommand=$word
      break
    fi
  done
  COMPREPLY=()
  if [[ $current == -* ]]; then
    local options
    options=$(_crm_tools_help_words Options "$tool")
    [[ -n $subcommand ]] && options+=$'\n'$(_crm_tools_help_words Options "$tool" "$subcommand")
    mapfile -t COMPREPLY < <(compgen -W "$options" -- "$current")
  elif [[ -z $subcommand ]] && ! grep -qxF -- "$previous" < <(_crm_tools_help_words Values "$tool"); then
    mapfile -t COMPREPLY < <(compgen -W "$subcommands" -- "$current")
  fi
}

complete -o default -F _crm_tools crm-backup crm-restore crm-schedule
