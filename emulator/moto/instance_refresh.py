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
  fails the refresh: Status Failed with a StatusReason (or a rollback, with AutoRollback).
* Alarms (Preferences.AlarmSpecification.Alarms, at most 10): moto's CloudWatch alarms of
  the same account and region are watched while the refresh is Pending or InProgress. One
  in ALARM (SetAlarmState, or already in ALARM at the start) fails the refresh at the time
  it went to ALARM: no batch due after that time runs. Alarms that do not exist are ignored.
* Checkpoints (CheckpointPercentages, CheckpointDelay default 3600): a batch never runs
  past the next checkpoint; at a checkpoint short of the end the refresh stays InProgress,
  with a StatusReason saying so, for CheckpointDelay seconds of wall-clock time.
* Rollback, automatic (AutoRollback and a failure or an alarm) or RollbackInstanceRefresh:
  RollbackInProgress, then RollbackSuccessful. The instances the refresh launched are
  replaced, a batch per step, by instances of the configuration the group had when the
  refresh started (recorded by StartInstanceRefresh), and that configuration is set on
  the group again. RollbackDetails (reason, start time, PercentageComplete and
  InstancesToUpdate at the rollback); PercentageComplete/InstancesToUpdate then report
  the rollback's progress. RollbackInstanceRefresh needs a Pending/InProgress refresh
  (ActiveInstanceRefreshNotFound) with a DesiredConfiguration and a numbered launch
  template version to go back to (IrreversibleInstanceRefresh). A rollback can be neither
  cancelled nor rolled back, and blocks a new refresh (InstanceRefreshInProgress).
  With terraform-provider-aws's order of calls (issue #34189: the group is updated to the
  new version before the refresh starts) the configuration to go back to is the new one,
  exactly as on AWS.

Known gaps: the StatusReason texts of alarms, checkpoints and rollbacks are this
emulator's own (AWS's exact wording was not available); whether AWS rejects alarm names
that do not exist was not checked (they are ignored here); bake time, warm pools and
instance warmup are recorded and echoed, not waited for; ReplaceRootVolume is accepted
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
import fleet_lifecycle
import traffic_sources
from moto.autoscaling.exceptions import ValidationError
from moto.autoscaling.models import AutoScalingBackend, FakeAutoScalingGroup, autoscaling_backends
from moto.autoscaling.responses import AutoScalingResponse
from moto.cloudwatch.models import cloudwatch_backends
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

ACTIVE_STATUSES = ("Pending", "InProgress", "Cancelling", "RollbackInProgress")
# What CancelInstanceRefresh and RollbackInstanceRefresh act on: a rollback itself can be
# neither cancelled nor rolled back.
FORWARD_STATUSES = ("Pending", "InProgress")
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


class IrreversibleInstanceRefreshFault(ServiceException):
    code = "IrreversibleInstanceRefresh"


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
    # When the last batch (or the start of InProgress) happened: the next batch is due
    # one step later, or after a checkpoint's delay.
    last_event: float | None = None
    checkpoint_index: int = 0  # into preferences["CheckpointPercentages"]
    waiting_until: float | None = None  # at a checkpoint
    # The group's configuration when the refresh started: what a rollback restores
    # (AWS: "the configuration that you last saved on the Auto Scaling group before
    # starting the instance refresh").
    rollback_configuration: dict[str, Any] | None = None
    rollback_details: dict[str, Any] | None = None
    rollback_to_update: list[str] = field(default_factory=list)  # instances the refresh launched
    rollback_index: int = 0
    rolled_back: list[dict[str, str]] = field(default_factory=list)

    @property
    def alarms(self) -> list[str]:
        return list((self.preferences.get("AlarmSpecification") or {}).get("Alarms") or [])

    @property
    def checkpoints(self) -> list[int]:
        return list(self.preferences.get("CheckpointPercentages") or [])

    @property
    def percentage_complete(self) -> int:
        # While rolling back (and after), progress is the rollback's, as AWS reports it;
        # the progress at the moment the rollback started is in RollbackDetails.
        if self.rollback_details is not None:
            if not self.rollback_to_update:
                return 100 if self.status == "RollbackSuccessful" else 0
            return math.floor(100 * self.rollback_index / len(self.rollback_to_update))
        if not self.to_update:
            return 100 if self.status == "Successful" else 0
        return math.floor(100 * self.next_index / len(self.to_update))

    @property
    def forward_percentage_complete(self) -> int:
        if not self.to_update:
            return 0
        return math.floor(100 * self.next_index / len(self.to_update))

    @property
    def instances_to_update(self) -> int:
        if self.rollback_details is not None:
            return len(self.rollback_to_update) - self.rollback_index
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
        if self.rollback_details is not None:
            result["RollbackDetails"] = {
                **self.rollback_details,
                "RollbackStartTime": _utc(self.rollback_details["RollbackStartTime"]),
            }
        return result

    def to_debug(self) -> dict[str, Any]:
        api = self.to_api()
        for key in ("StartTime", "EndTime"):
            if key in api:
                api[key] = api[key].isoformat()
        if "RollbackDetails" in api:
            api["RollbackDetails"]["RollbackStartTime"] = api["RollbackDetails"]["RollbackStartTime"].isoformat()
        api["Request"] = self.request
        api["Replaced"] = self.replaced
        api["RollbackConfiguration"] = self.rollback_configuration
        api["RolledBack"] = self.rolled_back
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


def _swap(
    backend: AutoScalingBackend, group: FakeAutoScalingGroup, ids: list[str], spec: dict[str, Any] | None
) -> list[dict[str, str]]:
    """Replaces the group's instances `ids` (those still in the group) with as many new
    ones from `spec` (a LaunchTemplateSpecification; None: the group's configuration).
    Raises when the new instances cannot be launched; nothing has changed then."""
    current = {state.instance.id: state for state in group.instance_states}
    old = [current[i] for i in ids if i in current]  # scaled in meanwhile: nothing to do
    if not old:
        return []
    if spec is None and group.ec2_launch_template is None:
        # Launch configuration groups: moto's own launcher, with the group's configuration.
        before = {s.instance.id for s in group.instance_states}
        fidelity_fixes.original_replace_instances(group, len(old), group.get_propagated_tags())
        new = [s for s in group.instance_states if s.instance.id not in before]
    else:
        new = launch(group, len(old), spec, leaving=frozenset(s.instance.id for s in old))
    old_ids = [s.instance.id for s in old]
    # As Auto Scaling does: deregister (the target group drains them), then terminate.
    backend.elbv2_backend.notify_terminate_instances(old_ids)
    backend.ec2_backend.terminate_instances(old_ids)
    group.instance_states = [s for s in group.instance_states if s.instance.id not in set(old_ids)]
    backend.update_attached_elbs(group.name)
    backend.update_attached_target_groups(group.name)
    return [{"old": o, "new": n.instance.id} for o, n in zip(old_ids, new)]


def _batch_count(refresh: InstanceRefresh) -> int:
    """Instances in the next batch: a batch never runs past the next checkpoint."""
    count = refresh.batch_size
    checkpoints = refresh.checkpoints
    if refresh.checkpoint_index < len(checkpoints):
        upto = math.ceil(len(refresh.to_update) * checkpoints[refresh.checkpoint_index] / 100)
        count = max(1, min(count, upto - refresh.next_index))
    return min(count, refresh.instances_to_update)


def _replace_batch(backend: AutoScalingBackend, group: FakeAutoScalingGroup, refresh: InstanceRefresh, due: float) -> None:
    count = _batch_count(refresh)
    ids = refresh.to_update[refresh.next_index : refresh.next_index + count]
    spec = (refresh.desired_configuration or {}).get("LaunchTemplate")
    try:
        replaced = _swap(backend, group, ids, spec)
    except Exception as error:  # noqa: BLE001 - reported through the API, as AWS does
        # A replacement that cannot launch fails the refresh (AWS: Status Failed with a
        # StatusReason) instead of failing whichever unrelated request advanced the clock.
        traceback.print_exc(file=sys.stderr)
        _fail(backend, group, refresh, due, f"Failed to launch replacement instances: {type(error).__name__}: {error}")
        return
    refresh.next_index += len(ids)
    refresh.last_event = due
    refresh.replaced.extend(replaced)
    checkpoints = refresh.checkpoints
    # AWS pauses at every checkpoint short of the end; the last one (100) ends the refresh.
    while refresh.checkpoint_index < len(checkpoints) and refresh.forward_percentage_complete >= checkpoints[refresh.checkpoint_index]:
        reached = checkpoints[refresh.checkpoint_index]
        refresh.checkpoint_index += 1
        if refresh.instances_to_update > 0:
            delay = refresh.preferences.get("CheckpointDelay", 3600)
            refresh.waiting_until = due + delay
            refresh.status_reason = f"Checkpoint {reached}% reached: waiting {delay} seconds (CheckpointDelay) before continuing."


def _apply_desired_configuration(group: FakeAutoScalingGroup, desired: dict[str, Any]) -> None:
    if desired.get("LaunchTemplate"):
        group.mixed_instances_policy = None
        group._set_launch_configuration(None, desired["LaunchTemplate"], None)
        group.launch_config = None
        group.launch_configuration_name = None
    elif desired.get("MixedInstancesPolicy"):
        group.mixed_instances_policy = desired["MixedInstancesPolicy"]
        group._set_launch_configuration(None, {}, group.mixed_instances_policy)


def _group_configuration(group: FakeAutoScalingGroup) -> dict[str, Any] | None:
    """The group's saved configuration, as a DesiredConfiguration."""
    if group.ec2_launch_template is not None and not group.mixed_instances_policy:
        return {"LaunchTemplate": {"LaunchTemplateId": group.ec2_launch_template.id, "Version": str(group.launch_template_version)}}
    if group.mixed_instances_policy:
        return {"MixedInstancesPolicy": group.mixed_instances_policy}
    return None


def _irreversible_reason(refresh: InstanceRefresh) -> str | None:
    """Why AWS cannot roll this refresh back, or None."""
    if not refresh.desired_configuration:
        return "The instance refresh has no desired configuration to roll back from."
    spec = (refresh.rollback_configuration or {}).get("LaunchTemplate")
    if refresh.rollback_configuration is None:
        return "The Auto Scaling group has no launch template to roll back to."
    if spec is not None and str(spec.get("Version")) in ("$Latest", "$Default"):
        return f"The Auto Scaling group uses the launch template's {spec['Version']} version, which cannot be rolled back to."
    return None


def _start_rollback(refresh: InstanceRefresh, when: float, reason: str, status_reason: str) -> None:
    refresh.rollback_details = {
        "RollbackReason": reason,
        "RollbackStartTime": when,
        "PercentageCompleteOnRollback": refresh.forward_percentage_complete,
        "InstancesToUpdateOnRollback": len(refresh.to_update) - refresh.next_index,
        "ProgressDetailsOnRollback": {
            "LivePoolProgress": {
                "PercentageCompleteOnRollback": refresh.forward_percentage_complete,
                "InstancesToUpdateOnRollback": len(refresh.to_update) - refresh.next_index,
            }
        },
    }
    # The instances this refresh launched are replaced again, with the configuration the
    # group had when the refresh started.
    refresh.rollback_to_update = [r["new"] for r in refresh.replaced]
    refresh.rollback_index = 0
    refresh.status = "RollbackInProgress"
    refresh.status_reason = status_reason
    refresh.waiting_until = None
    refresh.last_event = when


def _fail(backend: AutoScalingBackend, group: FakeAutoScalingGroup, refresh: InstanceRefresh, when: float, reason: str) -> None:
    """A refresh that fails rolls back when AutoRollback is on (AWS: "if the instance
    refresh fails for some reason or if any CloudWatch alarms you specify go into the
    ALARM state"), else it ends Failed."""
    if refresh.preferences.get("AutoRollback") and _irreversible_reason(refresh) is None:
        _start_rollback(refresh, when, f"Automatic rollback: {reason}", f"{reason} Rolling back to the previous configuration.")
    else:
        _finish(refresh, "Failed", when, reason)


def _alarm_tripped(backend: AutoScalingBackend, refresh: InstanceRefresh, by: float) -> tuple[str, float] | None:
    """(alarm name, time it went to ALARM) of the first watched alarm in ALARM at `by`."""
    if not refresh.alarms:
        return None
    try:
        alarms = cloudwatch_backends[backend.account_id][backend.region_name].alarms
    except KeyError:
        return None
    tripped = []
    for name in refresh.alarms:
        alarm = alarms.get(name)
        if alarm is None or alarm.state_value != "ALARM":
            continue
        since = alarm.state_updated_timestamp.replace(tzinfo=timezone.utc).timestamp()
        # An alarm already in ALARM when the refresh started stops it at once.
        since = max(since, refresh.started)
        if since <= by:
            tripped.append((since, name))
    if not tripped:
        return None
    since, name = min(tripped)
    return name, since


def _advance_forward(backend: AutoScalingBackend, group: FakeAutoScalingGroup, refresh: InstanceRefresh, now: float) -> None:
    in_progress_at = refresh.started + SETTINGS.pending_seconds
    tripped = _alarm_tripped(backend, refresh, now)
    if refresh.status == "Pending":
        if tripped and tripped[1] < in_progress_at:
            _fail(backend, group, refresh, tripped[1], f"Instance refresh failed: alarm {tripped[0]} is in ALARM state.")
            return
        if now < in_progress_at:
            return
        refresh.status = "InProgress"
        refresh.last_event = in_progress_at
    while refresh.status == "InProgress":
        assert refresh.last_event is not None
        if refresh.waiting_until is not None:
            due = refresh.waiting_until
        else:
            due = refresh.last_event + SETTINGS.step_seconds
        if tripped and tripped[1] <= min(due, now):
            _fail(backend, group, refresh, tripped[1], f"Instance refresh failed: alarm {tripped[0]} is in ALARM state.")
            return
        if due > now:
            return
        if refresh.waiting_until is not None:
            # The checkpoint's delay is over: the next batch starts now.
            refresh.waiting_until = None
            refresh.status_reason = None
            refresh.last_event = due
            continue
        if refresh.instances_to_update == 0:
            if refresh.desired_configuration:
                _apply_desired_configuration(group, refresh.desired_configuration)
            _finish(refresh, "Successful", due)
            return
        _replace_batch(backend, group, refresh, due)
        if refresh.status == "InProgress" and refresh.instances_to_update == 0 and refresh.waiting_until is None:
            if refresh.desired_configuration:
                _apply_desired_configuration(group, refresh.desired_configuration)
            _finish(refresh, "Successful", due)
            return


def _advance_rollback(backend: AutoScalingBackend, group: FakeAutoScalingGroup, refresh: InstanceRefresh, now: float) -> None:
    spec = (refresh.rollback_configuration or {}).get("LaunchTemplate")
    while refresh.status == "RollbackInProgress":
        assert refresh.last_event is not None
        # Nothing deployed yet: nothing to replace, the rollback is over at once.
        due = refresh.last_event + (SETTINGS.step_seconds if refresh.rollback_to_update else 0)
        if due > now:
            return
        ids = refresh.rollback_to_update[refresh.rollback_index : refresh.rollback_index + refresh.batch_size]
        if ids:
            try:
                refresh.rolled_back.extend(_swap(backend, group, ids, spec))
            except Exception as error:  # noqa: BLE001 - reported through the API
                traceback.print_exc(file=sys.stderr)
                _finish(refresh, "RollbackFailed", due, f"Failed to launch instances for the rollback: {type(error).__name__}: {error}")
                return
        refresh.rollback_index += len(ids)
        refresh.last_event = due
        if refresh.rollback_index >= len(refresh.rollback_to_update):
            # "This restores your Auto Scaling group to the configuration that it was using
            # before the start of the instance refresh."
            if refresh.rollback_configuration:
                _apply_desired_configuration(group, refresh.rollback_configuration)
            _finish(refresh, "RollbackSuccessful", due, refresh.status_reason)
            return


def advance(now: float | None = None) -> None:
    """Moves every active refresh to where it is at `now`."""
    now = time.time() if now is None else now
    with LOCK:
        still_active = []
        for backend, group, refresh in _ACTIVE:
            if not _is_current(backend, group) or refresh.status not in ACTIVE_STATUSES:
                continue
            if refresh.status in FORWARD_STATUSES:
                _advance_forward(backend, group, refresh, now)
            if refresh.status == "RollbackInProgress":
                _advance_rollback(backend, group, refresh, now)
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
        prefs["CheckpointPercentages"] = [int(p) for p in _members(raw["CheckpointPercentages"])]
        # AWS: "If you specify a value for CheckpointPercentages and not for
        # CheckpointDelay, the CheckpointDelay defaults to 3600 (1 hour)."
        prefs.setdefault("CheckpointDelay", 3600)
    if raw.get("AlarmSpecification"):
        alarms = (raw["AlarmSpecification"] or {}).get("Alarms")
        prefs["AlarmSpecification"] = {"Alarms": [str(a) for a in _members(alarms)]} if alarms else {}
    return prefs


def _members(value: Any) -> list[Any]:
    """A list from the query protocol's shapes (a list, or {"member": [...]})."""
    if isinstance(value, dict):
        value = value.get("member", list(value.values()))
    if value is None:
        return []
    return list(value) if isinstance(value, (list, tuple)) else [value]


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
    checkpoints = prefs.get("CheckpointPercentages")
    if "CheckpointDelay" in prefs and not checkpoints:
        raise ValidationError("CheckpointDelay can only be specified together with CheckpointPercentages.")
    if checkpoints is not None:
        if any(not 1 <= p <= 100 for p in checkpoints) or any(b <= a for a, b in zip(checkpoints, checkpoints[1:])):
            raise ValidationError("CheckpointPercentages must be unique values between 1 and 100, in ascending order.")
    if "CheckpointDelay" in prefs and not 0 <= prefs["CheckpointDelay"] <= 172800:
        raise ValidationError("CheckpointDelay must be between 0 and 172800.")
    alarms = (prefs.get("AlarmSpecification") or {}).get("Alarms") or []
    if len(alarms) > 10:
        raise ValidationError("1 validation error detected: Value at 'preferences.alarmSpecification.alarms' failed to satisfy constraint: Member must have length less than or equal to 10")
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
            rollback_configuration=_group_configuration(group),
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


def _active_refresh(group: FakeAutoScalingGroup) -> InstanceRefresh:
    """The group's refresh still moving forward, for Cancel and Rollback; AWS answers
    ActiveInstanceRefreshNotFound when there is none."""
    active = [r for r in _refreshes_of(group) if r.status in FORWARD_STATUSES]
    if not active:
        raise ActiveInstanceRefreshNotFoundFault(group.name)
    return active[0]


def cancel_instance_refresh(self: AutoScalingResponse) -> ActionResult:
    backend = self.autoscaling_backend
    name = self._get_param("AutoScalingGroupName")
    with LOCK:
        advance()
        refresh = _active_refresh(group_or_error(backend, name))
        # Batches are replaced instantly at their due time, so nothing is mid-flight:
        # the refresh is Cancelled at once (AWS passes through Cancelling meanwhile).
        _finish(refresh, "Cancelled", time.time(), "Cancelled by CancelInstanceRefresh.")
        _request_log(backend).append({"Action": "CancelInstanceRefresh", "InstanceRefreshId": refresh.id, "Parameters": {"AutoScalingGroupName": name}})
    return ActionResult({"InstanceRefreshId": refresh.id})


def rollback_instance_refresh(self: AutoScalingResponse) -> ActionResult:
    """RollbackInstanceRefresh: "Cancels an instance refresh that is in progress and rolls
    back any changes that it made ... This restores your Auto Scaling group to the
    configuration that it was using before the start of the instance refresh." """
    backend = self.autoscaling_backend
    name = self._get_param("AutoScalingGroupName")
    with LOCK:
        advance()
        refresh = _active_refresh(group_or_error(backend, name))
        reason = _irreversible_reason(refresh)
        if reason is not None:
            raise IrreversibleInstanceRefreshFault(reason)
        now = time.time()
        _start_rollback(refresh, now, "Manual rollback: RollbackInstanceRefresh", "Rollback requested with RollbackInstanceRefresh.")
        _request_log(backend).append({"Action": "RollbackInstanceRefresh", "InstanceRefreshId": refresh.id, "Parameters": {"AutoScalingGroupName": name}})
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
    traffic_sources.install()
    fleet_lifecycle.install()
    # moto dispatches an action to the response method of the same snake_case name.
    AutoScalingResponse.start_instance_refresh = start_instance_refresh
    AutoScalingResponse.describe_instance_refreshes = describe_instance_refreshes
    AutoScalingResponse.cancel_instance_refresh = cancel_instance_refresh
    AutoScalingResponse.rollback_instance_refresh = rollback_instance_refresh
    _installed = True
