package deps

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// TestLockMissing: a requirement declared but not locked is what a stale
// lock leaves out of the image.
func TestLockMissing(t *testing.T) {
	for _, c := range []struct{ fixture, lock string }{
		{"uv-groups", "uv.lock"},
		{"poetry2-groups", "poetry.lock"},
		{"pipenv", "Pipfile.lock"},
	} {
		t.Run(c.fixture, func(t *testing.T) {
			dir := copyTestdata(t, c.fixture)
			plan, err := Detect(dir)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := os.Stat(filepath.Join(dir, c.lock)); err != nil {
				// pipenv lock, as far as this test cares: every declared package pinned.
				lock := map[string]map[string]any{"default": {}}
				for name := range plan.Declared {
					lock["default"][name] = map[string]string{"version": "==1.0"}
				}
				data, _ := json.Marshal(lock)
				write(t, dir, c.lock, string(data))
			}
			if lock, missing := plan.LockMissing(dir); lock != c.lock || len(missing) != 0 {
				t.Fatalf("fresh lock: %s misses %v", lock, missing)
			}
			t.Setenv("PATH", t.TempDir()) // edit the files, as without the tool
			if _, err := Add(dir, plan, []Requirement{{Name: "whitenoise", Why: "test"}}); err != nil {
				t.Fatal(err)
			}
			again, err := Detect(dir)
			if err != nil {
				t.Fatal(err)
			}
			if _, missing := again.LockMissing(dir); !slices.Equal(missing, []string{"whitenoise"}) {
				t.Errorf("stale lock: missing %v, want [whitenoise]", missing)
			}
		})
	}
}
