// Command djangocdk puts a Django project on AWS: init, validate, synth,
// cost, diff, deploy, destroy and bootstrap. Run "djangocdk --help".
package main

import (
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/djangocdk/djangocdk/internal/cli"
	"github.com/djangocdk/djangocdk/internal/synth"
)

func main() {
	os.Exit(run())
}

// run executes the command line and returns the exit code. Whatever
// happens (an error, a panic, SIGINT or SIGTERM), the jsii runtime is
// closed before the process ends: the CDK packages' init functions have
// already extracted it into $TMPDIR/jsii-runtime.*, even for --help, and
// only jsii.Close removes that directory.
func run() int {
	start := time.Now()
	stop := closeOnSignal()
	defer stop()
	defer synth.Close() // runs on a panic too, before it is printed
	err := cli.Execute(os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	closing := time.Now()
	synth.Close()
	if os.Getenv("DJANGOCDK_PROFILE") != "" {
		fmt.Fprintf(os.Stderr, "profile: %6.3f s  jsii.Close (stop Node.js, remove the runtime's temporary directory)\n", time.Since(closing).Seconds())
		fmt.Fprintf(os.Stderr, "profile: %6.3f s  total from main (process start and package init come before: about 0.02 s)\n", time.Since(start).Seconds())
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "djangocdk:", err)
	}
	return cli.Code(err)
}

// abortTimeout bounds the clean-up after a signal.
const abortTimeout = 5 * time.Second

// closeOnSignal closes the jsii runtime and exits with 128+signal on SIGINT
// or SIGTERM (a child such as the AWS CDK CLI gets the terminal's SIGINT
// too). SIGPIPE is taken too, so that a closed stdout (djangocdk synth |
// head -1) makes writes fail instead of killing the process before it
// cleans up. The returned function stops listening.
func closeOnSignal() func() {
	signals := make(chan os.Signal, 2)
	signal.Notify(signals, os.Interrupt, syscall.SIGTERM, syscall.SIGPIPE)
	done := make(chan struct{})
	go func() {
		for {
			select {
			case sig := <-signals:
				if sig == syscall.SIGPIPE {
					continue
				}
				code := 130
				if sig == syscall.SIGTERM {
					code = 143
				}
				// A second signal, or a clean-up that hangs (Node.js stuck),
				// exits at once rather than leaving only SIGKILL.
				go func() {
					select {
					case <-signals:
					case <-time.After(abortTimeout):
					}
					os.Exit(code)
				}()
				synth.Abort()
				os.Exit(code)
			case <-done:
				return
			}
		}
	}()
	return func() {
		signal.Stop(signals)
		close(done)
	}
}
