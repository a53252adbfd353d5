"""The release step's handler, through the real AWS SDK against local endpoints.

moto server covers what it can express (a real RunTask against a registered
task definition and real subnets, a task still running, a timeout that stops
the task); a fake ECS endpoint covers what moto cannot (exit codes, a task
that never started, RunTask failures).
"""

from __future__ import annotations

import json
import time
from typing import Any

import boto3
import pytest
from conftest import FakeAws, load_release_handler

release = load_release_handler()

CLUSTER = "arn:aws:ecs:us-east-1:123456789012:cluster/site"
TASK_DEF = "arn:aws:ecs:us-east-1:123456789012:task-definition/site-release:7"
TASK_ARN = "arn:aws:ecs:us-east-1:123456789012:task/site/0123456789abcdef"


def props(**over: Any) -> dict[str, Any]:
    p = {
        "ServiceToken": "arn:aws:lambda:us-east-1:123456789012:function:provider",
        "Cluster": CLUSTER,
        "TaskDefinition": TASK_DEF,
        "ContainerName": "release",
        "Subnets": ["subnet-a", "subnet-b"],
        "SecurityGroups": ["sg-web"],
        "LogGroup": "site-release-logs",
        "LogStreamPrefix": "release",
        "TimeoutSeconds": "1200",
    }
    p.update(over)
    return p


def event(request: str, **over: Any) -> dict[str, Any]:
    return {"RequestType": request, "ResourceProperties": props(**over)}


def stopped(exit_code: int | None, **task: Any) -> dict[str, Any]:
    container: dict[str, Any] = {"name": "release", "lastStatus": "STOPPED"}
    if exit_code is not None:
        container["exitCode"] = exit_code
    return {"tasks": [{"taskArn": TASK_ARN, "lastStatus": "STOPPED", "containers": [container], **task}]}


def running() -> dict[str, Any]:
    return {"tasks": [{"taskArn": TASK_ARN, "lastStatus": "RUNNING", "containers": [{"name": "release"}]}]}


def started(fake: FakeAws, request: str = "Create") -> dict[str, Any]:
    """Run on_event and return the event isComplete receives (event + result)."""
    fake.run_task = {"tasks": [{"taskArn": TASK_ARN, "lastStatus": "PROVISIONING"}], "failures": []}
    ev = event(request)
    return {**ev, **release.on_event(ev)}


class TestFakeEcs:
    def test_exit_zero_completes(self, fake_aws: FakeAws) -> None:
        ev = started(fake_aws)
        action, body = fake_aws.calls[0]
        assert action == "RunTask"
        assert body["cluster"] == CLUSTER and body["taskDefinition"] == TASK_DEF
        assert body["launchType"] == "FARGATE" and body["startedBy"] == "djangocdk-release"
        assert body["networkConfiguration"]["awsvpcConfiguration"] == {
            "subnets": ["subnet-a", "subnet-b"],
            "securityGroups": ["sg-web"],
            "assignPublicIp": "DISABLED",
        }
        fake_aws.describe = [running(), stopped(0)]
        assert release.is_complete(ev) == {"IsComplete": False}
        done = release.is_complete(ev)
        assert done["IsComplete"] is True
        assert done["Data"] == {"TaskArn": TASK_ARN, "ExitCode": "0"}

    def test_nonzero_exit_fails_with_code_and_logs(self, fake_aws: FakeAws) -> None:
        ev = started(fake_aws)
        fake_aws.describe = [stopped(1)]
        fake_aws.log_events = ["Applying app.0002... FAILED", "django.db.utils.ProgrammingError: boom"]
        with pytest.raises(release.ReleaseError) as err:
            release.is_complete(ev)
        msg = str(err.value)
        assert "exited with code 1" in msg
        assert "log group site-release-logs" in msg
        assert "stream release/release/0123456789abcdef" in msg
        assert "ProgrammingError: boom" in msg
        get_logs = [b for a, b in fake_aws.calls if a == "GetLogEvents"]
        assert get_logs[0]["logStreamName"] == "release/release/0123456789abcdef"

    def test_task_that_never_started(self, fake_aws: FakeAws) -> None:
        ev = started(fake_aws)
        fake_aws.describe = [
            stopped(
                None,
                stopCode="TaskFailedToStart",
                stoppedReason="CannotPullContainerError: pull image manifest has been retried 5 time(s)",
            )
        ]
        with pytest.raises(release.ReleaseError) as err:
            release.is_complete(ev)
        msg = str(err.value)
        assert "never started" in msg
        assert "TaskFailedToStart" in msg and "CannotPullContainerError" in msg
        assert "stream release/release/0123456789abcdef" in msg

    def test_run_task_failure_fails_at_once(self, fake_aws: FakeAws) -> None:
        fake_aws.run_task = {"tasks": [], "failures": [{"arn": "", "reason": "RESOURCE:ENI"}]}
        with pytest.raises(release.ReleaseError, match="could not be started: RESOURCE:ENI"):
            release.on_event(event("Create"))

    def test_timeout_stops_the_task(self, fake_aws: FakeAws) -> None:
        ev = started(fake_aws)
        ev["Data"]["StartedAt"] = str(time.time() - 61)
        ev["ResourceProperties"]["TimeoutSeconds"] = "60"
        fake_aws.describe = [{"tasks": [{"taskArn": TASK_ARN, "lastStatus": "PENDING", "containers": []}]}]
        with pytest.raises(release.ReleaseError, match="timed out after 60s while PENDING"):
            release.is_complete(ev)
        stops = [b for a, b in fake_aws.calls if a == "StopTask"]
        assert stops == [{"cluster": CLUSTER, "task": TASK_ARN, "reason": "djangocdk release step timed out"}]

    def test_update_to_a_new_revision_runs_it(self, fake_aws: FakeAws) -> None:
        fake_aws.run_task = {"tasks": [{"taskArn": TASK_ARN}], "failures": []}
        first = release.on_event(event("Create"))
        new = TASK_DEF.replace(":7", ":8")
        update = {
            **event("Update", TaskDefinition=new),
            "OldResourceProperties": props(),
            "PhysicalResourceId": first["PhysicalResourceId"],
        }
        second = release.on_event(update)
        # A new physical ID per revision: CloudFormation treats the old one as replaced.
        assert (first["PhysicalResourceId"], second["PhysicalResourceId"]) == (f"release:{TASK_DEF}", f"release:{new}")
        assert [b["taskDefinition"] for a, b in fake_aws.calls if a == "RunTask"] == [TASK_DEF, new]

    def test_rollback_never_runs_a_release(self, fake_aws: FakeAws) -> None:
        # UPDATE_ROLLBACK: CloudFormation sends an Update back to the old properties.
        new = TASK_DEF.replace(":7", ":8")
        for physical in (f"release:{new}", f"release:{TASK_DEF}"):  # after our update succeeded, or failed
            ev = {**event("Update"), "OldResourceProperties": props(TaskDefinition=new), "PhysicalResourceId": physical}
            out = release.on_event(ev)
            assert out["PhysicalResourceId"] == f"release:{TASK_DEF}"
            assert "a rollback" in out["Data"]["Skipped"] or "released already" in out["Data"]["Skipped"]
            assert release.is_complete({**ev, **out}) == {"IsComplete": True}
        assert fake_aws.calls == [], "a rollback must not touch ECS"

    def test_same_revision_is_released_once(self, fake_aws: FakeAws) -> None:
        # An Update that changes only, e.g., the timeout keeps the revision: no second release.
        ev = {
            **event("Update", TimeoutSeconds="600"),
            "OldResourceProperties": props(),
            "PhysicalResourceId": f"release:{TASK_DEF}",
        }
        out = release.on_event(ev)
        assert "released already" in out["Data"]["Skipped"] and fake_aws.calls == []

    def test_delete_does_nothing(self, fake_aws: FakeAws) -> None:
        # Also the cleanup of a replaced revision, and the removal of a rolled-back one.
        ev = {**event("Delete"), "PhysicalResourceId": f"release:{TASK_DEF}"}
        assert release.on_event(ev) == {"PhysicalResourceId": f"release:{TASK_DEF}"}
        assert release.is_complete(ev) == {"IsComplete": True}
        assert fake_aws.calls == []


def metric_lines(out: str) -> list[dict[str, Any]]:
    """The Embedded Metric Format lines a handler printed."""
    return [json.loads(line) for line in out.splitlines() if line.startswith('{"_aws"')]


class TestFailureMetric:
    """A failed release prints one EMF line: ReleaseFailed = 1 for the app."""

    def assert_one_failure(self, out: str, app: str, reason: str) -> None:
        lines = metric_lines(out)
        assert len(lines) == 1, out
        emf = lines[0]
        directive = emf["_aws"]["CloudWatchMetrics"]
        assert directive == [
            {"Namespace": "djangocdk", "Dimensions": [["App"]], "Metrics": [{"Name": "ReleaseFailed", "Unit": "Count"}]}
        ]
        assert isinstance(emf["_aws"]["Timestamp"], int) and emf["_aws"]["Timestamp"] > 1_600_000_000_000
        assert emf["App"] == app and emf["ReleaseFailed"] == 1
        assert reason in emf["Reason"]

    def test_nonzero_exit_prints_the_metric(
        self, fake_aws: FakeAws, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setenv("DJANGOCDK_APP", "MysiteApp-Django")
        ev = started(fake_aws)
        fake_aws.describe = [stopped(2)]
        with pytest.raises(release.ReleaseError):
            release.is_complete(ev)
        self.assert_one_failure(capsys.readouterr().out, "MysiteApp-Django", "exited with code 2")

    def test_run_task_failure_prints_the_metric(
        self, fake_aws: FakeAws, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.delenv("DJANGOCDK_APP", raising=False)
        fake_aws.run_task = {"tasks": [], "failures": [{"arn": "", "reason": "RESOURCE:ENI"}]}
        with pytest.raises(release.ReleaseError):
            release.on_event(event("Create"))
        # Without the variable the cluster names the app.
        self.assert_one_failure(capsys.readouterr().out, CLUSTER, "RESOURCE:ENI")

    def test_success_running_and_skips_print_no_metric(
        self, fake_aws: FakeAws, capsys: pytest.CaptureFixture[str]
    ) -> None:
        ev = started(fake_aws)
        fake_aws.describe = [running(), stopped(0)]
        assert release.is_complete(ev) == {"IsComplete": False}
        assert release.is_complete(ev)["IsComplete"] is True
        rollback = {
            **event("Update"),
            "OldResourceProperties": props(TaskDefinition=TASK_DEF.replace(":7", ":8")),
            "PhysicalResourceId": f"release:{TASK_DEF}",
        }
        assert "Skipped" in release.on_event(rollback)["Data"]
        assert metric_lines(capsys.readouterr().out) == []

    def test_delete_failure_is_not_a_release_failure(self, capsys: pytest.CaptureFixture[str]) -> None:
        # A Delete never runs a release; an error there is not counted.
        with pytest.raises(KeyError):
            release.on_event({"RequestType": "Delete"})
        assert metric_lines(capsys.readouterr().out) == []


class TestMoto:
    @pytest.fixture
    def ecs_setup(self, moto_endpoint: str, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
        monkeypatch.setenv("AWS_ENDPOINT_URL", moto_endpoint)
        ec2 = boto3.client("ec2")
        vpc = ec2.create_vpc(CidrBlock="10.9.0.0/16")["Vpc"]["VpcId"]
        # As in a CDK VPC; Fargate tasks get private DNS names from it.
        ec2.modify_vpc_attribute(VpcId=vpc, EnableDnsHostnames={"Value": True})
        subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="10.9.1.0/24")["Subnet"]["SubnetId"]
        sg = ec2.create_security_group(GroupName=f"web-{time.time_ns()}", Description="web", VpcId=vpc)["GroupId"]
        ecs = boto3.client("ecs")
        cluster = ecs.create_cluster(clusterName=f"site-{time.time_ns()}")["cluster"]["clusterArn"]
        # moto needs container-level cpu/memory to place the task.
        td = ecs.register_task_definition(
            family="site-release",
            networkMode="awsvpc",
            requiresCompatibilities=["FARGATE"],
            cpu="512",
            memory="1024",
            containerDefinitions=[
                {"name": "release", "image": "site:latest", "essential": True, "cpu": 512, "memory": 1024}
            ],
        )["taskDefinition"]["taskDefinitionArn"]
        return props(Cluster=cluster, TaskDefinition=td, Subnets=[subnet], SecurityGroups=[sg])

    def test_run_task_then_running_is_not_complete(self, ecs_setup: dict[str, Any]) -> None:
        ev = {"RequestType": "Create", "ResourceProperties": ecs_setup}
        ev = {**ev, **release.on_event(ev)}
        task_arn = ev["Data"]["TaskArn"]
        task = boto3.client("ecs").describe_tasks(cluster=ecs_setup["Cluster"], tasks=[task_arn])["tasks"][0]
        assert task["startedBy"] == "djangocdk-release"
        assert task["taskDefinitionArn"] == ecs_setup["TaskDefinition"]
        assert release.is_complete(ev) == {"IsComplete": False}

    def test_timeout_stops_the_task_in_moto(self, ecs_setup: dict[str, Any]) -> None:
        ev = {"RequestType": "Create", "ResourceProperties": {**ecs_setup, "TimeoutSeconds": "30"}}
        ev = {**ev, **release.on_event(ev)}
        ev["Data"]["StartedAt"] = str(time.time() - 31)
        with pytest.raises(release.ReleaseError, match="timed out after 30s"):
            release.is_complete(ev)
        task = boto3.client("ecs").describe_tasks(cluster=ecs_setup["Cluster"], tasks=[ev["Data"]["TaskArn"]])["tasks"][
            0
        ]
        assert task["lastStatus"] == "STOPPED"
        assert task["stoppedReason"] == "djangocdk release step timed out"

    def test_unknown_task_definition_fails(self, ecs_setup: dict[str, Any]) -> None:
        bad = {**ecs_setup, "TaskDefinition": "arn:aws:ecs:us-east-1:123456789012:task-definition/missing:1"}
        with pytest.raises(Exception, match="(?i)not ?found|does not exist|Unable"):
            release.on_event({"RequestType": "Create", "ResourceProperties": bad})

    def test_rollback_event_starts_nothing_in_moto(self, ecs_setup: dict[str, Any]) -> None:
        ecs = boto3.client("ecs")
        described = ecs.describe_task_definition(taskDefinition=ecs_setup["TaskDefinition"])["taskDefinition"]
        newer = ecs.register_task_definition(
            family=described["family"],
            networkMode="awsvpc",
            requiresCompatibilities=["FARGATE"],
            cpu="512",
            memory="1024",
            containerDefinitions=described["containerDefinitions"],
        )["taskDefinition"]["taskDefinitionArn"]
        forward = {
            "RequestType": "Update",
            "ResourceProperties": {**ecs_setup, "TaskDefinition": newer},
            "OldResourceProperties": ecs_setup,
            "PhysicalResourceId": "release:" + ecs_setup["TaskDefinition"],
        }
        out = release.on_event(forward)
        assert out["PhysicalResourceId"] == "release:" + newer and "TaskArn" in out["Data"]
        rollback = {
            "RequestType": "Update",
            "ResourceProperties": ecs_setup,
            "OldResourceProperties": {**ecs_setup, "TaskDefinition": newer},
            "PhysicalResourceId": out["PhysicalResourceId"],
        }
        back = release.on_event(rollback)
        assert back["PhysicalResourceId"] == "release:" + ecs_setup["TaskDefinition"]
        assert release.is_complete({**rollback, **back}) == {"IsComplete": True}
        tasks = ecs.list_tasks(cluster=ecs_setup["Cluster"])["taskArns"]
        assert len(tasks) == 1, "only the forward release ran a task"
