package synth

import (
	"os"
	"testing"
)

// TestMain closes the jsii runtime after the tests: the CDK packages' init
// functions extract it into the temporary directory even when no test
// synthesizes, and only Close removes it.
func TestMain(m *testing.M) {
	code := m.Run()
	Close()
	os.Exit(code)
}
