package dockerfile

// ProblemsOf returns the image's problems of the given kinds.
func (img *Image) ProblemsOf(kinds ...ProblemKind) []Problem {
	var out []Problem
	for _, p := range img.Problems {
		for _, k := range kinds {
			if p.Kind == k {
				out = append(out, p)
			}
		}
	}
	return out
}
