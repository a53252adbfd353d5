// Command summarize prints the stacks of a cloud assembly and their
// resources by type: go run ./internal/tools/summarize cdk.out
package main

import (
	"fmt"
	"os"

	"github.com/djangocdk/djangocdk/internal/assembly"
)

func main() {
	dir := "cdk.out"
	if len(os.Args) > 1 {
		dir = os.Args[1]
	}
	stacks, err := assembly.Read(dir)
	if err != nil {
		fmt.Fprintln(os.Stderr, "summarize:", err)
		os.Exit(1)
	}
	assembly.Print(os.Stdout, stacks)
}
