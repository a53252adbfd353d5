package synth_test

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/djangocdk/djangocdk/internal/assembly"
	"github.com/djangocdk/djangocdk/internal/config"
	"github.com/djangocdk/djangocdk/internal/synth"
)

// TestCertificateStackOutsideUsEast1: CloudFront reads certificates only in
// us-east-1, so a domain on the CloudFront edge of an app deployed elsewhere
// gets its certificate from a us-east-1 stack, deployed first.
func TestCertificateStackOutsideUsEast1(t *testing.T) {
	project, err := filepath.Abs(filepath.Join("..", "..", "examples", "mysite"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	file := filepath.Join(dir, "djangocdk.toml")
	body := `app = "shop"
region = "eu-west-1"
settings_module = "mysite.settings"
project_dir = "` + project + `"

[domain]
name = "shop.example.com"
hosted_zone_id = "Z0123456789ABCDEFGHIJ"
hosted_zone_name = "example.com"
`
	if err := os.WriteFile(file, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	src, err := config.Find(dir)
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := src.Load("")
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "cdk.out")
	res, err := synth.Run(synth.Request{Config: cfg, ConfigFile: src.Path, Outdir: out})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(res.Stacks, ",") != "ShopCertificate,ShopData,ShopApp" {
		t.Errorf("stacks in deployment order: %v", res.Stacks)
	}
	templates, err := assembly.Templates(out)
	if err != nil {
		t.Fatal(err)
	}
	bodies := map[string]string{}
	for _, tpl := range templates {
		var compact bytes.Buffer
		if err := json.Compact(&compact, tpl.Body); err != nil {
			t.Fatal(err)
		}
		bodies[tpl.Stack] = compact.String()
	}
	if cert := bodies["ShopCertificate"]; !strings.Contains(cert, "AWS::CertificateManager::Certificate") || !strings.Contains(cert, "shop.example.com") {
		t.Errorf("the certificate stack must hold the certificate: %.300s", cert)
	}
	data := bodies["ShopData"]
	if strings.Contains(data, "AWS::CertificateManager::Certificate") {
		t.Error("the data stack (eu-west-1) must not create the certificate: CloudFront could not use it")
	}
	if !strings.Contains(data, `"Aliases":["shop.example.com"]`) || !strings.Contains(data, "ExportsReader") {
		t.Error("the distribution must carry the domain with the certificate read across regions")
	}
	manifest, err := os.ReadFile(filepath.Join(out, "manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(manifest), "aws://unknown-account/us-east-1") {
		t.Error("the certificate stack must be in us-east-1")
	}
}
