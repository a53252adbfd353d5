// Command djangocdk puts a Django project on AWS: init, validate, synth,
// cost, diff, deploy and destroy. Run "djangocdk --help".
package main

import (
	"fmt"
	"os"

	"github.com/aws/jsii-runtime-go"
	"github.com/djangocdk/djangocdk/internal/cli"
)

func main() {
	err := cli.Execute(os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	jsii.Close()
	if err != nil {
		fmt.Fprintln(os.Stderr, "djangocdk:", err)
	}
	os.Exit(cli.Code(err))
}
