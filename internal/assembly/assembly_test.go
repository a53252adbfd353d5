package assembly

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func write(t *testing.T, dir, name, body string) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestReadAndPrint(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, "manifest.json", `{"artifacts": {
		"B": {"type": "aws:cloudformation:stack", "environment": "aws://unknown-account/eu-west-1", "properties": {"templateFile": "B.template.json"}},
		"A": {"type": "aws:cloudformation:stack", "environment": "aws://unknown-account/us-east-1", "properties": {"templateFile": "A.template.json"}},
		"Tree": {"type": "cdk:tree"}}}`)
	write(t, dir, "A.template.json", `{"Description": "data", "Resources": {
		"Q1": {"Type": "AWS::SQS::Queue"}, "Q2": {"Type": "AWS::SQS::Queue"}, "B": {"Type": "AWS::S3::Bucket"}},
		"Outputs": {"Url": {"Description": "Public URL"}, "Arn": {"Description": "Queue ARN"}, "ExportsOutputRefQ1": {}}}`)
	write(t, dir, "B.template.json", `{"Resources": {"T": {"Type": "AWS::SNS::Topic"}}}`)
	stacks, err := Read(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(stacks) != 2 || stacks[0].Name != "A" || stacks[1].Region != "eu-west-1" {
		t.Fatalf("stacks: %+v", stacks)
	}
	if stacks[0].Resources["AWS::SQS::Queue"] != 2 || stacks[0].Total() != 3 {
		t.Errorf("counts: %+v", stacks[0].Resources)
	}
	var b bytes.Buffer
	Print(&b, stacks)
	out := b.String()
	for _, want := range []string{"A (us-east-1) — 3 resources", "     2  AWS::SQS::Queue", "    - Queue ARN\n    - Public URL", "1 values exported to other stacks", "2 stacks, 4 resources in all"} {
		if !strings.Contains(out, want) {
			t.Errorf("summary lacks %q:\n%s", want, out)
		}
	}
}

func TestReadErrors(t *testing.T) {
	if _, err := Read(t.TempDir()); err == nil || !strings.Contains(err.Error(), "read cloud assembly") {
		t.Errorf("missing manifest: %v", err)
	}
	dir := t.TempDir()
	write(t, dir, "manifest.json", `{"artifacts": {"A": {"type": "aws:cloudformation:stack", "properties": {"templateFile": "A.template.json"}}}}`)
	if _, err := Read(dir); err == nil || !strings.Contains(err.Error(), "read template of A") {
		t.Errorf("missing template: %v", err)
	}
}

func TestContainers(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, "manifest.json", `{"artifacts": {"App": {"type": "aws:cloudformation:stack", "environment": "aws://unknown-account/us-east-1", "properties": {"templateFile": "App.template.json"}}}}`)
	write(t, dir, "App.template.json", `{"Resources": {
		"B": {"Type": "AWS::S3::Bucket"},
		"WebTD": {"Type": "AWS::ECS::TaskDefinition", "Properties": {"ContainerDefinitions": [{
			"Name": "web", "EntryPoint": ["python", "-m", "djangocdk_settings", "exec"], "Command": ["gunicorn", "a.wsgi"],
			"Environment": [{"Name": "DJANGO_DEBUG", "Value": "false"}, {"Name": "AWS_STORAGE_BUCKET_NAME", "Value": {"Ref": "B"}}],
			"Secrets": [{"Name": "DJANGO_SECRET_KEY", "ValueFrom": {"Ref": "S"}}],
			"PortMappings": [{"ContainerPort": 5000}]}]}},
		"WorkerTD": {"Type": "AWS::ECS::TaskDefinition", "Properties": {"ContainerDefinitions": [{"Name": "worker", "Command": ["celery"]}]}}}}`)
	got, err := Containers(dir)
	if err != nil {
		t.Fatal(err)
	}
	web := got["web"]
	if web.Port != 5000 || web.EntryPoint[3] != "exec" || web.Command[0] != "gunicorn" || web.Environment["DJANGO_DEBUG"] != "false" {
		t.Errorf("web: %+v", web)
	}
	if _, ok := web.Environment["AWS_STORAGE_BUCKET_NAME"].(map[string]any); !ok || len(web.Secrets) != 1 || web.Secrets[0] != "DJANGO_SECRET_KEY" {
		t.Errorf("web env/secrets: %+v", web)
	}
	if w := got["worker"]; w.EntryPoint != nil || w.Command[0] != "celery" {
		t.Errorf("worker: %+v", w)
	}
}
