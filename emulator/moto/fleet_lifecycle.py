"""Instance maintenance policy, lifecycle hooks and warm pools as AWS keeps them, where moto
5.2.5 does not (each found by applying the project's group with the real provider, or by
reading moto/autoscaling/models.py):

* InstanceMaintenancePolicy (CreateAutoScalingGroup, UpdateAutoScalingGroup): moto dropped
  it, so DescribeAutoScalingGroups never returned it and every plan wanted to set
  ``instance_maintenance_policy`` again. Stored and returned; validated as AWS does (both
  percentages together, min -1 or 0-100, max -1 or 100-200, at most 100 apart); -1 and -1
  clear it (the provider sends that when the block is removed).
* LifecycleHookSpecificationList of CreateAutoScalingGroup (the provider's
  ``initial_lifecycle_hook``): moto ignored it, so the group had no hooks. Each becomes a hook
  of the group, checked like PutLifecycleHook.
* PutLifecycleHook: moto answered a fixed NotificationTargetARN and RoleARN for every hook
  (an SQS queue and a role nobody configured), which the provider reads into
  ``aws_autoscaling_lifecycle_hook`` as a perpetual diff, and a fixed GlobalTimeout. Now the
  hook keeps what was sent (nothing when nothing was sent), NotificationMetadata included;
  GlobalTimeout is 100 x HeartbeatTimeout up to 172800 s, as AWS documents; a heartbeat
  outside 30-7200 s, an unknown transition or default result is a ValidationError. A put on an
  existing hook changes only what it names, as AWS does.
* PutWarmPool on a group with a MixedInstancesPolicy is refused (ValidationError), as AWS
  refuses warm pools for mixed instances and Spot; moto accepted it. Hooks go with their
  group when it is deleted (moto kept them, and a new group of the same name inherited them).

Not emulated: instances in the warm pool (DescribeWarmPool answers none, as moto did) and
instances waiting in a hook (launches and terminations do not pause). docs/emulator.md says
what that leaves to the recorded-plan and unit tests.
"""

from __future__ import annotations

from typing import Any

from moto.autoscaling.exceptions import ValidationError
from moto.autoscaling.models import AutoScalingBackend, FakeAutoScalingGroup, LifecycleHook
from moto.autoscaling.responses import AutoScalingResponse
from moto.core.responses import ActionResult, EmptyResult

TRANSITIONS = ("autoscaling:EC2_INSTANCE_LAUNCHING", "autoscaling:EC2_INSTANCE_TERMINATING")
DEFAULT_RESULTS = ("CONTINUE", "ABANDON")
MAX_GLOBAL_TIMEOUT = 172800

_installed = False


def _int(value: Any) -> int | None:
    if value is None or value == "":
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        raise ValidationError(f"{value!r} is not a whole number")


# ---------------------------------------------------------------------------- maintenance policy


def maintenance_policy(raw: Any) -> tuple[bool, dict[str, int] | None]:
    """(given, policy) of a request's InstanceMaintenancePolicy; policy None = cleared."""
    if raw is None:
        return False, None
    minimum = _int(raw.get("MinHealthyPercentage"))
    maximum = _int(raw.get("MaxHealthyPercentage"))
    if minimum is None or maximum is None:
        raise ValidationError("InstanceMaintenancePolicy needs both MinHealthyPercentage and MaxHealthyPercentage")
    if minimum == -1 and maximum == -1:
        return True, None
    if minimum == -1 or maximum == -1:
        raise ValidationError("To clear the instance maintenance policy, set both MinHealthyPercentage and MaxHealthyPercentage to -1")
    if not 0 <= minimum <= 100:
        raise ValidationError(f"MinHealthyPercentage must be between 0 and 100, or -1; got {minimum}")
    if not 100 <= maximum <= 200:
        raise ValidationError(f"MaxHealthyPercentage must be between 100 and 200, or -1; got {maximum}")
    if maximum - minimum > 100:
        raise ValidationError(
            f"The difference between MaxHealthyPercentage ({maximum}) and MinHealthyPercentage ({minimum}) must be 100 or less"
        )
    return True, {"MinHealthyPercentage": minimum, "MaxHealthyPercentage": maximum}


# ---------------------------------------------------------------------------- lifecycle hooks


def _check_hook(name: Any, transition: Any, timeout: int | None, result: Any) -> None:
    if not name:
        raise ValidationError("LifecycleHookName is required")
    if transition not in TRANSITIONS:
        raise ValidationError(f"Invalid Lifecycle Transition {transition!r}: must be one of {', '.join(TRANSITIONS)}")
    if timeout is not None and not 30 <= timeout <= 7200:
        raise ValidationError(f"HeartbeatTimeout must be between 30 and 7200 seconds; got {timeout}")
    if result is not None and result not in DEFAULT_RESULTS:
        raise ValidationError(f"DefaultResult must be CONTINUE or ABANDON; got {result!r}")


def put_hook(backend: AutoScalingBackend, group_name: str, spec: dict[str, Any]) -> LifecycleHook:
    """Creates or updates a hook as PutLifecycleHook does: on an update, unnamed fields stay."""
    name = spec.get("LifecycleHookName")
    key = f"{group_name}_{name}"
    existing = backend.lifecycle_hooks.get(key)
    transition = spec.get("LifecycleTransition") or (existing.lifecycle_transition if existing else None)
    timeout = _int(spec.get("HeartbeatTimeout"))
    result = spec.get("DefaultResult") or None
    _check_hook(name, transition, timeout, result)
    hook = existing or LifecycleHook(name, group_name, transition, timeout, result)
    if existing is None:
        hook.role_arn = None
        hook.notification_target_arn = None
        hook.notification_metadata = None
    hook.lifecycle_transition = transition
    if timeout is not None:
        hook.heartbeat_timeout = timeout
    if result is not None:
        hook.default_result = result
    for field, attr in (("RoleARN", "role_arn"), ("NotificationTargetARN", "notification_target_arn"), ("NotificationMetadata", "notification_metadata")):
        if spec.get(field) is not None:
            setattr(hook, attr, spec[field] or None)  # AWS: an empty string removes it
    hook.global_timeout = min(100 * hook.heartbeat_timeout, MAX_GLOBAL_TIMEOUT)
    backend.lifecycle_hooks[key] = hook
    return hook


def put_lifecycle_hook(self: AutoScalingResponse) -> ActionResult:
    group_name = self._get_param("AutoScalingGroupName")
    if group_name not in self.autoscaling_backend.autoscaling_groups:
        raise ValidationError(f"Group {group_name} not found")
    spec = {
        field: self._get_param(field)
        for field in ("LifecycleHookName", "LifecycleTransition", "HeartbeatTimeout", "DefaultResult", "RoleARN", "NotificationTargetARN", "NotificationMetadata")
    }
    put_hook(self.autoscaling_backend, group_name, spec)
    return EmptyResult()


# ---------------------------------------------------------------------------- groups

_original_create_group: Any = None
_original_update_group: Any = None
_original_delete_group: Any = None
_original_put_warm_pool: Any = None


def _create_auto_scaling_group(self: AutoScalingResponse) -> ActionResult:
    params = self._get_params()
    given, policy = maintenance_policy(params.get("InstanceMaintenancePolicy"))
    hooks = params.get("LifecycleHookSpecificationList") or []
    for spec in hooks:  # every hook is checked before anything is created, as AWS does
        _check_hook(spec.get("LifecycleHookName"), spec.get("LifecycleTransition"), _int(spec.get("HeartbeatTimeout")), spec.get("DefaultResult") or None)
    result = _original_create_group(self)
    name = self._get_param("AutoScalingGroupName")
    group = self.autoscaling_backend.autoscaling_groups.get(name)
    if group is not None:
        group.instance_maintenance_policy = policy if given else None
        for spec in hooks:
            put_hook(self.autoscaling_backend, name, spec)
    return result


def _update_auto_scaling_group(self: AutoScalingResponse) -> ActionResult:
    given, policy = maintenance_policy(self._get_params().get("InstanceMaintenancePolicy"))
    result = _original_update_group(self)
    group = self.autoscaling_backend.autoscaling_groups.get(self._get_param("AutoScalingGroupName"))
    if group is not None and given:
        group.instance_maintenance_policy = policy
    return result


def _delete_auto_scaling_group(self: AutoScalingResponse) -> ActionResult:
    name = self._get_param("AutoScalingGroupName")
    result = _original_delete_group(self)
    backend = self.autoscaling_backend
    if name not in backend.autoscaling_groups:
        for key in [k for k, hook in backend.lifecycle_hooks.items() if hook.auto_scaling_group_name == name]:
            del backend.lifecycle_hooks[key]
    return result


def _put_warm_pool(self: AutoScalingResponse) -> ActionResult:
    name = self._get_param("AutoScalingGroupName")
    group: FakeAutoScalingGroup | None = self.autoscaling_backend.autoscaling_groups.get(name)
    if group is not None and group.mixed_instances_policy:
        raise ValidationError(
            f"You can't add a warm pool to an Auto Scaling group that has a mixed instances policy or a launch template or launch configuration that requests Spot Instances. Group: {name}"
        )
    return _original_put_warm_pool(self)


def install() -> None:
    """Patches moto in this process, after fidelity_fixes (whose group patches it wraps)."""
    global _installed, _original_create_group, _original_update_group, _original_delete_group, _original_put_warm_pool
    if _installed:
        return
    _original_create_group = AutoScalingResponse.create_auto_scaling_group
    _original_update_group = AutoScalingResponse.update_auto_scaling_group
    _original_delete_group = AutoScalingResponse.delete_auto_scaling_group
    _original_put_warm_pool = AutoScalingResponse.put_warm_pool
    AutoScalingResponse.create_auto_scaling_group = _create_auto_scaling_group
    AutoScalingResponse.update_auto_scaling_group = _update_auto_scaling_group
    AutoScalingResponse.delete_auto_scaling_group = _delete_auto_scaling_group
    AutoScalingResponse.put_warm_pool = _put_warm_pool
    AutoScalingResponse.put_lifecycle_hook = put_lifecycle_hook
    FakeAutoScalingGroup.instance_maintenance_policy = None  # for groups without the attribute
    _installed = True
