package deploy

import (
	"bytes"
	"strings"
	"testing"
)

func TestStaticRisks(t *testing.T) {
	old := []byte(`{"Resources": {
		"Db": {"Type": "AWS::RDS::DBInstance", "DeletionPolicy": "Snapshot", "UpdateReplacePolicy": "Snapshot",
			"Properties": {"DBName": "app", "Engine": "postgres", "AllocatedStorage": "20"}},
		"Media": {"Type": "AWS::S3::Bucket", "DeletionPolicy": "Retain"},
		"Queue": {"Type": "AWS::SQS::Queue", "Properties": {"VisibilityTimeout": 60}},
		"Role": {"Type": "AWS::IAM::Role"}}}`)
	next := []byte(`{"Resources": {
		"Db": {"Type": "AWS::RDS::DBInstance", "Properties": {"DBName": "shop", "Engine": "postgres", "AllocatedStorage": "30"}},
		"Queue": {"Type": "AWS::SQS::Queue", "Properties": {"VisibilityTimeout": 120}}}}`)
	risks, err := StaticRisks("MysiteData", old, next, map[string]string{"Db": "MysiteData/Mysite/Database/Instance/Resource"})
	if err != nil {
		t.Fatal(err)
	}
	if len(risks) != 2 {
		t.Fatalf("risks: %+v", risks)
	}
	if r := risks[0]; r.LogicalID != "Db" || r.Action != "Replace" || strings.Join(r.Causes, ",") != "DBName (always)" || r.Policy != "ReplaceAndSnapshot" {
		t.Errorf("db: %+v", r)
	}
	if r := risks[1]; r.LogicalID != "Media" || r.Action != "Remove" || r.Policy != "Retain" {
		t.Errorf("bucket: %+v", r)
	}
	var b bytes.Buffer
	WriteStaticWarning(&b, risks, "previous synth")
	for _, want := range []string{"Warning: compared with the previous synth", "Replace MysiteData/Db", "Remove MysiteData/Media",
		"--allow-data-loss Db", "The check that decides is at deploy time"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("warning lacks %q:\n%s", want, b.String())
		}
	}
	if risks, _ := StaticRisks("S", next, next, nil); len(risks) != 0 {
		t.Errorf("same template: %+v", risks)
	}
}
