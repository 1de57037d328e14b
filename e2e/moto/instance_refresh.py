"""Instance refresh for moto's Auto Scaling emulation (moto 5.2.x).

Why: moto 5.2.5 does not implement StartInstanceRefresh, DescribeInstanceRefreshes or
CancelInstanceRefresh. terraform-provider-aws calls StartInstanceRefresh when a group with
an ``instance_refresh`` block gets a new launch template version (and, when a refresh is
already running, CancelInstanceRefresh then DescribeInstanceRefreshes until it is
cancelled), so on stock moto that update fails with "The start_instance_refresh action has
not been implemented". This module adds the three operations to moto's own
``AutoScalingResponse`` and serialises their results through moto's model-driven
serializer, so the XML has the shapes of botocore's service model (the same model the Go
SDK v2 and the JS SDK v3 are generated from), in the namespace
http://autoscaling.amazonaws.com/doc/2011-01-01/.

What is emulated (the emulator gap, documented):

* StartInstanceRefresh: the group must exist (ValidationError otherwise); a second refresh
  while one is Pending/InProgress/Cancelling fails with the InstanceRefreshInProgress fault;
  AutoRollback without DesiredConfiguration, a MinHealthyPercentage outside 0-100, a
  MaxHealthyPercentage outside 100-200, or more than 100 between them are ValidationErrors,
  as in AWS. The whole request is recorded and echoed by DescribeInstanceRefreshes with
  AWS's defaults filled in (MinHealthyPercentage 90, MaxHealthyPercentage 100, SkipMatching
  and AutoRollback false, ScaleInProtectedInstances and StandbyInstances Ignore, Strategy
  Rolling).
* Progress is a pure function of time, advanced before every request the emulator serves
  (one lock serialises requests: moto's state is not thread-safe): Pending for
  ``pending_seconds``, then InProgress, replacing instances in batches, one batch every
  ``step_seconds``, then Successful with an EndTime. A batch is
  max(1, floor(N * (MaxHealthy - MinHealthy) / 100)) instances, N the instances to update.
  Replacing an instance is done with moto's own machinery: a new EC2 instance is launched
  from the refresh's launch template version (DesiredConfiguration if given, else the
  group's), registered with the group's target groups, and the old one is deregistered
  (draining in the target group) and terminated.
* DesiredConfiguration.LaunchTemplate (id or name, Version number, ``$Latest`` or
  ``$Default``) selects what the new instances run; when the refresh succeeds it becomes
  the group's launch template, as AWS does.
* SkipMatching: instances already on the target template version are not replaced.
  Instances protected from scale-in are replaced only with ScaleInProtectedInstances=Refresh.
* CancelInstanceRefresh: the active refresh becomes Cancelled (instances already replaced
  stay replaced, the group's configuration is unchanged); without an active refresh it fails
  with the ActiveInstanceRefreshNotFound fault.
* POST /moto-api/reset clears it all: the records live on moto's backend and group objects,
  which the reset discards.

fidelity_fixes.py (installed with this module) fixes moto's own model where the provider sees
wrong answers or never-converging plans: the launch template version instances run and
report, metrics collection, DefaultInstanceWarmup, scaling policy Enabled, launch template
tags and user data, load balancer deletion protection.

* A replacement that cannot be launched (e.g. its launch template version was deleted)
  fails the refresh: Status Failed with a StatusReason.

Known gaps: no rollbacks (RollbackInstanceRefresh is not implemented, and a failed refresh
is not rolled back even with AutoRollback, which is only recorded); checkpoints, alarms, bake time, warm pools
and instance warmup are recorded and echoed, not waited for; ReplaceRootVolume is accepted
and handled as Rolling; a DesiredConfiguration.MixedInstancesPolicy is recorded and applied
to the group on success, but its instances are launched the way moto launches them.
"""

from __future__ import annotations

import math
import sys
import threading
import time
import traceback
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

import fidelity_fixes
from moto.autoscaling.exceptions import ValidationError
from moto.autoscaling.models import AutoScalingBackend, FakeAutoScalingGroup, autoscaling_backends
from moto.autoscaling.responses import AutoScalingResponse
from moto.core.exceptions import ServiceException
from moto.core.responses import ActionResult
from fidelity_fixes import as_bool, group_or_error, launch, launched_version, resolve_template

# ---------------------------------------------------------------------------- settings


@dataclass
class Settings:
    """Timing of a refresh, in seconds of wall-clock time (set by the launcher)."""

    pending_seconds: float = 0.5
    step_seconds: float = 1.0


SETTINGS = Settings()

# One lock around every request (see the module docstring) and around the clock-driven
# progress, so a refresh never moves while a request reads or changes moto's state.
LOCK = threading.RLock()

ACTIVE_STATUSES = ("Pending", "InProgress", "Cancelling")
# ---------------------------------------------------------------------------- faults


class InstanceRefreshInProgressFault(ServiceException):
    # The code is the error shape's in botocore's model; moto's serializer takes the HTTP
    # status (400) and the Sender type from there.
    code = "InstanceRefreshInProgress"
    message = (
        "An Instance Refresh is already in progress and blocks the execution of this "
        "Instance Refresh."
    )


class ActiveInstanceRefreshNotFoundFault(ServiceException):
    code = "ActiveInstanceRefreshNotFound"

    def __init__(self, group_name: str):
        super().__init__(f"No in progress or pending Instance Refresh found for Auto Scaling group {group_name}")


# ---------------------------------------------------------------------------- model


def _utc(ts: float) -> datetime:
    return datetime.fromtimestamp(ts, tz=timezone.utc)


@dataclass
class InstanceRefresh:
    group_name: str
    request: dict[str, Any]  # the StartInstanceRefresh parameters, as received
    preferences: dict[str, Any]  # with AWS's defaults filled in
    strategy: str
    desired_configuration: dict[str, Any] | None
    started: float
    to_update: list[str]  # instance ids, in replacement order
    batch_size: int
    id: str = field(default_factory=lambda: str(uuid.uuid4()))
    status: str = "Pending"
    status_reason: str | None = None
    ended: float | None = None
    replaced: list[dict[str, str]] = field(default_factory=list)  # {"old": id, "new": id}
    next_index: int = 0  # into to_update

    @property
    def percentage_complete(self) -> int:
        if not self.to_update:
            return 100 if self.status == "Successful" else 0
        return math.floor(100 * self.next_index / len(self.to_update))

    @property
    def instances_to_update(self) -> int:
        return len(self.to_update) - self.next_index

    def to_api(self) -> dict[str, Any]:
        """An InstanceRefresh structure (botocore member names)."""
        progress = {
            "PercentageComplete": self.percentage_complete,
            "InstancesToUpdate": self.instances_to_update,
        }
        result: dict[str, Any] = {
            "InstanceRefreshId": self.id,
            "AutoScalingGroupName": self.group_name,
            "Status": self.status,
            "StartTime": _utc(self.started),
            "PercentageComplete": self.percentage_complete,
            "InstancesToUpdate": self.instances_to_update,
            "ProgressDetails": {"LivePoolProgress": progress},
            "Preferences": self.preferences,
            "Strategy": self.strategy,
        }
        if self.status_reason:
            result["StatusReason"] = self.status_reason
        if self.ended is not None:
            result["EndTime"] = _utc(self.ended)
        if self.desired_configuration:
            result["DesiredConfiguration"] = self.desired_configuration
        return result

    def to_debug(self) -> dict[str, Any]:
        api = self.to_api()
        for key in ("StartTime", "EndTime"):
            if key in api:
                api[key] = api[key].isoformat()
        api["Request"] = self.request
        api["Replaced"] = self.replaced
        return api


# Refreshes that may still move, with the backend and group they belong to. A reset
# replaces moto's backends, which is how stale entries are recognised and dropped.
_ACTIVE: list[tuple[AutoScalingBackend, FakeAutoScalingGroup, InstanceRefresh]] = []


def _refreshes_of(group: FakeAutoScalingGroup) -> list[InstanceRefresh]:
    if not hasattr(group, "sample_app_instance_refreshes"):
        group.sample_app_instance_refreshes = []  # type: ignore[attr-defined]
    return group.sample_app_instance_refreshes  # type: ignore[attr-defined]


def _request_log(backend: AutoScalingBackend) -> list[dict[str, Any]]:
    if not hasattr(backend, "sample_app_refresh_requests"):
        backend.sample_app_refresh_requests = []  # type: ignore[attr-defined]
    return backend.sample_app_refresh_requests  # type: ignore[attr-defined]


def _is_current(backend: AutoScalingBackend, group: FakeAutoScalingGroup) -> bool:
    return backend.autoscaling_groups.get(group.name) is group


# ---------------------------------------------------------------------------- progress


def _finish(refresh: InstanceRefresh, status: str, when: float, reason: str | None = None) -> None:
    refresh.status = status
    refresh.ended = when
    refresh.status_reason = reason


def _replace_batch(backend: AutoScalingBackend, group: FakeAutoScalingGroup, refresh: InstanceRefresh, due: float) -> None:
    ids = refresh.to_update[refresh.next_index : refresh.next_index + refresh.batch_size]
    current = {state.instance.id: state for state in group.instance_states}
    old = [current[i] for i in ids if i in current]  # scaled in meanwhile: nothing to do
    spec = (refresh.desired_configuration or {}).get("LaunchTemplate")
    try:
        if not old:
            new = []
        elif spec is None and group.ec2_launch_template is None:
            # Launch configuration groups: moto's own launcher, with the group's configuration.
            before = {s.instance.id for s in group.instance_states}
            fidelity_fixes.original_replace_instances(group, len(old), group.get_propagated_tags())
            new = [s for s in group.instance_states if s.instance.id not in before]
        else:
            new = launch(group, len(old), spec, leaving=frozenset(s.instance.id for s in old))
    except Exception as error:  # noqa: BLE001 - reported through the API, as AWS does
        # A replacement that cannot launch fails the refresh (AWS: Status Failed with a
        # StatusReason) instead of failing whichever unrelated request advanced the clock.
        traceback.print_exc(file=sys.stderr)
        _finish(refresh, "Failed", due, f"Failed to launch replacement instances: {type(error).__name__}: {error}")
        return
    refresh.next_index += len(ids)
    if not old:
        return
    old_ids = [s.instance.id for s in old]
    # As Auto Scaling does: deregister (the target group drains them), then terminate.
    backend.elbv2_backend.notify_terminate_instances(old_ids)
    backend.ec2_backend.terminate_instances(old_ids)
    group.instance_states = [s for s in group.instance_states if s.instance.id not in set(old_ids)]
    backend.update_attached_elbs(group.name)
    backend.update_attached_target_groups(group.name)
    refresh.replaced.extend({"old": o, "new": n.instance.id} for o, n in zip(old_ids, new))


def _apply_desired_configuration(group: FakeAutoScalingGroup, desired: dict[str, Any]) -> None:
    if desired.get("LaunchTemplate"):
        group.mixed_instances_policy = None
        group._set_launch_configuration(None, desired["LaunchTemplate"], None)
        group.launch_config = None
        group.launch_configuration_name = None
    elif desired.get("MixedInstancesPolicy"):
        group.mixed_instances_policy = desired["MixedInstancesPolicy"]
        group._set_launch_configuration(None, {}, group.mixed_instances_policy)


def advance(now: float | None = None) -> None:
    """Moves every active refresh to where it is at `now`."""
    now = time.time() if now is None else now
    with LOCK:
        still_active = []
        for backend, group, refresh in _ACTIVE:
            if not _is_current(backend, group) or refresh.status not in ACTIVE_STATUSES:
                continue
            in_progress_at = refresh.started + SETTINGS.pending_seconds
            if refresh.status == "Pending" and now >= in_progress_at:
                refresh.status = "InProgress"
            if refresh.status == "InProgress":
                while refresh.status == "InProgress" and refresh.instances_to_update > 0:
                    batch_number = math.ceil(refresh.next_index / refresh.batch_size) + 1
                    due = in_progress_at + batch_number * SETTINGS.step_seconds
                    if due > now:
                        break
                    _replace_batch(backend, group, refresh, due)
                if refresh.status == "InProgress" and refresh.instances_to_update == 0:
                    batches = math.ceil(len(refresh.to_update) / refresh.batch_size)
                    done_at = in_progress_at + max(1, batches) * SETTINGS.step_seconds
                    if done_at <= now:
                        if refresh.desired_configuration:
                            _apply_desired_configuration(group, refresh.desired_configuration)
                        _finish(refresh, "Successful", done_at)
            if refresh.status in ACTIVE_STATUSES:
                still_active.append((backend, group, refresh))
        _ACTIVE[:] = still_active


# ---------------------------------------------------------------------------- API


def _int(value: Any) -> int | None:
    return None if value is None or value == "" else int(value)


def _preferences(raw: dict[str, Any] | None) -> dict[str, Any]:
    raw = dict(raw or {})
    prefs: dict[str, Any] = {
        "MinHealthyPercentage": 90,
        "SkipMatching": False,
        "AutoRollback": False,
        "ScaleInProtectedInstances": "Ignore",
        "StandbyInstances": "Ignore",
        "MaxHealthyPercentage": 100,
    }
    for key in ("MinHealthyPercentage", "MaxHealthyPercentage", "InstanceWarmup", "CheckpointDelay", "BakeTime"):
        if _int(raw.get(key)) is not None:
            prefs[key] = _int(raw[key])
    for key in ("SkipMatching", "AutoRollback"):
        if as_bool(raw.get(key)) is not None:
            prefs[key] = as_bool(raw[key])
    for key in ("ScaleInProtectedInstances", "StandbyInstances"):
        if raw.get(key):
            prefs[key] = raw[key]
    if raw.get("CheckpointPercentages"):
        prefs["CheckpointPercentages"] = [int(p) for p in raw["CheckpointPercentages"]]
    if raw.get("AlarmSpecification"):
        prefs["AlarmSpecification"] = raw["AlarmSpecification"]
    return prefs


def _validate(prefs: dict[str, Any], desired: dict[str, Any] | None, strategy: str) -> None:
    if strategy not in ("Rolling", "ReplaceRootVolume"):
        raise ValidationError(f"1 validation error detected: Value '{strategy}' at 'strategy' failed to satisfy constraint: Member must satisfy enum value set: [Rolling, ReplaceRootVolume]")
    low, high = prefs["MinHealthyPercentage"], prefs["MaxHealthyPercentage"]
    if not 0 <= low <= 100:
        raise ValidationError("MinHealthyPercentage must be between 0 and 100.")
    if not 100 <= high <= 200:
        raise ValidationError("MaxHealthyPercentage must be between 100 and 200.")
    if high - low > 100:
        raise ValidationError("The difference between MaxHealthyPercentage and MinHealthyPercentage cannot be greater than 100.")
    if prefs["AutoRollback"] and not desired:
        raise ValidationError("The AutoRollback parameter cannot be set to true when the DesiredConfiguration parameter is empty.")
    for key, allowed in (("ScaleInProtectedInstances", ("Refresh", "Ignore", "Wait")), ("StandbyInstances", ("Terminate", "Ignore", "Wait"))):
        if prefs[key] not in allowed:
            raise ValidationError(f"1 validation error detected: Value '{prefs[key]}' at 'preferences.{key[0].lower() + key[1:]}' failed to satisfy constraint: Member must satisfy enum value set: [{', '.join(allowed)}]")


def start_instance_refresh(self: AutoScalingResponse) -> ActionResult:
    backend = self.autoscaling_backend
    request = self._get_params()
    if hasattr(request, "original_dict"):
        request = request.original_dict()
    name = request.get("AutoScalingGroupName")
    with LOCK:
        advance()
        group = group_or_error(backend, name)
        if any(r.status in ACTIVE_STATUSES for r in _refreshes_of(group)):
            raise InstanceRefreshInProgressFault()
        prefs = _preferences(request.get("Preferences"))
        desired = request.get("DesiredConfiguration") or None
        strategy = request.get("Strategy") or "Rolling"
        _validate(prefs, desired, strategy)
        target_template, target_version = (None, None)
        if desired and desired.get("LaunchTemplate"):
            spec = desired["LaunchTemplate"]
            if bool(spec.get("LaunchTemplateId")) == bool(spec.get("LaunchTemplateName")):
                raise ValidationError("Valid requests must contain either launchTemplateId or LaunchTemplateName")
            target_template, target_version = resolve_template(group, spec)  # unknown ids fail here, as in AWS
        elif group.ec2_launch_template is not None:
            target_template, target_version = resolve_template(group, None)

        candidates = []
        for state in group.instance_states:
            if state.lifecycle_state.startswith("Standby") and prefs["StandbyInstances"] != "Terminate":
                continue
            if state.protected_from_scale_in and prefs["ScaleInProtectedInstances"] != "Refresh":
                continue
            if prefs["SkipMatching"] and target_template is not None and launched_version(state) == (target_template.id, str(target_version.number)):
                continue
            candidates.append(state.instance.id)
        spread = (prefs["MaxHealthyPercentage"] - prefs["MinHealthyPercentage"]) / 100
        batch_size = max(1, math.floor(len(candidates) * spread))
        refresh = InstanceRefresh(
            group_name=group.name,
            request=request,
            preferences=prefs,
            strategy=strategy,
            desired_configuration=desired,
            started=time.time(),
            to_update=candidates,
            batch_size=batch_size,
        )
        _refreshes_of(group).insert(0, refresh)  # newest first, as DescribeInstanceRefreshes lists them
        _request_log(backend).append({"Action": "StartInstanceRefresh", "InstanceRefreshId": refresh.id, "Parameters": request})
        _ACTIVE.append((backend, group, refresh))
    return ActionResult({"InstanceRefreshId": refresh.id})


def describe_instance_refreshes(self: AutoScalingResponse) -> ActionResult:
    backend = self.autoscaling_backend
    name = self._get_param("AutoScalingGroupName")
    ids = self._get_param("InstanceRefreshIds", []) or []
    max_records = self._get_int_param("MaxRecords") or 50
    if not 1 <= max_records <= 100:
        raise ValidationError("MaxRecords must be between 1 and 100.")
    token = self._get_param("NextToken")
    with LOCK:
        advance()
        group = backend.autoscaling_groups.get(name or "")
        # An unknown group has no refreshes (an empty list, not an error).
        refreshes = list(_refreshes_of(group)) if group is not None else []
        if ids:
            refreshes = [r for r in refreshes if r.id in ids]
        start = 0
        if token:
            try:
                start = int(token)
            except ValueError:
                raise ServiceException("InvalidNextToken", "The token is not valid.")
        page = refreshes[start : start + max_records]
        result: dict[str, Any] = {"InstanceRefreshes": [r.to_api() for r in page]}
        if start + max_records < len(refreshes):
            result["NextToken"] = str(start + max_records)
    return ActionResult(result)


def cancel_instance_refresh(self: AutoScalingResponse) -> ActionResult:
    backend = self.autoscaling_backend
    name = self._get_param("AutoScalingGroupName")
    with LOCK:
        advance()
        group = group_or_error(backend, name)
        active = [r for r in _refreshes_of(group) if r.status in ACTIVE_STATUSES]
        if not active:
            raise ActiveInstanceRefreshNotFoundFault(group.name)
        refresh = active[0]
        # Batches are replaced instantly at their due time, so nothing is mid-flight:
        # the refresh is Cancelled at once (AWS passes through Cancelling meanwhile).
        _finish(refresh, "Cancelled", time.time(), "Cancelled by CancelInstanceRefresh.")
        _request_log(backend).append({"Action": "CancelInstanceRefresh", "InstanceRefreshId": refresh.id, "Parameters": {"AutoScalingGroupName": name}})
    return ActionResult({"InstanceRefreshId": refresh.id})


# ---------------------------------------------------------------------------- install


def debug_state() -> list[dict[str, Any]]:
    """Every recorded refresh in every account and region (GET /_sample_app/instance-refreshes)."""
    out = []
    with LOCK:
        advance()
        for account_id, per_region in list(dict.items(autoscaling_backends)):
            for region, backend in list(dict.items(per_region)):
                for group in backend.autoscaling_groups.values():
                    for refresh in _refreshes_of(group):
                        out.append({"AccountId": account_id, "Region": region, **refresh.to_debug()})
    return out


_installed = False


def install(pending_seconds: float | None = None, step_seconds: float | None = None) -> None:
    """Patches moto in this process (with fidelity_fixes). Must run before the server
    handles a request."""
    global _installed
    if pending_seconds is not None:
        SETTINGS.pending_seconds = pending_seconds
    if step_seconds is not None:
        SETTINGS.step_seconds = step_seconds
    if _installed:
        return
    fidelity_fixes.install()
    # moto dispatches an action to the response method of the same snake_case name.
    AutoScalingResponse.start_instance_refresh = start_instance_refresh
    AutoScalingResponse.describe_instance_refreshes = describe_instance_refreshes
    AutoScalingResponse.cancel_instance_refresh = cancel_instance_refresh
    _installed = True
