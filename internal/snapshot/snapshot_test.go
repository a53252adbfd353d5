package snapshot

import (
	"strings"
	"testing"
)

func TestDiffNamesWhatMoved(t *testing.T) {
	want := map[string]any{"Resources": map[string]any{
		"DbA1": map[string]any{"Type": "AWS::RDS::DBInstance", "Properties": map[string]any{"DBName": "django"}},
		"Old":  map[string]any{"Type": "AWS::SQS::Queue"},
	}}
	have := map[string]any{"Resources": map[string]any{
		"DbA1": map[string]any{"Type": "AWS::RDS::DBInstance", "Properties": map[string]any{"DBName": "app"}},
		"New":  map[string]any{"Type": "AWS::SQS::Queue"},
	}}
	got := strings.Join(Diff("", want, have), "\n")
	for _, w := range []string{`/Resources/DbA1/Properties/DBName: was "django", now "app"`, "/Resources/Old: removed", "/Resources/New: added"} {
		if !strings.Contains(got, w) {
			t.Errorf("missing %q in:\n%s", w, got)
		}
	}
	if d := Diff("", want, want); len(d) != 0 {
		t.Errorf("identical values differ: %v", d)
	}
}

func TestNormalizeDropsMetadataAndHashes(t *testing.T) {
	body := `{"Resources":{"CDKMetadata":{"Type":"AWS::CDK::Metadata"},"Fn":{"Type":"AWS::Lambda::Function","Metadata":{"aws:cdk:path":"A/B"},
	"Properties":{"Code":{"S3Key":"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef.zip"}}}},
	"Conditions":{"CDKMetadataAvailable":{}}}`
	out, err := Normalize([]byte(body))
	if err != nil {
		t.Fatal(err)
	}
	s := string(out)
	if strings.Contains(s, "CDKMetadata") || strings.Contains(s, "aws:cdk:path") || strings.Contains(s, "Conditions") || !strings.Contains(s, "ASSET-HASH.zip") {
		t.Errorf("not normalized: %s", s)
	}
}
