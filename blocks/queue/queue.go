// Package queue is the broker queue building block: the SQS queue Celery
// sends tasks to (the SQS broker) and its dead-letter queue.
package queue

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssqs"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
)

// NewBroker creates, directly in scope (construct IDs BrokerQueue and
// BrokerDeadLetterQueue), the encrypted, SSL-only broker queue with Celery's
// one-hour visibility timeout, and its dead-letter queue (14 days; a task
// delivered 5 times without success lands there). The dead-letter queue is
// the queue's DeadLetterQueue().Queue.
func NewBroker(scope constructs.Construct) awssqs.Queue {
	dlq := awssqs.NewQueue(scope, jsii.String("BrokerDeadLetterQueue"), &awssqs.QueueProps{
		Encryption:      awssqs.QueueEncryption_SQS_MANAGED,
		EnforceSSL:      jsii.Bool(true),
		RetentionPeriod: awscdk.Duration_Days(jsii.Number(14)),
	})
	return awssqs.NewQueue(scope, jsii.String("BrokerQueue"), &awssqs.QueueProps{
		Encryption: awssqs.QueueEncryption_SQS_MANAGED,
		EnforceSSL: jsii.Bool(true),
		// Celery's default visibility timeout: a task not acknowledged within
		// an hour is delivered again.
		VisibilityTimeout: awscdk.Duration_Hours(jsii.Number(1)),
		DeadLetterQueue:   &awssqs.DeadLetterQueue{Queue: dlq, MaxReceiveCount: jsii.Number(5)},
	})
}
