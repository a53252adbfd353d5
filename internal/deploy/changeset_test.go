package deploy

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
)

// fixture loads a recorded DescribeChangeSet response (the JSON shape
// CloudFormation and `aws cloudformation describe-change-set` return).
func fixture(t *testing.T, name string) *cloudformation.DescribeChangeSetOutput {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("testdata", "changesets", name))
	if err != nil {
		t.Fatal(err)
	}
	var out cloudformation.DescribeChangeSetOutput
	if err := json.Unmarshal(raw, &out); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return &out
}

// pages serves recorded DescribeChangeSet pages in order.
type pages struct {
	CloudFormationAPI
	out   []*cloudformation.DescribeChangeSetOutput
	calls []string
}

func (p *pages) DescribeChangeSet(_ context.Context, in *cloudformation.DescribeChangeSetInput, _ ...func(*cloudformation.Options)) (*cloudformation.DescribeChangeSetOutput, error) {
	token := ""
	if in.NextToken != nil {
		token = *in.NextToken
	}
	p.calls = append(p.calls, token)
	o := p.out[0]
	p.out = p.out[1:]
	return o, nil
}

func analyze(t *testing.T, files ...string) ([]Risk, *ChangeSet) {
	t.Helper()
	p := &pages{}
	for _, f := range files {
		p.out = append(p.out, fixture(t, f))
	}
	stack := *p.out[0].StackName
	cs, err := DescribeChangeSet(context.Background(), p, stack, *p.out[0].ChangeSetName)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.calls) != len(files) {
		t.Fatalf("read %d pages, want %d", len(p.calls), len(files))
	}
	known := map[string]Resource{"MysiteDatabaseInstanceFDC41929": {Path: "MysiteData/Mysite/Database/Instance/Resource"}}
	return AnalyzeChangeSet(stack, cs.Changes, known), cs
}

func TestRDSReplacementFromDBName(t *testing.T) {
	risks, _ := analyze(t, "rds-dbname.json")
	if len(risks) != 1 {
		t.Fatalf("risks: %+v", risks)
	}
	r := risks[0]
	if r.Action != "Replace" || r.Type != "AWS::RDS::DBInstance" || r.LogicalID != "MysiteDatabaseInstanceFDC41929" ||
		strings.Join(r.Causes, ";") != "DBName (always)" || r.Policy != "ReplaceAndSnapshot" {
		t.Errorf("risk: %+v", r)
	}
	for _, name := range []string{"MysiteDatabaseInstanceFDC41929", "MysiteData/MysiteDatabaseInstanceFDC41929",
		"MysiteData/Mysite/Database/Instance/Resource", "MysiteData/Mysite/Database/Instance"} {
		if !r.Allowed([]string{name}) {
			t.Errorf("%s does not allow it", name)
		}
	}
	for _, name := range []string{"MysiteData", "MysiteData/Mysite/Database", "Database", ""} {
		if r.Allowed([]string{name}) {
			t.Errorf("%q must not allow it", name)
		}
	}
	err := (&RefusedError{Risks: Disallowed(risks, nil)}).Error()
	for _, want := range []string{"Replace MysiteData/MysiteDatabaseInstanceFDC41929 (AWS::RDS::DBInstance)",
		"construct: MysiteData/Mysite/Database/Instance/Resource", "because:   DBName (always)",
		"new, empty resource in place of the database", "final snapshot",
		"djangocdk deploy --allow-data-loss MysiteDatabaseInstanceFDC41929", "nothing was changed"} {
		if !strings.Contains(err, want) {
			t.Errorf("refusal lacks %q:\n%s", want, err)
		}
	}
	if len(Disallowed(risks, []string{"MysiteDatabaseInstanceFDC41929"})) != 0 {
		t.Error("the flag must allow it")
	}
}

func TestBucketRemoval(t *testing.T) {
	risks, _ := analyze(t, "bucket-removal.json")
	if len(risks) != 1 || risks[0].Action != "Remove" || risks[0].Type != "AWS::S3::Bucket" || risks[0].Policy != "Retain" {
		t.Fatalf("risks: %+v", risks)
	}
	if c := risks[0].Consequence(); !strings.Contains(c, "uploaded media") || !strings.Contains(c, "retained outside the stack") {
		t.Errorf("consequence: %s", c)
	}
}

func TestSecretConditionalAcrossPages(t *testing.T) {
	risks, _ := analyze(t, "secret-conditional.json", "secret-conditional-page2.json")
	if len(risks) != 2 {
		t.Fatalf("risks: %+v", risks)
	}
	byID := map[string]Risk{}
	for _, r := range risks {
		byID[r.LogicalID] = r
	}
	s := byID["MysiteSecretsDjangoSecretKeyCC2BFBAA"]
	if s.Action != "May replace" || len(s.Causes) != 1 || !strings.HasPrefix(s.Causes[0], "Name (always") {
		t.Errorf("secret: %+v", s)
	}
	if q := byID["MysiteCeleryQueue4D5E6F70"]; q.Action != "Replace" || q.Causes[0] != "FifoQueue (always)" {
		t.Errorf("queue on page 2: %+v", q)
	}
}

func TestHarmlessTaskDefinitionReplacementPasses(t *testing.T) {
	if risks, _ := analyze(t, "taskdef-replacement.json"); len(risks) != 0 {
		t.Errorf("a task definition replacement and a bucket tag change must pass: %+v", risks)
	}
}

func TestNewStackCreatePasses(t *testing.T) {
	risks, cs := analyze(t, "new-stack.json")
	if len(risks) != 0 || cs.Empty {
		t.Errorf("a CREATE change set must pass: %+v %+v", risks, cs)
	}
}

func TestEmptyChangeSet(t *testing.T) {
	_, cs := analyze(t, "no-changes.json")
	if !cs.Empty || !cs.Exists {
		t.Errorf("no changes: %+v", cs)
	}
}
