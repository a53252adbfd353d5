package preflight

import (
	"reflect"
	"strings"
	"testing"
)

const templateSnippet = `{"Resources": {
  "Bucket": {"Type": "AWS::S3::Bucket", "Properties": {}},
  "WebTaskDefinition": {"Type": "AWS::ECS::TaskDefinition", "Properties": {"ContainerDefinitions": [{
    "Name": "web",
    "EntryPoint": ["python", "-m", "djangocdk_settings", "exec"],
    "Command": ["gunicorn", "mysite.wsgi:application"],
    "Environment": [
      {"Name": "DJANGO_DEBUG", "Value": "false"},
      {"Name": "DJANGO_ALLOWED_HOSTS", "Value": {"Fn::GetAtt": ["LoadBalancer", "DNSName"]}}
    ],
    "Secrets": [{"Name": "DJANGO_SECRET_KEY", "ValueFrom": {"Ref": "Secret"}}]
  }]}},
  "WorkerTaskDefinition": {"Type": "AWS::ECS::TaskDefinition", "Properties": {"ContainerDefinitions": [{"Name": "worker"}]}}
}}`

func TestReadContainer(t *testing.T) {
	c, err := ReadContainer([]byte(templateSnippet), "web")
	if err != nil {
		t.Fatal(err)
	}
	want := Container{
		Environment: map[string]any{
			"DJANGO_DEBUG":         "false",
			"DJANGO_ALLOWED_HOSTS": map[string]any{"Fn::GetAtt": []any{"LoadBalancer", "DNSName"}},
		},
		Secrets:    []string{"DJANGO_SECRET_KEY"},
		EntryPoint: []string{"python", "-m", "djangocdk_settings", "exec"},
		Command:    []string{"gunicorn", "mysite.wsgi:application"},
	}
	if !reflect.DeepEqual(c, want) {
		t.Errorf("got %#v\nwant %#v", c, want)
	}
	if _, err := ReadContainer([]byte(templateSnippet), "beat"); err == nil || !strings.Contains(err.Error(), `no task definition in the template has a container named "beat"`) {
		t.Errorf("missing container: %v", err)
	}
}
