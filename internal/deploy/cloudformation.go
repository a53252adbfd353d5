package deploy

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
	"github.com/aws/smithy-go"
)

// CloudFormationAPI is the part of the CloudFormation client deploy uses.
type CloudFormationAPI interface {
	DescribeChangeSet(context.Context, *cloudformation.DescribeChangeSetInput, ...func(*cloudformation.Options)) (*cloudformation.DescribeChangeSetOutput, error)
	DeleteChangeSet(context.Context, *cloudformation.DeleteChangeSetInput, ...func(*cloudformation.Options)) (*cloudformation.DeleteChangeSetOutput, error)
	DescribeStacks(context.Context, *cloudformation.DescribeStacksInput, ...func(*cloudformation.Options)) (*cloudformation.DescribeStacksOutput, error)
	GetTemplate(context.Context, *cloudformation.GetTemplateInput, ...func(*cloudformation.Options)) (*cloudformation.GetTemplateOutput, error)
}

// NewCloudFormation returns a CloudFormation client for the credentials' configuration.
func NewCloudFormation(cfg aws.Config) CloudFormationAPI { return cloudformation.NewFromConfig(cfg) }

// ChangeSet is a described change set: every page of its changes.
type ChangeSet struct {
	// Exists is false when there is no such change set (the CDK CLI skips
	// creating one when the stack is already up to date).
	Exists bool
	// Empty is true when CloudFormation found nothing to change.
	Empty bool
	// Status and Reason as CloudFormation reports them.
	Status, Reason string
	// Changes of all pages.
	Changes []types.Change
}

// DescribeChangeSet reads a change set, following NextToken through every page.
func DescribeChangeSet(ctx context.Context, cfn CloudFormationAPI, stack, name string) (*ChangeSet, error) {
	cs := &ChangeSet{Exists: true}
	var token *string
	for {
		out, err := cfn.DescribeChangeSet(ctx, &cloudformation.DescribeChangeSetInput{
			StackName: aws.String(stack), ChangeSetName: aws.String(name), NextToken: token,
		})
		if err != nil {
			var nf *types.ChangeSetNotFoundException
			if errors.As(err, &nf) || isNotFound(err) {
				return &ChangeSet{Empty: true}, nil
			}
			return nil, fmt.Errorf("describe change set %s of %s: %w", name, stack, err)
		}
		cs.Status, cs.Reason = string(out.Status), aws.ToString(out.StatusReason)
		cs.Changes = append(cs.Changes, out.Changes...)
		if out.NextToken == nil || *out.NextToken == "" {
			break
		}
		token = out.NextToken
	}
	if cs.Status == string(types.ChangeSetStatusFailed) {
		if isNoChanges(cs.Reason) {
			cs.Empty = true
			return cs, nil
		}
		return nil, fmt.Errorf("change set %s of %s failed: %s", name, stack, cs.Reason)
	}
	cs.Empty = len(cs.Changes) == 0
	return cs, nil
}

func isNoChanges(reason string) bool {
	return strings.Contains(reason, "didn't contain changes") || strings.Contains(reason, "No updates are to be performed")
}

func isNotFound(err error) bool {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		return ae.ErrorCode() == "ChangeSetNotFound" || ae.ErrorCode() == "ChangeSetNotFoundException" ||
			(ae.ErrorCode() == "ValidationError" && strings.Contains(ae.ErrorMessage(), "does not exist"))
	}
	return false
}

// DeleteChangeSet deletes a change set; one already gone is not an error.
func DeleteChangeSet(ctx context.Context, cfn CloudFormationAPI, stack, name string) error {
	_, err := cfn.DeleteChangeSet(ctx, &cloudformation.DeleteChangeSetInput{StackName: aws.String(stack), ChangeSetName: aws.String(name)})
	if err != nil && !isNotFound(err) {
		var nf *types.ChangeSetNotFoundException
		if !errors.As(err, &nf) {
			return fmt.Errorf("delete change set %s of %s: %w", name, stack, err)
		}
	}
	return nil
}

// Deployed is the state of the two stacks in CloudFormation.
type Deployed struct {
	// Exports of the data stack and imports of the app stack.
	Exports Exports
	// Templates are the deployed templates by stack name (absent: not deployed).
	Templates map[string][]byte
}

// ReadDeployed reads the deployed data stack's exports (DescribeStacks
// outputs with an ExportName) and the deployed app stack's imports (the
// Fn::ImportValue names of its template, GetTemplate). A stack that does not
// exist, or only exists as an empty REVIEW_IN_PROGRESS shell, is absent.
func ReadDeployed(ctx context.Context, cfn CloudFormationAPI, dataStack, appStack string) (*Deployed, error) {
	d := &Deployed{Exports: Exports{Data: map[string]string{}}, Templates: map[string][]byte{}}
	for _, name := range []string{dataStack, appStack} {
		out, err := cfn.DescribeStacks(ctx, &cloudformation.DescribeStacksInput{StackName: aws.String(name)})
		if err != nil {
			var ae smithy.APIError
			if errors.As(err, &ae) && ae.ErrorCode() == "ValidationError" && strings.Contains(ae.ErrorMessage(), "does not exist") {
				continue
			}
			return nil, fmt.Errorf("describe stack %s: %w", name, err)
		}
		if len(out.Stacks) == 0 || out.Stacks[0].StackStatus == types.StackStatusReviewInProgress ||
			out.Stacks[0].StackStatus == types.StackStatusDeleteComplete {
			continue
		}
		tpl, err := cfn.GetTemplate(ctx, &cloudformation.GetTemplateInput{StackName: aws.String(name), TemplateStage: types.TemplateStageOriginal})
		if err != nil {
			return nil, fmt.Errorf("get template of %s: %w", name, err)
		}
		body := []byte(aws.ToString(tpl.TemplateBody))
		d.Templates[name] = body
		if name == dataStack {
			d.Exports.DataExists = true
			for _, o := range out.Stacks[0].Outputs {
				if o.ExportName != nil {
					d.Exports.Data[*o.ExportName] = aws.ToString(o.OutputValue)
				}
			}
			continue
		}
		d.Exports.AppExists = true
		if d.Exports.AppImports, err = TemplateImports(body); err != nil {
			return nil, fmt.Errorf("deployed template of %s: %w", name, err)
		}
	}
	return d, nil
}
