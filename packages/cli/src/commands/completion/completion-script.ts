/** Shell completion scripts (bash, zsh): the command names are written in; app names come from `dozen completion:apps` at each completion. */

export const SHELLS = ['bash', 'zsh'] as const;
export type Shell = (typeof SHELLS)[number];

export function completionScript(shell: Shell, commands: readonly string[]): string {
  const names = [...commands].sort().join(' ');
  return shell === 'bash' ? bashScript(names) : zshScript(names);
}

function bashScript(names: string): string {
  return `# dozen completion for bash: eval "$(dozen completion bash)" in ~/.bashrc
_dozen_commands='${names}'
_dozen() {
  local line="\${COMP_LINE:0:COMP_POINT}"
  local cur="\${line##*[[:space:]]}"
  local -a words=( $line )
  local count=\${#words[@]}
  [ -z "$cur" ] && count=$((count + 1))
  local prev="\${words[count-2]}"
  COMPREPLY=()
  case "$prev" in
    -a|--app) COMPREPLY=( $(compgen -W "$(dozen completion:apps 2>/dev/null)" -- "$cur") ); return 0 ;;
  esac
  if [ "$count" -eq 2 ]; then
    COMPREPLY=( $(compgen -W "$_dozen_commands" -- "$cur") )
    # bash splits words at ':' (COMP_WORDBREAKS): complete what follows the last one.
    if [[ "$cur" == *:* ]]; then
      local strip="\${cur%:*}:"
      COMPREPLY=( "\${COMPREPLY[@]#"$strip"}" )
    fi
  fi
  return 0
}
complete -o default -F _dozen dozen
`;
}

function zshScript(names: string): string {
  return `#compdef dozen
# dozen completion for zsh: eval "$(dozen completion zsh)" in ~/.zshrc (after compinit)
_dozen() {
  local -a commands apps
  commands=( ${names} )
  if (( CURRENT == 2 )); then
    compadd -a commands
    return
  fi
  case "\${words[CURRENT-1]}" in
    -a|--app)
      apps=( \${(f)"$(dozen completion:apps 2>/dev/null)"} )
      compadd -a apps
      return
      ;;
  esac
  _files
}
compdef _dozen dozen
`;
}
