package deploy_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
	"github.com/aws/smithy-go"
	"github.com/djangocdk/djangocdk/internal/deploy"
)

// cloud simulates the CloudFormation rules this deploy is about, over real
// synthesized templates: a change set is computed from the deployed and new
// resources (Add / Remove / Modify with replacement when a
// replacement-causing property changed); creating a change set fails when
// the template imports an export that does not exist; executing fails when
// it deletes, or changes the value of, an export another stack imports.
type cloud struct {
	templates map[string][]byte            // deployed templates by stack
	outputs   map[string]map[string]string // deployed export values by stack
	pending   map[string][]types.Change    // change set name -> changes
	log       []string
}

type apiError struct{ code, msg string }

func (e *apiError) Error() string                 { return e.code + ": " + e.msg }
func (e *apiError) ErrorCode() string             { return e.code }
func (e *apiError) ErrorMessage() string          { return e.msg }
func (e *apiError) ErrorFault() smithy.ErrorFault { return smithy.FaultClient }

func template(t *testing.T, dir, stack string) []byte {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(dir, stack+".template.json"))
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

// exportValues are a template's exports with the values CloudFormation
// would resolve: literal values as written, others a stand-in per name.
func exportValues(body []byte) map[string]string {
	var tpl struct {
		Outputs map[string]struct {
			Value  any
			Export *struct{ Name string }
		}
	}
	_ = json.Unmarshal(body, &tpl)
	out := map[string]string{}
	for _, o := range tpl.Outputs {
		if o.Export == nil {
			continue
		}
		if s, ok := o.Value.(string); ok {
			out[o.Export.Name] = s
		} else {
			out[o.Export.Name] = "value-of-" + o.Export.Name
		}
	}
	return out
}

func (c *cloud) exported() map[string]string {
	all := map[string]string{}
	for _, m := range c.outputs {
		for k, v := range m {
			all[k] = v
		}
	}
	return all
}

func (c *cloud) DescribeStacks(_ context.Context, in *cloudformation.DescribeStacksInput, _ ...func(*cloudformation.Options)) (*cloudformation.DescribeStacksOutput, error) {
	name := *in.StackName
	if _, ok := c.templates[name]; !ok {
		return nil, &apiError{"ValidationError", "Stack with id " + name + " does not exist"}
	}
	s := types.Stack{StackName: aws.String(name), StackStatus: types.StackStatusUpdateComplete}
	for k, v := range c.outputs[name] {
		s.Outputs = append(s.Outputs, types.Output{ExportName: aws.String(k), OutputValue: aws.String(v)})
	}
	return &cloudformation.DescribeStacksOutput{Stacks: []types.Stack{s}}, nil
}

func (c *cloud) GetTemplate(_ context.Context, in *cloudformation.GetTemplateInput, _ ...func(*cloudformation.Options)) (*cloudformation.GetTemplateOutput, error) {
	return &cloudformation.GetTemplateOutput{TemplateBody: aws.String(string(c.templates[*in.StackName]))}, nil
}

func (c *cloud) DescribeChangeSet(_ context.Context, in *cloudformation.DescribeChangeSetInput, _ ...func(*cloudformation.Options)) (*cloudformation.DescribeChangeSetOutput, error) {
	changes, ok := c.pending[*in.ChangeSetName]
	if !ok {
		return nil, &types.ChangeSetNotFoundException{Message: aws.String("ChangeSet [" + *in.ChangeSetName + "] does not exist")}
	}
	return &cloudformation.DescribeChangeSetOutput{ChangeSetName: in.ChangeSetName, StackName: in.StackName,
		Status: types.ChangeSetStatusCreateComplete, ExecutionStatus: types.ExecutionStatusAvailable, Changes: changes}, nil
}

func (c *cloud) DeleteChangeSet(_ context.Context, in *cloudformation.DeleteChangeSetInput, _ ...func(*cloudformation.Options)) (*cloudformation.DeleteChangeSetOutput, error) {
	delete(c.pending, *in.ChangeSetName)
	c.log = append(c.log, "delete "+*in.StackName)
	return &cloudformation.DeleteChangeSetOutput{}, nil
}

// Prepare is the CDK CLI's prepare-change-set on this cloud.
func (c *cloud) Prepare(_ context.Context, dir, stack, name string) error {
	next, err := os.ReadFile(filepath.Join(dir, stack+".template.json"))
	if err != nil {
		return err
	}
	imports, _ := deploy.TemplateImports(next)
	for _, imp := range imports {
		if _, ok := c.exported()[imp]; !ok {
			return fmt.Errorf("change set failed: No export named %s found", imp)
		}
	}
	old := c.templates[stack]
	if old == nil {
		old = []byte(`{"Resources": {}}`)
	}
	before, _ := deploy.TemplateResources(old)
	after, _ := deploy.TemplateResources(next)
	risks, _ := deploy.StaticRisks(stack, old, next, nil)
	var changes []types.Change
	for _, r := range risks {
		rc := &types.ResourceChange{LogicalResourceId: aws.String(r.LogicalID), ResourceType: aws.String(r.Type), Action: types.ChangeActionModify, Replacement: types.ReplacementTrue}
		if r.Action == "Remove" {
			rc.Action, rc.Replacement = types.ChangeActionRemove, ""
		}
		changes = append(changes, types.Change{Type: types.ChangeTypeResource, ResourceChange: rc})
	}
	for id, r := range after {
		if _, ok := before[id]; !ok {
			changes = append(changes, types.Change{Type: types.ChangeTypeResource, ResourceChange: &types.ResourceChange{
				LogicalResourceId: aws.String(id), ResourceType: aws.String(r.Type), Action: types.ChangeActionAdd}})
		}
	}
	if string(old) != string(next) && len(changes) == 0 { // outputs or properties only
		changes = append(changes, types.Change{Type: types.ChangeTypeResource, ResourceChange: &types.ResourceChange{
			LogicalResourceId: aws.String("CDKMetadata"), ResourceType: aws.String("AWS::CDK::Metadata"), Action: types.ChangeActionModify, Replacement: types.ReplacementFalse}})
	}
	c.pending[name] = changes
	c.log = append(c.log, "prepare "+stack)
	return nil
}

// Execute is the CDK CLI's execute-change-set on this cloud.
func (c *cloud) Execute(_ context.Context, dir, stack, name string) error {
	if _, ok := c.pending[name]; !ok {
		return fmt.Errorf("no change set %s", name)
	}
	delete(c.pending, name)
	next, _ := os.ReadFile(filepath.Join(dir, stack+".template.json"))
	values := exportValues(next)
	for other, body := range c.templates {
		if other == stack {
			continue
		}
		imports, _ := deploy.TemplateImports(body)
		for _, imp := range imports {
			old, mine := c.outputs[stack][imp]
			if !mine {
				continue
			}
			if v, ok := values[imp]; !ok {
				return fmt.Errorf("%s UPDATE_ROLLBACK_COMPLETE: Cannot delete export %s as it is in use by %s", stack, imp, other)
			} else if v != old {
				return fmt.Errorf("%s UPDATE_ROLLBACK_COMPLETE: Cannot update export %s as it is in use by %s", stack, imp, other)
			}
		}
	}
	// A resource behind an export the other stack still imports cannot be
	// deleted either (a security group its rules reference, a cache its
	// tasks use): CloudFormation fails with a dependency violation.
	if err := inUseDeleted(stack, c.templates, next); err != nil {
		return err
	}
	c.templates[stack], c.outputs[stack] = next, values
	c.log = append(c.log, "execute "+stack)
	return nil
}

// inUseDeleted reports a resource the new template of stack drops while an
// export it backs is still imported by another stack.
func inUseDeleted(stack string, templates map[string][]byte, next []byte) error {
	var old, cur struct {
		Resources map[string]any
		Outputs   map[string]struct {
			Value  any
			Export struct{ Name string }
		}
	}
	_ = json.Unmarshal(templates[stack], &old)
	_ = json.Unmarshal(next, &cur)
	for other, body := range templates {
		if other == stack {
			continue
		}
		imports, _ := deploy.TemplateImports(body)
		for _, out := range old.Outputs {
			if !slices.Contains(imports, out.Export.Name) {
				continue
			}
			for id := range old.Resources {
				if _, kept := cur.Resources[id]; !kept && strings.Contains(fmt.Sprint(out.Value), id) {
					return fmt.Errorf("%s UPDATE_ROLLBACK_COMPLETE: %s cannot be deleted: it is in use by %s (DependencyViolation)", stack, id, other)
				}
			}
		}
	}
	return nil
}

func newCloud(t *testing.T, dir string) *cloud {
	c := &cloud{templates: map[string][]byte{}, outputs: map[string]map[string]string{}, pending: map[string][]types.Change{}}
	for _, s := range []string{"MysiteData", "MysiteApp"} {
		c.templates[s] = template(t, dir, s)
		c.outputs[s] = exportValues(c.templates[s])
	}
	return c
}

// TestDeployOrderEndToEnd runs Deploy on real assemblies (before deployed,
// after new) against the simulated cloud: the refusal, the allowed run in
// three steps, and today's order failing where the plan succeeds.
func TestDeployOrderEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("synthesizes")
	}
	const after = "broker = \"sqs\"\n[cache]\nengine = \"none\"\n"
	_, beforeDir := synthesized(t, "")
	_, afterDir := synthesized(t, after)
	req := func(c *cloud, allow ...string) deploy.Request {
		return deploy.Request{DataStack: "MysiteData", AppStack: "MysiteApp", Outdir: afterDir,
			Allow: allow, CFN: c, Run: c, Log: io.Discard}
	}

	// Today's order: data first fails on the export the app still imports.
	c := newCloud(t, beforeDir)
	if err := c.Prepare(context.Background(), afterDir, "MysiteData", "x"); err != nil {
		t.Fatal(err)
	}
	if err := c.Execute(context.Background(), afterDir, "MysiteData", "x"); err == nil || !strings.Contains(err.Error(), "Cannot delete export") {
		t.Fatalf("today's order must fail on the in-use export: %v", err)
	}

	// Removing the cache is refused, and nothing runs.
	c = newCloud(t, beforeDir)
	err := deploy.Deploy(context.Background(), req(c))
	var refused *deploy.RefusedError
	if !errors.As(err, &refused) || len(refused.Risks) != 2 {
		t.Fatalf("want the cache and its auth token refused: %v", err)
	}
	var allow []string
	for _, r := range refused.Risks {
		if r.Action != "Remove" || (r.Type != "AWS::ElastiCache::ReplicationGroup" && r.Type != "AWS::SecretsManager::Secret") {
			t.Errorf("refused: %+v", r)
		}
		allow = append(allow, r.LogicalID)
	}
	if !strings.Contains(err.Error(), "nothing was changed") || len(c.pending) != 0 || strings.Contains(strings.Join(c.log, ","), "execute") {
		t.Errorf("refusal must change nothing and delete its change sets: %v %v", c.log, c.pending)
	}

	// Allowed by logical ID: three steps, in order, each accepted.
	c = newCloud(t, beforeDir)
	if err := deploy.Deploy(context.Background(), req(c, allow[:1]...)); !errors.As(err, &refused) || len(refused.Risks) != 1 {
		t.Fatalf("one of two allowed: %v", err)
	}
	c.log = nil
	if err := deploy.Deploy(context.Background(), req(c, allow...)); err != nil {
		t.Fatalf("allowed deploy: %v (log %v)", err, c.log)
	}
	got := strings.Join(c.log, ",")
	// A preview of the last step (refusals first), then expand, move, contract.
	if want := "prepare MysiteData,delete MysiteData,prepare MysiteData,execute MysiteData,prepare MysiteApp,execute MysiteApp,prepare MysiteData,execute MysiteData"; got != want {
		t.Errorf("steps:\n got %s\nwant %s", got, want)
	}
	if string(c.templates["MysiteData"]) != string(template(t, afterDir, "MysiteData")) {
		t.Error("the data stack must end on the new template, without kept exports")
	}
}

// TestDeployNoOp deploys the deployed configuration again: nothing runs.
func TestDeployNoOp(t *testing.T) {
	if testing.Short() {
		t.Skip("synthesizes")
	}
	_, dir := synthesized(t, "")
	c := newCloud(t, dir)
	err := deploy.Deploy(context.Background(), deploy.Request{DataStack: "MysiteData", AppStack: "MysiteApp", Outdir: dir,
		CFN: c, Run: c, Log: io.Discard})
	if err != nil || strings.Contains(strings.Join(c.log, ","), "execute") || len(c.pending) != 0 {
		t.Errorf("no-op: %v %v %v", err, c.log, c.pending)
	}
}
