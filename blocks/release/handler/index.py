"""djangocdk release step.

The onEvent/isComplete pair of a CDK custom-resource provider. On Create and
Update it starts the release task (migrate, collectstatic) on ECS Fargate, then
polls it until it stops. Exit code 0 completes the resource; anything else
fails it, and CloudFormation shows the reason: the exit code (or why the task
never started) and where its logs are.

A release runs once per release task definition revision (a new image or
configuration makes a new revision), and never backwards: the physical ID is
the revision released, and an Update to the same revision, or to an older one
of the same family, is what CloudFormation sends while rolling back (the old
properties); running the old image's migrate against a database the new code
already migrated could fail and leave the stack in UPDATE_ROLLBACK_FAILED. Such
an Update completes at once without a task.

A failed release is reported to CloudFormation, not as a Lambda error, so the
handler also prints one line in CloudWatch's Embedded Metric Format: the
metric ReleaseFailed (namespace "djangocdk", dimension App from DJANGOCDK_APP)
that the stack's release alarm watches. Printing it needs no IAM permission:
CloudWatch Logs extracts the metric from the function's log.
"""

from __future__ import annotations

import functools
import json
import os
import time
from collections.abc import Callable
from typing import Any

import boto3

STARTED_BY = "djangocdk-release"
MAX_REASON = 1500  # CloudFormation truncates long reasons; keep the useful part
TAIL_LINES = 10


METRIC_NAMESPACE = "djangocdk"
METRIC_NAME = "ReleaseFailed"
METRIC_DIMENSION = "App"
APP_ENV = "DJANGOCDK_APP"


class ReleaseError(Exception):
    """The release step failed; the message becomes CloudFormation's reason."""


def failure_metric(app: str, reason: str, now: float | None = None) -> str:
    """One Embedded Metric Format line counting a failed release of app."""
    return json.dumps(
        {
            "_aws": {
                "Timestamp": int((time.time() if now is None else now) * 1000),
                "CloudWatchMetrics": [
                    {
                        "Namespace": METRIC_NAMESPACE,
                        "Dimensions": [[METRIC_DIMENSION]],
                        "Metrics": [{"Name": METRIC_NAME, "Unit": "Count"}],
                    }
                ],
            },
            METRIC_DIMENSION: app,
            METRIC_NAME: 1,
            "Reason": reason[:MAX_REASON],
        }
    )


def reports_failure(handler: Callable[..., dict[str, Any]]) -> Callable[..., dict[str, Any]]:
    """Print the failure metric when a Create/Update fails, then fail as before."""

    @functools.wraps(handler)
    def wrapper(event: dict[str, Any], context: Any = None) -> dict[str, Any]:
        try:
            return handler(event, context)
        except Exception as err:
            if event.get("RequestType") in ("Create", "Update"):
                props = event.get("ResourceProperties") or {}
                app = os.environ.get(APP_ENV) or str(props.get("Cluster", "unknown"))
                print(failure_metric(app, str(err) or type(err).__name__), flush=True)
            raise

    return wrapper


def revision(task_definition: str) -> tuple[str, int]:
    """("family", 7) of a task definition ARN (or family:revision)."""
    name = task_definition.rsplit("/", 1)[-1]
    family, _, number = name.rpartition(":")
    return (family, int(number)) if number.isdigit() else (name, 0)


def skip_reason(event: dict[str, Any]) -> str:
    """Why an Update must not run a release ("" when it must)."""
    if event["RequestType"] != "Update":
        return ""
    wanted = revision(event["ResourceProperties"]["TaskDefinition"])
    released = [
        revision(td)
        for td in (
            (event.get("OldResourceProperties") or {}).get("TaskDefinition", ""),
            str(event.get("PhysicalResourceId", "")).removeprefix("release:"),
        )
        if td
    ]
    for family, number in released:
        if family == wanted[0] and number == wanted[1]:
            return f"revision {number} of {family} was released already"
        if family == wanted[0] and number > wanted[1]:
            return (
                f"revision {wanted[1]} of {family} is older than the released {number}: "
                "a rollback, which never runs a release"
            )
    return ""


@reports_failure
def on_event(event: dict[str, Any], context: Any = None) -> dict[str, Any]:
    """Start the release task on Create/Update; nothing to undo on Delete."""
    props = event["ResourceProperties"]
    physical = "release:" + props["TaskDefinition"]
    if event["RequestType"] == "Delete":
        return {"PhysicalResourceId": event.get("PhysicalResourceId") or physical}
    if reason := skip_reason(event):
        print(f"djangocdk release step skipped: {reason}")  # in the Lambda's log
        return {"PhysicalResourceId": physical, "Data": {"Skipped": reason}}
    resp = boto3.client("ecs").run_task(
        cluster=props["Cluster"],
        taskDefinition=props["TaskDefinition"],
        launchType="FARGATE",
        count=1,
        startedBy=STARTED_BY,
        networkConfiguration={
            "awsvpcConfiguration": {
                "subnets": props["Subnets"],
                "securityGroups": props["SecurityGroups"],
                "assignPublicIp": "DISABLED",
            }
        },
    )
    tasks = resp.get("tasks") or []
    if not tasks:
        reasons = "; ".join(
            f"{f.get('arn', '')} {f.get('reason', '')} {f.get('detail', '')}".strip()
            for f in resp.get("failures") or []
        )
        raise ReleaseError(f"release task could not be started: {reasons or 'no task returned'}")
    return {
        "PhysicalResourceId": physical,
        "Data": {"TaskArn": tasks[0]["taskArn"], "StartedAt": str(time.time())},
    }


@reports_failure
def is_complete(event: dict[str, Any], context: Any = None) -> dict[str, Any]:
    """Report whether the release task has stopped, and fail unless it exited 0."""
    data = event.get("Data") or {}
    if event["RequestType"] == "Delete" or data.get("Skipped"):
        return {"IsComplete": True}
    props = event["ResourceProperties"]
    task_arn = data["TaskArn"]
    ecs = boto3.client("ecs")
    resp = ecs.describe_tasks(cluster=props["Cluster"], tasks=[task_arn])
    tasks = resp.get("tasks") or []
    if not tasks:
        reasons = "; ".join(f.get("reason", "") for f in resp.get("failures") or [])
        raise ReleaseError(f"release task {task_arn} not found: {reasons or 'unknown'}")
    task = tasks[0]
    status = task.get("lastStatus", "UNKNOWN")
    if status != "STOPPED":
        timeout = float(props["TimeoutSeconds"])
        elapsed = time.time() - float(data["StartedAt"])
        if elapsed < timeout:
            return {"IsComplete": False}
        ecs.stop_task(
            cluster=props["Cluster"],
            task=task_arn,
            reason="djangocdk release step timed out",
        )
        raise ReleaseError(
            f"release task timed out after {int(timeout)}s while {status} and was stopped"
            f" ({task_arn}). {_logs_hint(props, task_arn)}"
        )
    container = next(
        (c for c in task.get("containers", []) if c.get("name") == props["ContainerName"]),
        {},
    )
    code = container.get("exitCode")
    if code is None:
        why = task.get("stoppedReason") or "no reason given"
        detail = container.get("reason")
        raise ReleaseError(
            f"release task never started: {task.get('stopCode', 'stopped')}: {why}"
            + (f"; container: {detail}" if detail else "")
            + f" ({task_arn}). {_logs_hint(props, task_arn)}"
        )
    if code != 0:
        raise ReleaseError(
            _truncate(
                f"release command exited with code {code} ({task_arn}). "
                f"{_logs_hint(props, task_arn)}{_tail(props, task_arn)}"
            )
        )
    return {"IsComplete": True, "Data": {"TaskArn": task_arn, "ExitCode": "0"}}


def log_stream(props: dict[str, Any], task_arn: str) -> str:
    """The awslogs stream of the release container: prefix/container/task-id."""
    task_id = task_arn.rsplit("/", 1)[-1]
    return f"{props['LogStreamPrefix']}/{props['ContainerName']}/{task_id}"


def _logs_hint(props: dict[str, Any], task_arn: str) -> str:
    return f"Logs: log group {props['LogGroup']}, stream {log_stream(props, task_arn)}."


def _tail(props: dict[str, Any], task_arn: str) -> str:
    """The last lines the release command printed, when they can be read."""
    try:
        resp = boto3.client("logs").get_log_events(
            logGroupName=props["LogGroup"],
            logStreamName=log_stream(props, task_arn),
            limit=TAIL_LINES,
            startFromHead=False,
        )
    except Exception:  # noqa: BLE001 - the tail is a courtesy; the reason stands without it
        return ""
    lines = [e.get("message", "").rstrip() for e in resp.get("events", [])]
    return (" Last output: " + " | ".join(lines)) if lines else ""


def _truncate(text: str) -> str:
    return text if len(text) <= MAX_REASON else text[: MAX_REASON - 3] + "..."
