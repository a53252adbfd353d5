// Command contractjson prints the env contract (contract.go) as JSON, for the
// Python tests that check the settings helper against it.
package main

import (
	"encoding/json"
	"fmt"
	"os"

	"github.com/djangocdk/djangocdk"
)

func main() {
	out := map[string]any{
		"contract":  djangocdk.Contract,
		"knobs":     djangocdk.Knobs,
		"derived":   djangocdk.Derived,
		"processes": djangocdk.ContractProcesses,
	}
	enc := json.NewEncoder(os.Stdout)
	enc.SetIndent("", "  ")
	if err := enc.Encode(out); err != nil {
		fmt.Fprintln(os.Stderr, "contractjson:", err)
		os.Exit(1)
	}
}
