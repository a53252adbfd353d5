// Package snapshot compares synthesized CloudFormation templates with
// recorded ones, ignoring what may change without moving a resource: CDK
// metadata and content hashes of assets. It guards the logical IDs and
// properties of every resource (the template-identity tests).
package snapshot

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
)

// hash matches asset hashes (64 hex digits), which change with any file of
// the project or of an asset without moving a resource.
var hash = regexp.MustCompile(`[0-9a-f]{64}`)

// Normalize returns the template without CDK metadata (resource Metadata,
// the CDKMetadata resource and its condition) and with asset hashes
// replaced by a placeholder, as indented JSON.
func Normalize(body []byte) ([]byte, error) {
	var t map[string]any
	if err := json.Unmarshal([]byte(hash.ReplaceAllString(string(body), "ASSET-HASH")), &t); err != nil {
		return nil, fmt.Errorf("parse template: %w", err)
	}
	if res, ok := t["Resources"].(map[string]any); ok {
		delete(res, "CDKMetadata")
		for _, r := range res {
			if m, ok := r.(map[string]any); ok {
				delete(m, "Metadata")
			}
		}
	}
	if conds, ok := t["Conditions"].(map[string]any); ok {
		delete(conds, "CDKMetadataAvailable")
		if len(conds) == 0 {
			delete(t, "Conditions")
		}
	}
	return json.MarshalIndent(t, "", " ")
}

// Compare checks a synthesized template against the recorded file, or
// rewrites the file when update is set. The error lists the differences by
// JSON path, readable without a diff tool.
func Compare(file string, body []byte, update bool) error {
	got, err := Normalize(body)
	if err != nil {
		return err
	}
	if update {
		if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
			return fmt.Errorf("record %s: %w", file, err)
		}
		return os.WriteFile(file, append(got, '\n'), 0o644)
	}
	recorded, err := os.ReadFile(file)
	if err != nil {
		return fmt.Errorf("read the recorded template (run the test with -update to record it): %w", err)
	}
	var want, have any
	if err := json.Unmarshal(recorded, &want); err != nil {
		return fmt.Errorf("parse %s: %w", file, err)
	}
	if err := json.Unmarshal(got, &have); err != nil {
		return err
	}
	diffs := Diff("", want, have)
	if len(diffs) == 0 {
		return nil
	}
	const most = 40
	more := ""
	if len(diffs) > most {
		more = fmt.Sprintf("\n  ... and %d more", len(diffs)-most)
		diffs = diffs[:most]
	}
	return fmt.Errorf("%s: the template moved (%d differences; run with -update only if the change is intended):\n  %s%s",
		file, len(diffs), strings.Join(diffs, "\n  "), more)
}

// Diff lists the paths where two decoded JSON values differ.
func Diff(path string, want, have any) []string {
	switch w := want.(type) {
	case map[string]any:
		h, ok := have.(map[string]any)
		if !ok {
			return []string{fmt.Sprintf("%s: was an object, now %s", label(path), short(have))}
		}
		var out []string
		for _, k := range sortedKeys(w, h) {
			wv, inW := w[k]
			hv, inH := h[k]
			switch {
			case !inH:
				out = append(out, fmt.Sprintf("%s: removed (was %s)", path+"/"+k, short(wv)))
			case !inW:
				out = append(out, fmt.Sprintf("%s: added (%s)", path+"/"+k, short(hv)))
			default:
				out = append(out, Diff(path+"/"+k, wv, hv)...)
			}
		}
		return out
	case []any:
		h, ok := have.([]any)
		if !ok || len(h) != len(w) {
			return []string{fmt.Sprintf("%s: was %s, now %s", label(path), short(want), short(have))}
		}
		var out []string
		for i := range w {
			out = append(out, Diff(fmt.Sprintf("%s[%d]", path, i), w[i], h[i])...)
		}
		return out
	default:
		if fmt.Sprint(want) != fmt.Sprint(have) || fmt.Sprintf("%T", want) != fmt.Sprintf("%T", have) {
			return []string{fmt.Sprintf("%s: was %s, now %s", label(path), short(want), short(have))}
		}
		return nil
	}
}

func label(path string) string {
	if path == "" {
		return "/"
	}
	return path
}

func short(v any) string {
	b, _ := json.Marshal(v)
	if len(b) > 120 {
		return string(b[:117]) + "..."
	}
	return string(b)
}

func sortedKeys(a, b map[string]any) []string {
	seen := map[string]bool{}
	var keys []string
	for _, m := range []map[string]any{a, b} {
		for k := range m {
			if !seen[k] {
				seen[k] = true
				keys = append(keys, k)
			}
		}
	}
	sort.Strings(keys)
	return keys
}
