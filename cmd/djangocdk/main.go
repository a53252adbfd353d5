// Command djangocdk puts a Django project on AWS: init, validate, synth,
// cost, diff, deploy, destroy and bootstrap. Run "djangocdk --help".
package main

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/aws/jsii-runtime-go"
	"github.com/djangocdk/djangocdk/internal/cli"
	"github.com/djangocdk/djangocdk/internal/synth"
)

func main() {
	err := cli.Execute(os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	if synth.RuntimeStarted() {
		closeJSII()
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "djangocdk:", err)
	}
	os.Exit(cli.Code(err))
}

// jsiiNoise is what jsii-runtime-go prints when two of its goroutines both
// wait for its Node.js process at exit and the second loses: harmless.
var jsiiNoise = []byte("Runtime process exited abnormally: waitid: no child processes")

// closeJSII stops the jsii runtime (removing its temporary files) with
// stderr passed through a filter that drops exactly jsiiNoise.
func closeJSII() {
	r, w, err := os.Pipe()
	if err != nil {
		jsii.Close()
		return
	}
	stderr := os.Stderr
	os.Stderr = w
	done := make(chan struct{})
	go func() {
		defer close(done)
		out, _ := io.ReadAll(r)
		if _, err := stderr.Write(bytes.ReplaceAll(out, jsiiNoise, nil)); err != nil {
			return
		}
	}()
	jsii.Close()
	time.Sleep(20 * time.Millisecond) // the losing goroutine prints right after the process exits
	os.Stderr = stderr
	w.Close()
	<-done
}
