"""Traffic sources for moto's Auto Scaling emulation (moto 5.2.x).

Why: moto 5.2.5 does not implement AttachTrafficSources, DetachTrafficSources or
DescribeTrafficSources, and DescribeAutoScalingGroups has no ``TrafficSources``. The
terraform-aws-modules autoscaling module (v9) attaches its target groups with
``aws_autoscaling_traffic_source_attachment`` (``traffic_source_attachments``), which calls
AttachTrafficSources, then DescribeTrafficSources until the source is ``Added`` or
``InService``; on destroy DetachTrafficSources, then DescribeTrafficSources until it is gone.
On stock moto the apply fails with "The attach_traffic_sources action has not been
implemented". The three operations are added to moto's own ``AutoScalingResponse`` and
serialised by moto's model-driven serializer, as ``instance_refresh.py`` does.

What is emulated:

* One attachment, whichever API made it, as on AWS ("You can use both the original
  AttachLoadBalancerTargetGroups API operation and AttachTrafficSources on the same Auto
  Scaling group"): an ``elbv2`` source is the group's target group (moto's
  ``target_group_arns``), an ``elb`` source its Classic Load Balancer (moto's
  ``load_balancer_names``). So a target group attached by AttachTrafficSources really
  registers the group's instances, and every later launch (scaling, instance refresh)
  registers and every termination deregisters, with moto's own machinery, exactly as for
  ``TargetGroupARNs``. ``vpc-lattice`` sources are recorded only (moto has no VPC Lattice
  target registration).
* AttachTrafficSources: the group must exist (``ValidationError`` "AutoScalingGroup name not
  found"); ``Type`` is ``elb``, ``elbv2`` or ``vpc-lattice`` (optional except for a Classic
  Load Balancer: without it an ARN of an elasticloadbalancing target group is ``elbv2``, of
  a vpc-lattice one ``vpc-lattice``, anything else a Classic Load Balancer name); an
  ``elbv2`` target group or an ``elb`` load balancer must exist in the account and region.
  Every source is checked before any is attached (all or nothing). Attaching a source
  already attached is a no-op (the operation is additive).
* DetachTrafficSources: the sources are detached and their targets deregistered (draining
  in the target group); the instances keep running. A source that is not attached is
  ignored.
* DescribeTrafficSources: all of the group's sources, or those of ``TrafficSourceType``,
  with ``Identifier``, ``Type``, the deprecated ``TrafficSource`` (= ``Identifier``) and
  ``State``: ``InService`` when at least one of the group's instances is registered and
  healthy in the target group (moto reports any running registered target healthy) or in
  the Classic Load Balancer, else ``Added``. Registration happens within the attach call,
  so ``Adding`` is never observed, and a detached source is gone at once (no ``Removing``
  / ``Removed``). ``MaxRecords`` (at most 50, default 50) and ``NextToken`` page.
* DescribeAutoScalingGroups reports ``TrafficSources`` (``Identifier`` and ``Type``) next to
  ``TargetGroupARNs`` and ``LoadBalancerNames``.

Not checked against AWS: the error texts (AWS's own wording for an unknown target group on
attach, "Provided Target Groups may not be valid. Please ensure they exist and try again.",
is that of CreateAutoScalingGroup); whether AWS errors when detaching a source that is not
attached (ignored here); whether AWS lists a target group attached with
AttachTrafficSources in ``TargetGroupARNs`` too (it does here, since both are one
attachment).
"""

from __future__ import annotations

from typing import Any

from fidelity_fixes import group_or_error
from moto.autoscaling.exceptions import ValidationError
from moto.autoscaling.models import AutoScalingBackend, FakeAutoScalingGroup
from moto.autoscaling.responses import AutoScalingResponse
from moto.core.exceptions import ServiceException
from moto.core.responses import ActionResult, EmptyResult
from moto.elb.exceptions import LoadBalancerNotFoundError
from moto.elbv2.exceptions import TargetGroupNotFoundError

TYPES = ("elb", "elbv2", "vpc-lattice")
MAX_RECORDS = 50  # "The maximum value is 50." (DescribeTrafficSources, MaxRecords)


def _lattice(group: FakeAutoScalingGroup) -> list[str]:
    """VPC Lattice target groups attached to `group` (on the group: a reset discards it)."""
    if not hasattr(group, "_sample_app_lattice_sources"):
        group._sample_app_lattice_sources = []  # type: ignore[attr-defined]
    return group._sample_app_lattice_sources  # type: ignore[attr-defined]


def _sources(group: FakeAutoScalingGroup) -> list[dict[str, str]]:
    """The group's traffic sources, in the order they were attached within each type."""
    return (
        [{"Identifier": name, "Type": "elb"} for name in group.load_balancer_names]
        + [{"Identifier": arn, "Type": "elbv2"} for arn in group.target_group_arns]
        + [{"Identifier": arn, "Type": "vpc-lattice"} for arn in _lattice(group)]
    )


def _identifier_type(raw: Any) -> tuple[str, str]:
    """(Identifier, Type) of one TrafficSourceIdentifier of a request; ValidationError when
    the identifier is missing or the type is not one AWS knows."""
    raw = raw if isinstance(raw, dict) else {}
    identifier = raw.get("Identifier")
    if not identifier:
        raise ValidationError("1 validation error detected: Value null at 'trafficSources.member.identifier' failed to satisfy constraint: Member must not be null")
    kind = raw.get("Type")
    if not kind:
        # "Required if the identifier is the name of a Classic Load Balancer."
        if identifier.startswith("arn:") and ":elasticloadbalancing:" in identifier and ":targetgroup/" in identifier:
            kind = "elbv2"
        elif identifier.startswith("arn:") and ":vpc-lattice:" in identifier:
            kind = "vpc-lattice"
        else:
            kind = "elb"
    if kind not in TYPES:
        raise ValidationError(f"Traffic source type '{kind}' is not valid: it must be one of {', '.join(TYPES)}.")
    return identifier, kind


def _check_exists(backend: AutoScalingBackend, identifier: str, kind: str) -> None:
    if kind == "elbv2":
        try:
            backend.elbv2_backend.describe_target_groups(target_group_arns=[identifier], load_balancer_arn=None, names=None)
        except TargetGroupNotFoundError:
            raise ValidationError("Provided Target Groups may not be valid. Please ensure they exist and try again.")
    elif kind == "elb":
        try:
            backend.elb_backend.describe_load_balancers(names=[identifier])
        except LoadBalancerNotFoundError:
            raise ValidationError("Provided Load Balancers may not be valid. Please ensure they exist and try again.")


def _requested(self: AutoScalingResponse) -> list[tuple[str, str]]:
    raw = self._get_param("TrafficSources", []) or []
    if isinstance(raw, dict):  # {"member": [...]} from some query parsers
        raw = raw.get("member", list(raw.values()))
    if not raw:
        raise ValidationError("1 validation error detected: Value null at 'trafficSources' failed to satisfy constraint: Member must not be null")
    return [_identifier_type(item) for item in raw]


def attach_traffic_sources(self: AutoScalingResponse) -> ActionResult:
    import instance_refresh  # the lock: imported here, it imports this module's installer

    backend = self.autoscaling_backend
    name = self._get_param("AutoScalingGroupName")
    with instance_refresh.LOCK:
        group = group_or_error(backend, name)
        requested = _requested(self)
        for identifier, kind in requested:  # all checked before anything is attached
            _check_exists(backend, identifier, kind)
        for identifier, kind in requested:
            if kind == "elbv2":
                backend.attach_load_balancer_target_groups(group.name, [identifier])
            elif kind == "elb":
                backend.attach_load_balancers(group.name, [identifier])
            elif identifier not in _lattice(group):
                _lattice(group).append(identifier)
    return EmptyResult()


def detach_traffic_sources(self: AutoScalingResponse) -> ActionResult:
    import instance_refresh

    backend = self.autoscaling_backend
    name = self._get_param("AutoScalingGroupName")
    with instance_refresh.LOCK:
        group = group_or_error(backend, name)
        for identifier, kind in _requested(self):
            if kind == "elbv2" and identifier in group.target_group_arns:
                backend.detach_load_balancer_target_groups(group.name, [identifier])
            elif kind == "elb" and identifier in group.load_balancer_names:
                backend.detach_load_balancers(group.name, [identifier])
            elif kind == "vpc-lattice" and identifier in _lattice(group):
                _lattice(group).remove(identifier)
    return EmptyResult()


def _state(backend: AutoScalingBackend, group: FakeAutoScalingGroup, source: dict[str, str]) -> str:
    """InService when one of the group's instances is registered and healthy there, else
    Added (registration is immediate, so never Adding)."""
    members = {state.instance.id for state in group.instance_states}
    if source["Type"] == "elbv2":
        target_group = backend.elbv2_backend.target_groups.get(source["Identifier"])
        if target_group is not None:
            health = target_group.health_for  # (target, ec2 backend) -> FakeHealthStatus
            for target in target_group.targets.values():
                if target["Id"] in members and health(target, backend.ec2_backend).status == "healthy":
                    return "InService"
    elif source["Type"] == "elb":
        balancer = backend.elb_backend.load_balancers.get(source["Identifier"])
        if balancer is not None and members & set(balancer.instance_ids):
            return "InService"
    return "Added"


def describe_traffic_sources(self: AutoScalingResponse) -> ActionResult:
    import instance_refresh

    backend = self.autoscaling_backend
    name = self._get_param("AutoScalingGroupName")
    kind = self._get_param("TrafficSourceType")
    max_records = self._get_int_param("MaxRecords") or MAX_RECORDS
    if not 1 <= max_records <= MAX_RECORDS:
        raise ValidationError(f"MaxRecords must be between 1 and {MAX_RECORDS}.")
    token = self._get_param("NextToken")
    with instance_refresh.LOCK:
        instance_refresh.advance()  # a refresh's replacements register before we answer
        group = group_or_error(backend, name)
        sources = [s for s in _sources(group) if kind in (None, "", s["Type"])]
        start = 0
        if token:
            try:
                start = int(token)
            except ValueError:
                raise ServiceException("InvalidNextToken", "The token is not valid.")
        page = sources[start : start + max_records]
        result: dict[str, Any] = {
            "TrafficSources": [
                {"TrafficSource": s["Identifier"], "Identifier": s["Identifier"], "Type": s["Type"], "State": _state(backend, group, s)}
                for s in page
            ]
        }
        if start + max_records < len(sources):
            result["NextToken"] = str(start + max_records)
    return ActionResult(result)


def install() -> None:
    """Patches moto in this process (called by instance_refresh.install)."""
    # moto dispatches an action to the response method of the same snake_case name.
    AutoScalingResponse.attach_traffic_sources = attach_traffic_sources
    AutoScalingResponse.detach_traffic_sources = detach_traffic_sources
    AutoScalingResponse.describe_traffic_sources = describe_traffic_sources
    # DescribeAutoScalingGroups: the serializer reads `TrafficSources` as `traffic_sources`.
    FakeAutoScalingGroup.traffic_sources = property(_sources)  # type: ignore[attr-defined]
