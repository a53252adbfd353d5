package deploy

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/djangocdk/djangocdk/internal/assembly"
)

// Runner prepares and executes a stack's change set (the CDK CLI).
type Runner interface {
	// Prepare creates the named change set of stack from the assembly in
	// dir, publishing its assets, without executing it.
	Prepare(ctx context.Context, dir, stack, changeSet string) error
	// Execute executes the prepared change set, streaming stack events, and
	// fails with the failing events' reasons.
	Execute(ctx context.Context, dir, stack, changeSet string) error
}

// CDKRunner is the Runner of the CDK CLI: `cdk deploy STACK --exclusively
// --method=prepare-change-set`, then `--method=execute-change-set`, both
// with `--progress events`.
type CDKRunner struct {
	// CDK is the pinned CLI.
	CDK *CDK
	// Approval is the --require-approval level asked when the change set is
	// prepared ("broadening" or "never").
	Approval string
	// Stdin, Stdout and Stderr are the CLI's streams.
	Stdin          io.Reader
	Stdout, Stderr io.Writer
}

// Prepare implements Runner.
func (r *CDKRunner) Prepare(ctx context.Context, dir, stack, name string) error {
	return r.CDK.Run(ctx, dir, r.Stdin, r.Stdout, r.Stderr, "deploy", stack, "--exclusively",
		"--method=prepare-change-set", "--change-set-name", name, "--require-approval", r.Approval, "--progress", "events")
}

// Execute implements Runner.
func (r *CDKRunner) Execute(ctx context.Context, dir, stack, name string) error {
	return r.CDK.Run(ctx, dir, r.Stdin, r.Stdout, r.Stderr, "deploy", stack, "--exclusively",
		"--method=execute-change-set", "--change-set-name", name, "--require-approval", "never", "--progress", "events")
}

// Request is one `djangocdk deploy`.
type Request struct {
	// DataStack and AppStack are the stack names.
	DataStack, AppStack string
	// Outdir is the assembly of the new configuration.
	Outdir string
	// Allow names the stateful resources that may be replaced or removed.
	Allow []string
	// CFN reads stacks and change sets.
	CFN CloudFormationAPI
	// Run prepares and executes change sets.
	Run Runner
	// Log receives the plan and the analysis.
	Log io.Writer
}

// prepared is a change set created for one step.
type prepared struct {
	name  string
	set   *ChangeSet
	risks []Risk
}

// Deploy deploys both stacks in the order PlanOrder decides. Every change set
// is inspected before it runs: replacing or removing a stateful resource
// that Allow does not name deletes the change set and returns a
// *RefusedError. The change sets of the steps that can be prepared up front
// (every step before the app stack needs a new export) are all inspected
// before the first one runs, so a refusal there changes nothing.
func Deploy(ctx context.Context, req Request) error {
	templates, err := assembly.Templates(req.Outdir)
	if err != nil {
		return err
	}
	next := Exports{Data: map[string]string{}}
	for _, t := range templates {
		switch t.Stack {
		case req.DataStack:
			if next.Data, err = TemplateExports(t.Body); err != nil {
				return fmt.Errorf("template of %s: %w", t.Stack, err)
			}
		case req.AppStack:
			if next.AppImports, err = TemplateImports(t.Body); err != nil {
				return fmt.Errorf("template of %s: %w", t.Stack, err)
			}
		}
	}
	deployed, err := ReadDeployed(ctx, req.CFN, req.DataStack, req.AppStack)
	if err != nil {
		return err
	}
	plan := PlanOrder(deployed.Exports, next)
	if err := plan.Check(deployed.Exports, next); err != nil {
		return fmt.Errorf("plan the deploy order: %w", err)
	}
	dirs := make([]string, len(plan.Steps))
	names := make([]string, len(plan.Steps))
	order := ""
	for i, s := range plan.Steps {
		dirs[i], names[i] = req.Outdir, req.stackName(s.Stack)
		if len(s.KeepExports) > 0 {
			if dirs[i], err = BridgeAssembly(req.Outdir, req.DataStack, deployed.Templates[req.DataStack]); err != nil {
				return fmt.Errorf("the data stack's first step: %w", err)
			}
		}
		if i > 0 {
			order += ", then "
		}
		order += names[i]
	}
	fmt.Fprintf(req.Log, "Deploy order: %s (%s).\n", order, plan.Why)

	// Phase 1: prepare and inspect what can be prepared before anything runs.
	done := map[int]*prepared{}
	seen := map[string]bool{}
	var refused []Risk
	// A three-step plan removes only in its last step, after the app moved:
	// preview that step's change set against the deployed stack now, so a
	// refusal still changes nothing.
	if len(plan.Steps) == 3 && len(plan.Steps[0].KeepExports) > 0 {
		p, err := req.prepare(ctx, req.Outdir, req.DataStack, deployed)
		if err != nil {
			return wrapStep(DataStep, err)
		}
		if p.set.Exists {
			_ = DeleteChangeSet(ctx, req.CFN, req.DataStack, p.name)
		}
		refused = append(refused, Disallowed(p.risks, req.Allow)...)
	}
	for i, s := range plan.Steps {
		if seen[s.Stack] || (s.Stack == AppStep && !subset(next.AppImports, deployed.Exports)) {
			break
		}
		seen[s.Stack] = true
		p, err := req.prepare(ctx, dirs[i], names[i], deployed)
		if err != nil {
			req.cleanup(ctx, names, done)
			return wrapStep(s.Stack, err)
		}
		done[i] = p
		refused = append(refused, Disallowed(p.risks, req.Allow)...)
	}
	if len(refused) > 0 {
		req.cleanup(ctx, names, done)
		return &RefusedError{Risks: refused}
	}

	// Phase 2: run the steps in order, preparing the rest when their turn comes.
	var deployedNow []string
	for i, s := range plan.Steps {
		p := done[i]
		if p == nil {
			if p, err = req.prepare(ctx, dirs[i], names[i], deployed); err != nil {
				return wrapStep(s.Stack, err)
			}
			if bad := Disallowed(p.risks, req.Allow); len(bad) > 0 {
				_ = DeleteChangeSet(ctx, req.CFN, names[i], p.name)
				return &RefusedError{Risks: bad, Deployed: deployedNow}
			}
		}
		if allowed := p.risks; len(allowed) > 0 {
			fmt.Fprintf(req.Log, "Allowed by %s:\n", AllowFlag)
			WriteRisks(req.Log, allowed)
		}
		if p.set.Empty {
			fmt.Fprintf(req.Log, "%s: no changes.\n", names[i])
			if p.set.Exists {
				_ = DeleteChangeSet(ctx, req.CFN, names[i], p.name)
			}
			continue
		}
		if err := req.Run.Execute(ctx, dirs[i], names[i], p.name); err != nil {
			return wrapStep(s.Stack, err)
		}
		deployedNow = append(deployedNow, names[i])
	}
	return nil
}

func (req Request) stackName(step string) string {
	if step == DataStep {
		return req.DataStack
	}
	return req.AppStack
}

func wrapStep(step string, err error) error {
	return fmt.Errorf("deploy %s stack: %w", step, err)
}

// subset reports whether every import exists in the deployed data stack.
func subset(imports []string, deployed Exports) bool {
	if !deployed.DataExists {
		return len(imports) == 0
	}
	for _, name := range imports {
		if _, ok := deployed.Data[name]; !ok {
			return false
		}
	}
	return true
}

// prepare creates, describes and analyzes the change set of one stack.
func (req Request) prepare(ctx context.Context, dir, stack string, deployed *Deployed) (*prepared, error) {
	name := ChangeSetName(stack)
	if err := req.Run.Prepare(ctx, dir, stack, name); err != nil {
		return nil, err
	}
	set, err := DescribeChangeSet(ctx, req.CFN, stack, name)
	if err != nil {
		return nil, err
	}
	known := map[string]Resource{}
	if body, ok := deployed.Templates[stack]; ok {
		if known, err = TemplateResources(body); err != nil {
			known = map[string]Resource{}
		}
	}
	if paths, err := assembly.LogicalPaths(dir, stack); err == nil {
		for id, path := range paths {
			r := known[id]
			r.Path = path
			known[id] = r
		}
	}
	return &prepared{name: name, set: set, risks: AnalyzeChangeSet(stack, set.Changes, known)}, nil
}

// cleanup deletes the change sets prepared so far.
func (req Request) cleanup(ctx context.Context, names []string, done map[int]*prepared) {
	for i, p := range done {
		if p.set.Exists {
			if err := DeleteChangeSet(ctx, req.CFN, names[i], p.name); err != nil {
				fmt.Fprintf(req.Log, "warning: %v\n", err)
			}
		}
	}
}

// ChangeSetName is a fresh change set name for a stack: djangocdk-<8 hex>.
func ChangeSetName(stack string) string {
	sum := sha256.Sum256([]byte(stack + strconv.FormatInt(time.Now().UnixNano(), 10)))
	return "djangocdk-" + hex.EncodeToString(sum[:4])
}
