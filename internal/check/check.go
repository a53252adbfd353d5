// Package check holds the small validation helpers the props of every
// construct share, so their messages read alike.
package check

import (
	"fmt"
	"slices"
	"strings"
)

// OneOf reports value when it is not among allowed, naming the field and
// what is allowed.
func OneOf[T ~string](field string, value T, allowed ...T) []string {
	if slices.Contains(allowed, value) {
		return nil
	}
	names := make([]string, len(allowed))
	for i, a := range allowed {
		names[i] = fmt.Sprintf("%q", a)
	}
	return []string{fmt.Sprintf("%s: %q is not allowed; allowed: %s", field, value, strings.Join(names, ", "))}
}

// Keys returns the keys of m, sorted.
func Keys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}
