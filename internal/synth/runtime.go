package synth

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"github.com/aws/jsii-runtime-go"
)

// The jsii runtime and this process.
//
// Every CDK Go package registers its types with jsii-runtime-go in its init
// function, and the first registration creates the runtime client: it
// extracts the embedded @jsii/runtime (about 2 MB) into a new
// $TMPDIR/jsii-runtime.* directory and prepares, but does not start, the
// Node.js process, with the environment this process has at that moment.
// Node.js starts on the first real call (awscdk.NewApp). The directory is
// removed only by jsii.Close, so every process that links the CDK, even one
// that only prints --help, must call Close before it exits.

// EnvValidation is the environment variable the CDK reads, in the Node.js
// process, to decide whether its built-in CloudFormation validation runs at
// synth ("false" turns it off; anything else, or unset, leaves it on).
const EnvValidation = "CDK_VALIDATION"

// started records that this process made a jsii call that starts Node.js.
var started atomic.Bool

// RuntimeStarted reports whether a synth in this process started the jsii
// runtime's Node.js process.
func RuntimeStarted() bool { return started.Load() }

// runtimeMu serializes restarts and Close.
var runtimeMu sync.Mutex

// validationOn is the CDK_VALIDATION decision of the current runtime
// client (nil: the one created at init, which saw the initial environment).
var validationOn *bool

// nodeSemiSpace caps V8's young generation of the jsii runtime's Node.js.
const nodeSemiSpace = "--max-semi-space-size=4"

// privateTmp is this process's own temporary directory for the runtime it
// starts (the Go side's jsii-runtime.* and Node.js's jsii-kernel-* and
// whatever the CDK writes to os.tmpdir()); Close removes it whole, so an
// interrupted Node.js leaves nothing behind either.
var privateTmp string

// prepareRuntime makes the jsii runtime that the next jsii call uses see
// CDK_VALIDATION as wanted and write its temporary files under privateTmp.
// The client copied this process's environment when it was created (at
// package init), so setting variables is not enough: the client is closed
// (cheap before Node.js started: the extracted files are removed) and the
// next jsii call creates one with the new environment. It returns whether it
// restarted, and a function to call once the synth is done, which gives the
// rest of this process (and the programs it runs) its TMPDIR back.
func prepareRuntime(on bool) (restarted bool, restore func(), err error) {
	runtimeMu.Lock()
	defer runtimeMu.Unlock()
	current := os.Getenv(EnvValidation) != "false"
	if validationOn != nil {
		current = *validationOn
	}
	tmp, hadTmp := os.LookupEnv("TMPDIR")
	nodeOptions, hadNodeOptions := os.LookupEnv("NODE_OPTIONS")
	restore = func() {
		if hadTmp {
			os.Setenv("TMPDIR", tmp)
		} else {
			os.Unsetenv("TMPDIR")
		}
		if !hadNodeOptions {
			os.Unsetenv("NODE_OPTIONS")
		} else {
			os.Setenv("NODE_OPTIONS", nodeOptions)
		}
	}
	if !hadNodeOptions {
		// A smaller young generation: about 25 MiB less resident memory
		// for the runtime at no measured time cost (docs/performance.md).
		os.Setenv("NODE_OPTIONS", nodeSemiSpace)
	}
	if current == on && privateTmp != "" {
		os.Setenv("TMPDIR", privateTmp)
		return false, restore, nil
	}
	if privateTmp == "" {
		dir, err := os.MkdirTemp("", "djangocdk-jsii-")
		if err != nil {
			return false, nil, fmt.Errorf("temporary directory for the jsii runtime: %w", err)
		}
		privateTmp = dir
	}
	value := "false"
	if on {
		value = "true"
	}
	os.Setenv(EnvValidation, value)
	closeRuntime()
	validationOn = &on
	os.Setenv("TMPDIR", privateTmp)
	return current != on, restore, nil
}

// Close stops the jsii runtime, if there is one, and removes its temporary
// files. Call it before the process exits, on every path (errors
// included), whether or not anything was synthesized: the runtime's files
// exist from package init on. A later jsii call starts a new runtime.
func Close() {
	runtimeMu.Lock()
	defer runtimeMu.Unlock()
	closeRuntime()
	if privateTmp != "" {
		if err := os.RemoveAll(privateTmp); err != nil {
			fmt.Fprintf(os.Stderr, "warning: could not remove %s: %v\n", privateTmp, err)
		}
		privateTmp = ""
	}
}

// Abort is Close for an interrupted process (SIGINT, SIGTERM): the runtime
// may be in the middle of a call, and what it and Node.js print while being
// torn down (a broken pipe's stack trace) is dropped. The process must exit
// right after.
func Abort() {
	if null, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0); err == nil {
		os.Stderr = null
	}
	Close()
}

// jsiiNoise is what jsii-runtime-go prints when two of its goroutines both
// wait for its Node.js process at exit and the second loses: harmless.
var jsiiNoise = []byte("Runtime process exited abnormally: waitid: no child processes")

// closeRuntime calls jsii.Close with stderr passed through a filter that
// drops exactly jsiiNoise.
func closeRuntime() {
	if !started.Load() {
		jsii.Close() // Node.js never ran: nothing to print, nothing to wait for
		return
	}
	defer started.Store(false)
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
		_, _ = stderr.Write(bytes.ReplaceAll(out, jsiiNoise, nil))
	}()
	jsii.Close()
	time.Sleep(20 * time.Millisecond) // the losing goroutine prints right after the process exits
	os.Stderr = stderr
	w.Close()
	<-done
	r.Close()
}

// clock records the phases of a synth.
type clock struct {
	last   time.Time
	phases []Phase
}

func newClock() *clock { return &clock{last: time.Now()} }

func (c *clock) lap(name string) {
	now := time.Now()
	c.phases = append(c.phases, Phase{Name: name, Seconds: now.Sub(c.last).Seconds()})
	c.last = now
}

// String formats a phase for a profile line.
func (p Phase) String() string { return fmt.Sprintf("%6.3f s  %s", p.Seconds, p.Name) }
