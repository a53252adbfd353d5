package deploy

import (
	"strings"
	"testing"
)

func TestRetainedResources(t *testing.T) {
	templates := map[string][]byte{
		"AppData": []byte(`{"Resources": {
			"Db": {"Type": "AWS::RDS::DBInstance", "DeletionPolicy": "Snapshot"},
			"Bucket": {"Type": "AWS::S3::Bucket", "DeletionPolicy": "Retain"},
			"Logs": {"Type": "AWS::Logs::LogGroup", "DeletionPolicy": "Delete"},
			"Role": {"Type": "AWS::IAM::Role"}}}`),
	}
	kept, err := RetainedResources(templates)
	if err != nil {
		t.Fatal(err)
	}
	if len(kept) != 2 || kept[0].LogicalID != "Bucket" || kept[1].LogicalID != "Db" {
		t.Fatalf("retained: %+v", kept)
	}
	if !strings.Contains(HowToRemove(kept[0]), "aws s3 rb") || !strings.Contains(HowToRemove(kept[1]), "snapshot") {
		t.Errorf("how to remove: %q / %q", HowToRemove(kept[0]), HowToRemove(kept[1]))
	}
	if _, err := RetainedResources(map[string][]byte{"Bad": []byte("{")}); err == nil {
		t.Error("a broken template must be an error")
	}
}

func TestCheckAccount(t *testing.T) {
	id := &Identity{Account: "123456789012", ARN: "arn:aws:iam::123456789012:user/dev"}
	if err := CheckAccount(id, ""); err != nil {
		t.Errorf("no account configured: %v", err)
	}
	if err := CheckAccount(id, "123456789012"); err != nil {
		t.Errorf("same account: %v", err)
	}
	err := CheckAccount(id, "999999999999")
	if err == nil || !strings.Contains(err.Error(), "fix: use credentials for 999999999999") {
		t.Errorf("other account: %v", err)
	}
}
