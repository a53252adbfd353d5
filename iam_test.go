package djangocdk_test

import (
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/djangocdk/djangocdk"
)

// TestReleaseFunctionsLeastPrivilege: the release handler may only start the
// release task on this cluster (and pass it its roles); IsComplete may only
// read, stop and tail tasks of this cluster. Every ECS action is conditioned
// on the cluster.
func TestReleaseFunctionsLeastPrivilege(t *testing.T) {
	tp := synth(t, func(awscdk.Stack) *djangocdk.DjangoEcsProps { return baseProps() }).tpl
	actions := map[string]string{} // role logical ID prefix -> statements JSON
	for _, pol := range tp.resources("AWS::IAM::Policy") {
		roles := jsonOf(props(pol)["Roles"])
		for _, fn := range []string{"ReleaseStepHandlerServiceRole", "ReleaseStepIsCompleteServiceRole"} {
			if strings.Contains(roles, fn) {
				actions[fn] += jsonOf(props(pol)["PolicyDocument"])
			}
		}
	}
	handler, isComplete := actions["ReleaseStepHandlerServiceRole"], actions["ReleaseStepIsCompleteServiceRole"]
	if !strings.Contains(handler, `"Action":"ecs:RunTask"`) || strings.Contains(handler, "ecs:StopTask") || strings.Contains(handler, "ecs:DescribeTasks") || strings.Contains(handler, "logs:GetLogEvents") {
		t.Errorf("the handler starts the task and nothing else: %s", handler)
	}
	if strings.Contains(isComplete, "ecs:RunTask") || strings.Contains(isComplete, "iam:PassRole") || !strings.Contains(isComplete, "ecs:StopTask") {
		t.Errorf("IsComplete reads and stops tasks, and starts none: %s", isComplete)
	}
	for name, doc := range map[string]string{"handler": handler, "IsComplete": isComplete} {
		if n := strings.Count(doc, `"ecs:`); n == 0 || strings.Count(doc, `"ecs:cluster"`) < 1 {
			t.Errorf("%s's ECS actions are not conditioned on the cluster: %s", name, doc)
		}
	}
	if !strings.Contains(handler, `"iam:PassedToService":"ecs-tasks.amazonaws.com"`) {
		t.Errorf("the handler may pass the task's roles only to ECS tasks: %s", handler)
	}
}
