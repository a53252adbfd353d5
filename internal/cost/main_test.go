package cost_test

import (
	"os"
	"testing"

	"github.com/djangocdk/djangocdk/internal/synth"
)

// TestMain closes the jsii runtime after the tests, so its extracted copy in
// the temporary directory is removed.
func TestMain(m *testing.M) {
	code := m.Run()
	synth.Close()
	os.Exit(code)
}
