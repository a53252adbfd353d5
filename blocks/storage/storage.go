// Package storage is the storage building block: the private, encrypted,
// versioned S3 bucket for static/ and media/, and the access-log bucket.
package storage

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
)

// Storage is the storage building block: a private, encrypted, SSL-only S3
// bucket for static and media files (served by the Edge through Origin
// Access Control), and a bucket for access logs (S3, CloudFront, ALB).
type Storage interface {
	constructs.Construct
	// Bucket holds static/ and media/.
	Bucket() awss3.Bucket
	// LogsBucket receives access logs; objects expire after 90 days.
	LogsBucket() awss3.Bucket
	// GrantAppAccess gives grantee exactly what django-storages needs: list
	// the bucket, read, write and delete its objects.
	GrantAppAccess(grantee awsiam.IGrantable)
}

// Options configures New.
type Options struct {
	StorageProps
}

type storage struct {
	constructs.Construct
	bucket, logs awss3.Bucket
}

func (s *storage) Bucket() awss3.Bucket     { return s.bucket }
func (s *storage) LogsBucket() awss3.Bucket { return s.logs }

func (s *storage) GrantAppAccess(grantee awsiam.IGrantable) {
	awsiam.Grant_AddToPrincipal(&awsiam.GrantOnPrincipalOptions{
		Grantee:      grantee,
		Actions:      jsii.Strings("s3:ListBucket"),
		ResourceArns: jsii.Strings(*s.bucket.BucketArn()),
	})
	awsiam.Grant_AddToPrincipal(&awsiam.GrantOnPrincipalOptions{
		Grantee:      grantee,
		Actions:      jsii.Strings("s3:GetObject", "s3:PutObject", "s3:DeleteObject"),
		ResourceArns: jsii.Strings(*s.bucket.ArnForObjects(jsii.String("*"))),
	})
}

// New creates the storage building block. Both buckets are retained
// when the stack is deleted: uploads and logs are data.
func New(scope constructs.Construct, id string, o *Options) Storage {
	if o == nil {
		o = &Options{}
	}
	s := &storage{}
	constructs.NewConstruct_Override(s, scope, jsii.String(id))
	s.logs = awss3.NewBucket(s, jsii.String("LogsBucket"), &awss3.BucketProps{
		BlockPublicAccess: awss3.BlockPublicAccess_BLOCK_ALL(),
		Encryption:        awss3.BucketEncryption_S3_MANAGED,
		EnforceSSL:        jsii.Bool(true),
		// CloudFront standard logging writes with ACLs.
		ObjectOwnership: awss3.ObjectOwnership_OBJECT_WRITER,
		LifecycleRules: &[]*awss3.LifecycleRule{{
			Expiration:                          awscdk.Duration_Days(jsii.Number(90)),
			AbortIncompleteMultipartUploadAfter: awscdk.Duration_Days(jsii.Number(7)),
		}},
		RemovalPolicy: awscdk.RemovalPolicy_RETAIN,
	})
	s.bucket = awss3.NewBucket(s, jsii.String("Bucket"), &awss3.BucketProps{
		BlockPublicAccess: awss3.BlockPublicAccess_BLOCK_ALL(),
		Encryption:        awss3.BucketEncryption_S3_MANAGED,
		EnforceSSL:        jsii.Bool(true),
		MinimumTLSVersion: jsii.Number(1.2),
		ObjectOwnership:   awss3.ObjectOwnership_BUCKET_OWNER_ENFORCED,
		// Versioned in every profile: an overwritten or deleted upload can be
		// restored for 30 days (the lifecycle rule below), for pennies.
		Versioned:              jsii.Bool(true),
		ServerAccessLogsBucket: s.logs,
		ServerAccessLogsPrefix: jsii.String("s3/"),
		RemovalPolicy:          awscdk.RemovalPolicy_RETAIN,
		// Old versions (production versions the bucket) and abandoned uploads
		// would otherwise be stored, and paid for, forever.
		LifecycleRules: &[]*awss3.LifecycleRule{{
			NoncurrentVersionExpiration:         awscdk.Duration_Days(jsii.Number(30)),
			AbortIncompleteMultipartUploadAfter: awscdk.Duration_Days(jsii.Number(7)),
		}},
	})
	return s
}

// Props configures the static/media bucket.
type Props struct {
	// PriceClass of the CloudFront distribution. Default PriceClass_100.
	PriceClass string
	// StaticStorage selects how static files are stored (DJANGO_STATIC_STORAGE):
	// "s3-manifest" (default: hashed names on S3, cached for a year), "s3"
	// (plain names, for static files whose references Django's manifest
	// cannot resolve) or "project" (the project's own STORAGES choice, e.g.
	// WhiteNoise, is kept; media still go to S3).
	StaticStorage StaticStorage
}

// StaticStorage says where and how static files are stored.
type StaticStorage string

// Static storage modes.
const (
	// StaticS3Manifest stores static files on S3 under hashed names (default).
	StaticS3Manifest StaticStorage = "s3-manifest"
	// StaticS3 stores static files on S3 under their own names.
	StaticS3 StaticStorage = "s3"
	// StaticProject keeps the project's own static files storage.
	StaticProject StaticStorage = "project"
)

// StorageProps is Props under the name the embedded field of Options has
// carried since before the blocks had packages of their own.
type StorageProps = Props
