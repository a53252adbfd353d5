package dockerfile

// EntrypointProblems reports an ENTRYPOINT that would swallow the commands
// a deployment gives the container (web, worker, beat and release each pass
// theirs): a shell-form ENTRYPOINT ignores them, and a script that never
// runs "$@" drops them.
func (img *Image) EntrypointProblems() []Problem {
	ep := img.Entrypoint
	if ep == nil {
		return nil
	}
	file := img.File
	if ep.File != "" {
		file = ep.File
	}
	if ep.Shell {
		return []Problem{{File: file, Line: ep.Line, Message: "the shell-form ENTRYPOINT ignores the container's command, so the worker, beat and release commands would never run; use the exec form, e.g. ENTRYPOINT [\"/entrypoint\"]"}}
	}
	for _, arg := range ep.Args {
		if s := img.Scripts[arg]; s != nil && !s.ExecsArgs {
			return []Problem{{File: s.Path, Line: s.Lines, Message: "the ENTRYPOINT script never runs its arguments, so the web, worker, beat and release commands would be ignored; end it with: exec \"$@\""}}
		}
	}
	return nil
}
