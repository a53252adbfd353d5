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

// TestTaskRolePerProcess: each process has its own role with what it uses:
// beat only sends tasks, the web process never consumes them, only the
// worker does; files are for web, release and worker.
func TestTaskRolePerProcess(t *testing.T) {
	s := synth(t, func(awscdk.Stack) *djangocdk.DjangoEcsProps {
		p := baseProps()
		p.Broker, p.Cache.Engine, p.Beat.Enabled = djangocdk.BrokerSQS, djangocdk.CacheNone, true
		return p
	})
	roleIDs := map[string]string{}
	for _, process := range djangocdk.ContractProcesses {
		td := tpTaskDef(t, s.tpl, process)
		roleIDs[process] = jsonOf(props(td)["TaskRoleArn"])
	}
	seen := map[string]bool{}
	for process, id := range roleIDs {
		if seen[id] {
			t.Errorf("%s shares its task role: %s", process, id)
		}
		seen[id] = true
	}
	grants := map[string]string{}
	for _, pol := range s.tpl.resources("AWS::IAM::Policy") {
		for process, id := range roleIDs {
			ref := id[strings.Index(id, `["`)+2 : strings.Index(id, `",`)]
			if strings.Contains(jsonOf(props(pol)["Roles"]), ref) {
				grants[process] += jsonOf(props(pol)["PolicyDocument"])
			}
		}
	}
	want := map[string][3]bool{ // s3:PutObject, sqs:SendMessage, sqs:ReceiveMessage
		djangocdk.ProcessWeb:     {true, true, false},
		djangocdk.ProcessWorker:  {true, true, true},
		djangocdk.ProcessBeat:    {false, true, false},
		djangocdk.ProcessRelease: {true, false, false},
	}
	for process, w := range want {
		g := grants[process]
		got := [3]bool{strings.Contains(g, "s3:PutObject"), strings.Contains(g, "sqs:SendMessage"), strings.Contains(g, "sqs:ReceiveMessage")}
		if got != w {
			t.Errorf("%s role: PutObject/SendMessage/ReceiveMessage = %v, want %v", process, got, w)
		}
	}
}

// tpTaskDef returns the task definition whose container is the process.
func tpTaskDef(t *testing.T, tp template, process string) map[string]any {
	t.Helper()
	for _, td := range tp.resources("AWS::ECS::TaskDefinition") {
		if strings.Contains(jsonOf(props(td)["ContainerDefinitions"]), `"Name":"`+process+`"`) {
			return td
		}
	}
	t.Fatalf("no task definition for %s", process)
	return nil
}
