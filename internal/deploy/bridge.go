package deploy

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// BridgeAssembly writes, beside outdir, the assembly of the first step of a
// three-step plan: the new data stack plus everything of the deployed one
// that the new one drops — resources, outputs (with their exports),
// conditions, parameters, mappings — unchanged. CloudFormation then creates
// what the app will need and deletes nothing the deployed app still uses
// (its exports, but also, say, a security group its rules reference); the
// last step, the new template itself, removes the rest once the app moved.
// The data stack's own asset directories are copied, every other file is a
// symlink to the new assembly (the app's image context is not copied); the data template's
// asset hash is rewritten so the CDK CLI uploads the bridge template, not a
// cached copy of the new one.
func BridgeAssembly(outdir, dataStack string, deployedData []byte) (string, error) {
	templateFile := dataStack + ".template.json"
	newBody, err := os.ReadFile(filepath.Join(outdir, templateFile))
	if err != nil {
		return "", fmt.Errorf("bridge: read the new data template: %w", err)
	}
	merged, err := MergeDropped(newBody, deployedData)
	if err != nil {
		return "", fmt.Errorf("bridge: %w", err)
	}
	dir := strings.TrimRight(outdir, string(os.PathSeparator)) + "-bridge"
	if err := os.RemoveAll(dir); err != nil {
		return "", fmt.Errorf("bridge: %w", err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", fmt.Errorf("bridge: %w", err)
	}
	oldHash, newHash := sha(newBody), sha(merged)
	entries, err := os.ReadDir(outdir)
	if err != nil {
		return "", fmt.Errorf("bridge: %w", err)
	}
	own, err := stackAssets(outdir, dataStack)
	if err != nil {
		return "", fmt.Errorf("bridge: %w", err)
	}
	rewritten := 0
	for _, e := range entries {
		src, dst := filepath.Join(outdir, e.Name()), filepath.Join(dir, e.Name())
		switch {
		case e.Name() == templateFile:
			err = os.WriteFile(dst, merged, 0o644)
		case own[e.Name()]:
			// The data stack's own assets (a few small function bundles)
			// are copied: the asset publisher packages real directories.
			err = os.CopyFS(dst, os.DirFS(src))
		case e.Name() == "manifest.json" || e.Name() == dataStack+".assets.json":
			var body []byte
			if body, err = os.ReadFile(src); err == nil {
				rewritten += bytes.Count(body, []byte(oldHash))
				err = os.WriteFile(dst, bytes.ReplaceAll(body, []byte(oldHash), []byte(newHash)), 0o644)
			}
		default:
			var abs string
			if abs, err = filepath.Abs(src); err == nil {
				err = os.Symlink(abs, dst)
			}
		}
		if err != nil {
			return "", fmt.Errorf("bridge: %s: %w", e.Name(), err)
		}
	}
	if rewritten == 0 {
		return "", fmt.Errorf("bridge: the assembly does not name the data template's hash %s; cannot publish the bridge template", oldHash)
	}
	return dir, nil
}

// stackAssets lists the asset directories of stack's asset manifest.
func stackAssets(outdir, stack string) (map[string]bool, error) {
	raw, err := os.ReadFile(filepath.Join(outdir, stack+".assets.json"))
	if err != nil {
		return nil, fmt.Errorf("read the data stack's asset manifest: %w", err)
	}
	var manifest struct {
		Files map[string]struct {
			Source struct {
				Path string `json:"path"`
			} `json:"source"`
		} `json:"files"`
	}
	if err := json.Unmarshal(raw, &manifest); err != nil {
		return nil, fmt.Errorf("parse the data stack's asset manifest: %w", err)
	}
	own := map[string]bool{}
	for _, f := range manifest.Files {
		if strings.HasPrefix(f.Source.Path, "asset.") {
			own[f.Source.Path] = true
		}
	}
	return own, nil
}

// MergeDropped returns the new template with the resources, outputs,
// conditions, parameters and mappings of the deployed one that it lacks
// added back unchanged.
func MergeDropped(newBody, deployedBody []byte) ([]byte, error) {
	var next, deployed map[string]any
	// Numbers stay as written (no float64 round trip).
	decode := func(body []byte, v any) error {
		d := json.NewDecoder(bytes.NewReader(body))
		d.UseNumber()
		return d.Decode(v)
	}
	if err := decode(newBody, &next); err != nil {
		return nil, fmt.Errorf("parse the new template: %w", err)
	}
	if err := decode(deployedBody, &deployed); err != nil {
		return nil, fmt.Errorf("parse the deployed template: %w", err)
	}
	for _, section := range []string{"Resources", "Outputs", "Conditions", "Parameters", "Mappings"} {
		old, _ := deployed[section].(map[string]any)
		if len(old) == 0 {
			continue
		}
		cur, _ := next[section].(map[string]any)
		if cur == nil {
			cur = map[string]any{}
			next[section] = cur
		}
		for id, v := range old {
			if _, ok := cur[id]; !ok {
				cur[id] = v
			}
		}
	}
	return json.MarshalIndent(next, "", " ")
}

func sha(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}
