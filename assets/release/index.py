"""djangocdk release step.

The onEvent/isComplete pair of a CDK custom-resource provider. On Create and
Update it starts the release task (migrate, collectstatic) on ECS Fargate, then
polls it until it stops. Exit code 0 completes the resource; anything else
fails it, and CloudFormation shows the reason: the exit code (or why the task
never started) and where its logs are.
"""

from __future__ import annotations

import time
from typing import Any

import boto3

STARTED_BY = "djangocdk-release"
MAX_REASON = 1500  # CloudFormation truncates long reasons; keep the useful part
TAIL_LINES = 10


class ReleaseError(Exception):
    """The release step failed; the message becomes CloudFormation's reason."""


def on_event(event: dict[str, Any], context: Any = None) -> dict[str, Any]:
    """Start the release task on Create/Update; nothing to undo on Delete."""
    props = event["ResourceProperties"]
    physical = event.get("PhysicalResourceId") or f"release-{props['ContainerName']}"
    if event["RequestType"] == "Delete":
        return {"PhysicalResourceId": physical}
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


def is_complete(event: dict[str, Any], context: Any = None) -> dict[str, Any]:
    """Report whether the release task has stopped, and fail unless it exited 0."""
    if event["RequestType"] == "Delete":
        return {"IsComplete": True}
    props = event["ResourceProperties"]
    data = event.get("Data") or {}
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
