// The completion scripts. Each asks `tkt completion __complete -- <words up to the cursor>` and
// offers its lines in the order given (ticket keys most recent first).

export type Shell = 'bash' | 'zsh' | 'fish';

const BASH = `# tkt completion for bash. Install:
#   tkt completion bash > ~/.local/share/bash-completion/completions/tkt
# or add to ~/.bashrc:  source <(tkt completion bash)
_tkt_completion() {
  local IFS=$'\\n'
  COMPREPLY=($(tkt completion __complete -- "\${COMP_WORDS[@]:1:COMP_CWORD}" 2>/dev/null))
}
complete -o default -o nosort -F _tkt_completion tkt 2>/dev/null || complete -o default -F _tkt_completion tkt
`;

const ZSH = `#compdef tkt
# tkt completion for zsh. Install:
#   tkt completion zsh > "\${fpath[1]}/_tkt"   (a folder in $fpath; then restart zsh)
# or add to ~/.zshrc after compinit:  source <(tkt completion zsh)
_tkt() {
  local -a candidates
  candidates=("\${(@f)$(tkt completion __complete -- "\${(@)words[2,CURRENT]}" 2>/dev/null)}")
  candidates=(\${candidates:#})
  if (( \${#candidates} )); then
    compadd -V tkt -- "\${candidates[@]}"
  else
    _files
  fi
}
if [[ \${zsh_eval_context[-1]} == loadautofunc ]]; then
  _tkt "$@"
else
  compdef _tkt tkt
fi
`;

const FISH = `# tkt completion for fish. Install:
#   tkt completion fish > ~/.config/fish/completions/tkt.fish
function __tkt_complete
    set -l words (commandline -opc) (commandline -ct)
    tkt completion __complete -- $words[2..-1] 2>/dev/null
end
complete -c tkt -f -k -a '(__tkt_complete)'
`;

export const SCRIPTS: Record<Shell, string> = { bash: BASH, zsh: ZSH, fish: FISH };
