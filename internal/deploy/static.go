package deploy

import (
	"encoding/json"
	"fmt"
	"io"
	"reflect"
	"sort"
)

// replacing lists, per stateful type, the properties whose change makes
// CloudFormation replace the resource: "always" ones (createOnly in the
// CloudFormation registry schema, "Update requires: Replacement") and
// "conditional" ones (replacement for some changes only). Taken from the
// service specification shipped with the aws-cdk CLI 2.1148.1
// (db.json.gz, causesReplacement "yes" / "maybe"), keeping of the "maybe"
// ones those that can really recreate the resource (not the ones that only
// reboot it, such as MultiAZ or PreferredMaintenanceWindow).
var replacing = map[string]struct{ always, conditional []string }{
	"AWS::RDS::DBInstance": {
		always:      []string{"CharacterSetName", "DBClusterIdentifier", "DBInstanceIdentifier", "DBName", "DBSubnetGroupName", "KmsKeyId", "MasterUsername", "NcharCharacterSetName", "Port", "StorageEncrypted", "Timezone"},
		conditional: []string{"AvailabilityZone", "DBSnapshotIdentifier", "Engine", "SourceDBInstanceIdentifier"},
	},
	"AWS::RDS::DBCluster": {
		always:      []string{"AvailabilityZones", "DBClusterIdentifier", "DBSubnetGroupName", "DatabaseName", "EngineMode", "KmsKeyId", "PubliclyAccessible", "SnapshotIdentifier", "SourceDBClusterIdentifier", "StorageEncrypted"},
		conditional: []string{"Engine", "GlobalClusterIdentifier", "MasterUsername"},
	},
	"AWS::ElastiCache::ReplicationGroup": {
		always:      []string{"AtRestEncryptionEnabled", "CacheSubnetGroupName", "DataTieringEnabled", "Engine", "GlobalReplicationGroupId", "KmsKeyId", "NetworkType", "Port", "PreferredCacheClusterAZs", "ReplicasPerNodeGroup", "ReplicationGroupId", "SnapshotArns", "SnapshotName"},
		conditional: []string{"AuthToken", "NodeGroupConfiguration", "NumNodeGroups"},
	},
	"AWS::ElastiCache::CacheCluster": {
		always:      []string{"CacheSubnetGroupName", "ClusterName", "Engine", "NetworkType", "Port", "SnapshotArns", "SnapshotName"},
		conditional: []string{"AZMode", "NumCacheNodes", "PreferredAvailabilityZone", "PreferredAvailabilityZones"},
	},
	"AWS::ElastiCache::ServerlessCache": {
		always: []string{"KmsKeyId", "NetworkType", "ServerlessCacheName", "SnapshotArnsToRestore", "SubnetIds"},
	},
	"AWS::S3::Bucket":             {always: []string{"BucketName", "ObjectLockEnabled"}},
	"AWS::SQS::Queue":             {always: []string{"FifoQueue", "QueueName"}},
	"AWS::SecretsManager::Secret": {always: []string{"Name"}},
	"AWS::EFS::FileSystem":        {always: []string{"AvailabilityZoneName", "Encrypted", "KmsKeyId", "PerformanceMode"}},
	"AWS::DynamoDB::Table":        {always: []string{"KeySchema", "TableName"}},
	"AWS::DynamoDB::GlobalTable":  {always: []string{"KeySchema", "LocalSecondaryIndexes", "TableName"}},
}

// StaticRisks compares two templates of a stack without CloudFormation: a
// stateful resource of the old one whose logical ID is gone (or whose type
// changed) is removed; one whose replacement-causing property changed is
// replaced (or may be). paths gives construct paths by logical ID (may be nil).
func StaticRisks(stack string, old, next []byte, paths map[string]string) ([]Risk, error) {
	before, err := TemplateResources(old)
	if err != nil {
		return nil, fmt.Errorf("%s (before): %w", stack, err)
	}
	after, err := TemplateResources(next)
	if err != nil {
		return nil, fmt.Errorf("%s (after): %w", stack, err)
	}
	var out []Risk
	for id, b := range before {
		if !IsStateful(b.Type) {
			continue
		}
		r := Risk{Stack: stack, LogicalID: id, Type: b.Type, Path: paths[id]}
		if r.Path == "" {
			r.Path = b.Path
		}
		a, ok := after[id]
		switch {
		case !ok:
			r.Action, r.Policy = "Remove", b.DeletionPolicy
		case a.Type != b.Type:
			r.Action, r.Causes = "Replace", []string{"Type (always)"}
		default:
			props := replacing[b.Type]
			r.Causes = changed(b.Properties, a.Properties, props.always, "always")
			r.Action = "Replace"
			if len(r.Causes) == 0 {
				r.Causes = changed(b.Properties, a.Properties, props.conditional, "depending on its new value")
				r.Action = "May replace"
			}
			if len(r.Causes) == 0 {
				continue
			}
			switch b.UpdateReplacePolicy {
			case "Retain":
				r.Policy = "ReplaceAndRetain"
			case "Snapshot":
				r.Policy = "ReplaceAndSnapshot"
			}
		}
		out = append(out, r)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].LogicalID < out[j].LogicalID })
	return out, nil
}

func changed(before, after map[string]json.RawMessage, names []string, how string) []string {
	var out []string
	for _, name := range names {
		if !sameJSON(before[name], after[name]) {
			out = append(out, name+" ("+how+")")
		}
	}
	return out
}

func sameJSON(a, b json.RawMessage) bool {
	if len(a) == 0 || len(b) == 0 {
		return len(a) == len(b)
	}
	var x, y any
	if json.Unmarshal(a, &x) != nil || json.Unmarshal(b, &y) != nil {
		return string(a) == string(b)
	}
	return reflect.DeepEqual(x, y)
}

// WriteStaticWarning prints the risks a static comparison found, saying
// what it compared with and that the deploy-time check decides.
func WriteStaticWarning(w io.Writer, risks []Risk, against string) {
	if len(risks) == 0 {
		return
	}
	fmt.Fprintf(w, "Warning: compared with the %s, this configuration would lose stored data:\n", against)
	WriteRisks(w, risks)
	fmt.Fprintf(w, "This is a reading of the templates. The check that decides is at deploy time: `djangocdk deploy`\n"+
		"inspects CloudFormation's change set and refuses these changes unless each is named with %s.\n", AllowFlag)
}
