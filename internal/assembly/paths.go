package assembly

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// LogicalPaths maps the logical IDs of a stack of the assembly in dir to
// their CDK construct paths ("MysiteData/Mysite/Database/Instance/Resource"),
// from the aws:cdk:logicalId entries of the stack's metadata (the
// <stack>.metadata.json file, or the manifest). A stack without metadata
// gives an empty map.
func LogicalPaths(dir, stack string) (map[string]string, error) {
	var entries map[string][]struct {
		Type string `json:"type"`
		Data any    `json:"data"`
	}
	raw, err := os.ReadFile(filepath.Join(dir, stack+".metadata.json"))
	switch {
	case err == nil:
		if err := json.Unmarshal(raw, &entries); err != nil {
			return nil, fmt.Errorf("read metadata of %s: %w", stack, err)
		}
	case os.IsNotExist(err):
		b, err := os.ReadFile(filepath.Join(dir, "manifest.json"))
		if err != nil {
			return nil, fmt.Errorf("read cloud assembly: %w", err)
		}
		var m struct {
			Artifacts map[string]struct {
				Metadata map[string][]struct {
					Type string `json:"type"`
					Data any    `json:"data"`
				} `json:"metadata"`
			} `json:"artifacts"`
		}
		if err := json.Unmarshal(b, &m); err != nil {
			return nil, fmt.Errorf("read cloud assembly manifest: %w", err)
		}
		entries = m.Artifacts[stack].Metadata
	default:
		return nil, fmt.Errorf("read metadata of %s: %w", stack, err)
	}
	out := map[string]string{}
	for path, list := range entries {
		for _, e := range list {
			if id, ok := e.Data.(string); ok && e.Type == "aws:cdk:logicalId" {
				out[id] = strings.TrimPrefix(path, "/")
			}
		}
	}
	return out, nil
}
