package deploy

import (
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
)

// AllowFlag is the deploy flag that lets one named stateful resource be
// replaced or removed.
const AllowFlag = "--allow-data-loss"

// statefulTypes are the resource types whose replacement or removal loses
// stored data, with what is lost. Log groups are left out on purpose: they
// hold diagnostics, not application data, and the app stack replaces them
// with its services.
var statefulTypes = map[string]string{
	"AWS::RDS::DBInstance":               "the database: its tables and rows (automated backups are deleted with it)",
	"AWS::RDS::DBCluster":                "the database cluster: its tables and rows (automated backups are deleted with it)",
	"AWS::ElastiCache::ReplicationGroup": "the cache and everything in it (sessions, queued Celery tasks when it is the broker)",
	"AWS::ElastiCache::CacheCluster":     "the cache and everything in it (sessions, queued Celery tasks when it is the broker)",
	"AWS::ElastiCache::ServerlessCache":  "the cache and everything in it (sessions, queued Celery tasks when it is the broker)",
	"AWS::S3::Bucket":                    "the bucket: uploaded media and static files",
	"AWS::SecretsManager::Secret":        "the secret's value (a replacement generates a new one: a new SECRET_KEY logs everyone out, a new database password must match the database)",
	"AWS::SQS::Queue":                    "the queue and the Celery tasks waiting in it",
	"AWS::EFS::FileSystem":               "the file system and its files",
	"AWS::DynamoDB::Table":               "the table and its items",
	"AWS::DynamoDB::GlobalTable":         "the table and its items",
}

// IsStateful reports whether losing a resource of this CloudFormation type
// loses stored data.
func IsStateful(resourceType string) bool { _, ok := statefulTypes[resourceType]; return ok }

// Risk is a change that replaces or removes a stateful resource.
type Risk struct {
	// Stack is the stack name.
	Stack string `json:"stack"`
	// LogicalID is the resource's logical ID in the template.
	LogicalID string `json:"logical_id"`
	// Type is the CloudFormation resource type.
	Type string `json:"type"`
	// Path is the CDK construct path (aws:cdk:path metadata), when known.
	Path string `json:"path,omitempty"`
	// Action is "Replace", "May replace" (CloudFormation decides while
	// deploying) or "Remove".
	Action string `json:"action"`
	// Causes are the properties whose change causes it, e.g. "DBName (always)".
	Causes []string `json:"causes,omitempty"`
	// Policy is CloudFormation's policy action for the old resource, when the
	// change set says (Delete, Retain, Snapshot, ReplaceAndDelete...).
	Policy string `json:"policy,omitempty"`
}

// Consequence says what the change does to the stored data.
func (r Risk) Consequence() string {
	lost := statefulTypes[r.Type]
	kept := ""
	switch r.Policy {
	case "Retain", "ReplaceAndRetain":
		kept = " The old resource is retained outside the stack, but the app no longer uses it."
	case "Snapshot", "ReplaceAndSnapshot":
		kept = " A final snapshot of the old resource is taken; restoring it is manual."
	}
	switch r.Action {
	case "Remove":
		return "removing it deletes " + lost + "." + kept
	case "May replace":
		return "if CloudFormation replaces it, a new, empty resource takes the place of " + lost + "." + kept
	}
	return "replacing it creates a new, empty resource in place of " + lost + "." + kept
}

// Flag is the exact deploy flag that allows this change.
func (r Risk) Flag() string { return AllowFlag + " " + r.LogicalID }

// Allowed reports whether one of the names given with AllowFlag names this
// resource: its logical ID, "Stack/LogicalID", its construct path, or the
// path without its final "/Resource".
func (r Risk) Allowed(names []string) bool {
	for _, n := range names {
		n = strings.TrimSpace(n)
		if n == "" {
			continue
		}
		if n == r.LogicalID || n == r.Stack+"/"+r.LogicalID ||
			(r.Path != "" && (n == r.Path || n == strings.TrimSuffix(r.Path, "/Resource"))) {
			return true
		}
	}
	return false
}

// Resource is what a template says about one resource: its type, construct
// path and deletion policies.
type Resource struct {
	// Type is the CloudFormation type.
	Type string
	// Path is the aws:cdk:path metadata.
	Path string
	// DeletionPolicy and UpdateReplacePolicy as written in the template.
	DeletionPolicy, UpdateReplacePolicy string
	// Properties are the raw properties.
	Properties map[string]json.RawMessage
}

// TemplateResources reads the resources of a CloudFormation JSON template.
func TemplateResources(body []byte) (map[string]Resource, error) {
	var t struct {
		Resources map[string]struct {
			Type                string                     `json:"Type"`
			DeletionPolicy      string                     `json:"DeletionPolicy"`
			UpdateReplacePolicy string                     `json:"UpdateReplacePolicy"`
			Properties          map[string]json.RawMessage `json:"Properties"`
			Metadata            struct {
				Path string `json:"aws:cdk:path"`
			} `json:"Metadata"`
		} `json:"Resources"`
	}
	if err := json.Unmarshal(body, &t); err != nil {
		return nil, fmt.Errorf("parse template: %w", err)
	}
	out := make(map[string]Resource, len(t.Resources))
	for id, r := range t.Resources {
		out[id] = Resource{r.Type, r.Metadata.Path, r.DeletionPolicy, r.UpdateReplacePolicy, r.Properties}
	}
	return out, nil
}

// AnalyzeChangeSet returns the changes of a change set (all pages) that
// replace, may replace, or remove a stateful resource. known maps logical
// IDs to what the deployed and new templates say (for construct paths); it
// may be nil.
func AnalyzeChangeSet(stack string, changes []types.Change, known map[string]Resource) []Risk {
	var out []Risk
	for _, c := range changes {
		rc := c.ResourceChange
		if c.Type != types.ChangeTypeResource || rc == nil || rc.ResourceType == nil || rc.LogicalResourceId == nil {
			continue
		}
		if !IsStateful(*rc.ResourceType) {
			continue
		}
		r := Risk{Stack: stack, LogicalID: *rc.LogicalResourceId, Type: *rc.ResourceType,
			Path: known[*rc.LogicalResourceId].Path, Policy: string(rc.PolicyAction)}
		switch {
		case rc.Action == types.ChangeActionRemove:
			r.Action = "Remove"
			if r.Policy == "" {
				r.Policy = known[r.LogicalID].DeletionPolicy
			}
		case rc.Replacement == types.ReplacementTrue:
			r.Action = "Replace"
		case rc.Replacement == types.ReplacementConditional:
			r.Action = "May replace"
		case rc.Action == types.ChangeActionDynamic:
			r.Action = "May replace" // CloudFormation cannot tell before deploying
		default:
			continue
		}
		if r.Action != "Remove" {
			r.Causes = causes(rc.Details)
		}
		out = append(out, r)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].LogicalID < out[j].LogicalID })
	return out
}

// causes lists the details that recreate the resource: "DBName (always)".
func causes(details []types.ResourceChangeDetail) []string {
	seen := map[string]bool{}
	var out []string
	for _, d := range details {
		t := d.Target
		if t == nil || t.RequiresRecreation == types.RequiresRecreationNever || t.RequiresRecreation == "" {
			continue
		}
		name := string(t.Attribute)
		if t.Name != nil && *t.Name != "" {
			name = *t.Name
		}
		how := "always"
		if t.RequiresRecreation == types.RequiresRecreationConditionally {
			how = "depending on its new value"
		}
		if d.ChangeSource == types.ChangeSourceResourceReference && d.CausingEntity != nil {
			how += ", because " + *d.CausingEntity + " changes"
		}
		s := name + " (" + how + ")"
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

// Disallowed returns the risks no name in allow names.
func Disallowed(risks []Risk, allow []string) []Risk {
	var out []Risk
	for _, r := range risks {
		if !r.Allowed(allow) {
			out = append(out, r)
		}
	}
	return out
}

// RefusedError is a deploy stopped because it would replace or remove stored
// data that was not allowed by name.
type RefusedError struct {
	// Risks are the refused changes.
	Risks []Risk
	// Deployed names stacks already deployed by this run before the refusal.
	Deployed []string
}

func (e *RefusedError) Error() string {
	var b strings.Builder
	WriteRisks(&b, e.Risks)
	fmt.Fprintf(&b, "Refused: the deploy would lose the data above. Its change set was deleted; ")
	if len(e.Deployed) == 0 {
		b.WriteString("nothing was changed.\n")
	} else {
		fmt.Fprintf(&b, "%s was already deployed by this run; nothing else was changed.\n", strings.Join(e.Deployed, " and "))
	}
	b.WriteString("If you mean it (take a snapshot or a copy first), deploy again with:\n  djangocdk deploy")
	for _, r := range e.Risks {
		b.WriteString(" " + r.Flag())
	}
	b.WriteString("\nOr undo the configuration change that causes it.")
	return b.String()
}

// WriteRisks prints one block per risk: what, where, why, and the consequence.
func WriteRisks(w io.Writer, risks []Risk) {
	for _, r := range risks {
		fmt.Fprintf(w, "  %s %s/%s (%s)\n", r.Action, r.Stack, r.LogicalID, r.Type)
		if r.Path != "" {
			fmt.Fprintf(w, "      construct: %s\n", r.Path)
		}
		if len(r.Causes) > 0 {
			fmt.Fprintf(w, "      because:   %s\n", strings.Join(r.Causes, ", "))
		}
		fmt.Fprintf(w, "      data:      %s\n", r.Consequence())
		fmt.Fprintf(w, "      allow:     %s\n", r.Flag())
	}
}
