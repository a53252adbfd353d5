package deploy

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
)

// CDKVersion is the AWS CDK CLI (npm package aws-cdk) djangocdk drives.
const CDKVersion = "2.1148.1"

// CDK locates (installing on first use) the pinned AWS CDK CLI.
type CDK struct {
	// Bin is the cdk executable.
	Bin string
}

// CacheDir is where the CDK CLI is installed: $DJANGOCDK_CACHE, else the
// user cache directory.
func CacheDir() (string, error) {
	if d := os.Getenv("DJANGOCDK_CACHE"); d != "" {
		return d, nil
	}
	d, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("find a cache directory (set DJANGOCDK_CACHE): %w", err)
	}
	return filepath.Join(d, "djangocdk"), nil
}

// EnsureCDK returns the pinned CDK CLI, installing it with npm into the
// cache on first use. Progress goes to log.
func EnsureCDK(ctx context.Context, log io.Writer) (*CDK, error) {
	cache, err := CacheDir()
	if err != nil {
		return nil, err
	}
	prefix := filepath.Join(cache, "aws-cdk-"+CDKVersion)
	bin := filepath.Join(prefix, "node_modules", ".bin", "cdk")
	if _, err := os.Stat(bin); err == nil {
		return &CDK{Bin: bin}, nil
	}
	npm, err := exec.LookPath("npm")
	if err != nil {
		return nil, &Problem{"npm is not installed: djangocdk runs the AWS CDK CLI (npm package aws-cdk).",
			"install Node.js 22 LTS (which includes npm) from https://nodejs.org"}
	}
	fmt.Fprintf(log, "Installing the AWS CDK CLI %s into %s (first use)...\n", CDKVersion, prefix)
	if err := os.MkdirAll(prefix, 0o755); err != nil {
		return nil, fmt.Errorf("install the CDK CLI: %w", err)
	}
	cmd := exec.CommandContext(ctx, npm, "install", "--no-audit", "--no-fund", "--prefix", prefix, "aws-cdk@"+CDKVersion)
	cmd.Stdout, cmd.Stderr = log, log
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("install the CDK CLI with npm: %w", err)
	}
	return &CDK{Bin: bin}, nil
}

// Run runs `cdk <args>` on the assembly in dir, streaming its output.
func (c *CDK) Run(ctx context.Context, dir string, stdin io.Reader, stdout, stderr io.Writer, args ...string) error {
	full := append([]string{}, args...)
	full = append(full, "--app", dir)
	cmd := exec.CommandContext(ctx, c.Bin, full...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = stdin, stdout, stderr
	cmd.Env = append(os.Environ(), "CDK_DISABLE_VERSION_CHECK=1")
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("cdk %s: %w", args[0], err)
	}
	return nil
}

// Retained is a resource CloudFormation keeps when the stack is deleted.
type Retained struct {
	Stack, LogicalID, Type, Policy string
}

// RetainedResources lists the resources of the assembly's templates whose
// DeletionPolicy keeps them (Retain, RetainExceptOnCreate) or snapshots them.
func RetainedResources(templates map[string][]byte) ([]Retained, error) {
	var out []Retained
	for stack, body := range templates {
		var t struct {
			Resources map[string]struct {
				Type           string `json:"Type"`
				DeletionPolicy string `json:"DeletionPolicy"`
			} `json:"Resources"`
		}
		if err := json.Unmarshal(body, &t); err != nil {
			return nil, fmt.Errorf("parse template of %s: %w", stack, err)
		}
		for id, r := range t.Resources {
			switch r.DeletionPolicy {
			case "Retain", "RetainExceptOnCreate", "Snapshot":
				out = append(out, Retained{stack, id, r.Type, r.DeletionPolicy})
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Stack+out[i].LogicalID < out[j].Stack+out[j].LogicalID })
	return out, nil
}

// HowToRemove says how to delete what a retained resource leaves behind.
func HowToRemove(r Retained) string {
	switch {
	case r.Policy == "Snapshot":
		return "a final snapshot is kept: aws rds describe-db-snapshots / describe-db-cluster-snapshots, then delete-db-snapshot / delete-db-cluster-snapshot"
	case r.Type == "AWS::S3::Bucket":
		return "the bucket and its objects stay: aws s3 rb s3://BUCKET --force (versioned buckets: delete every version first)"
	case r.Type == "AWS::RDS::DBInstance" || r.Type == "AWS::RDS::DBCluster":
		return "the database keeps running (and costing): aws rds delete-db-instance / delete-db-cluster"
	case r.Type == "AWS::Logs::LogGroup":
		return "the log group stays: aws logs delete-log-group --log-group-name NAME"
	case r.Type == "AWS::KMS::Key":
		return "the key stays: aws kms schedule-key-deletion --key-id KEY"
	default:
		return "delete it in the console or with the AWS CLI"
	}
}
