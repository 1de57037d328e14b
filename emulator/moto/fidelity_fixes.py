"""Fixes to moto 5.2.5's model that terraform-provider-aws observes for this project's
resources. Each one was found by applying the project's resources with the real provider
against moto and reading the plan that followed: every fix removes a wrong answer or a
perpetual diff (a plan that never converges would make every apply start an instance
refresh, and the end-to-end tests' "second plan is empty" check meaningless).

* Group instances carry the launch template version they were launched from. moto passed
  no version to RunInstances, so EC2 took the template's *default* version for tags and
  block devices while the image came from the group's version, and
  DescribeAutoScalingGroups reported the default version for every instance. New
  instances are also spread over the group's subnets (moto put them all in the first).
* EnableMetricsCollection adds to the enabled metrics (moto replaced the set) and enables
  all metrics when none are named; DisableMetricsCollection, which moto lacks, is added
  (the provider calls it when metrics leave ``enabled_metrics``).
* DefaultInstanceWarmup, which moto drops, is stored and returned (the provider reads it
  back into ``default_instance_warmup``).
* PutScalingPolicy: ``Enabled`` (default true in AWS) is stored and returned (moto omitted
  it, so the provider read ``enabled = false``), and an absent
  PredictiveScalingConfiguration stays absent (moto returned an empty one, which the
  provider reads as an empty block).
* CreateLaunchTemplate: the template's own tags (TagSpecifications of resource type
  launch-template) stay the template's tags; moto also copied them into the version's
  LaunchTemplateData, which the provider reads as a tag_specifications block it did not
  configure, so every plan wanted a new template version.
* DeleteLoadBalancer refuses a load balancer with deletion protection enabled
  (OperationNotPermitted, as AWS does); moto deleted it, so `enable_deletion_protection`
  protected nothing and a destroy that must fail succeeded.
* CreateLaunchTemplateVersion stores UserData the way CreateLaunchTemplate does (moto kept
  the raw string, and its own code then failed an assertion when an Auto Scaling group
  launched from that version: any scale-out or refresh after a user data change).

* DescribeSecurityGroupRules answers the Description of a rule that references another
  security group (``referenced_security_group_id``): moto keeps that description with the
  referenced group and answered none, so every plan wanted to set it again.

* CreateLoadBalancer without a Scheme (the provider sends none for `internal = false`)
  creates an internet-facing load balancer, as AWS does; moto stored no scheme at all.
* CreateBucket stores the tags of its CreateBucketConfiguration (S3 accepts them since
  2025, and the provider sends the default tags there); moto dropped them, so the state
  bucket's tags never matched and every plan wanted to set them again.

* DescribeLaunchTemplates answers the template's current tags: moto answered the tags it
  had when the template was created, so tags added later with CreateTags (the provider's
  way of tagging an existing template, e.g. one adopted from another state) never showed
  and every plan wanted to add them again.

* CreateLaunchTemplate is idempotent on its ClientToken, as AWS documents for EC2 (the
  provider sends one with every create): a retried request with the token of a template
  that was already created answers that template, and the same token with another name
  is IdempotentParameterMismatch. moto ignored the token, so when the provider's SDK
  retried a create whose first answer was slow (a loaded machine), the retry failed with
  InvalidLaunchTemplateName.AlreadyExistsException and so did the apply.

* CreateFlowLogs with a CloudWatch Logs group given by ARN (LogDestination, as the provider
  sends it) records the group's name, as AWS does: moto looked the group up by the absent
  LogGroupName, reported the flow log's delivery as FAILED ("Access error") and returned no
  LogGroupName.

And one for speed: AWS managed policies (the app's role attaches one; the launcher turns
moto's MOTO_IAM_LOAD_MANAGED_POLICIES on) are parsed from JSON once per process instead of
once per IAM backend: moto builds six of them (one per partition) after every reset, which
cost about a second per reset.
"""

from __future__ import annotations

import json
from typing import Any

import xmltodict

from moto.autoscaling.exceptions import ValidationError
from moto.autoscaling.models import ASG_NAME_TAG, AutoScalingBackend, FakeAutoScalingGroup, InstanceState
from moto.autoscaling.responses import AutoScalingResponse
from moto.core.responses import ActionResult, EmptyResult
from moto.core.exceptions import ServiceException
from moto.ec2.exceptions import EC2ClientError
from moto.ec2.utils import parse_user_data
from moto.elbv2.models import ELBv2Backend
from moto.ec2.models.launch_templates import LaunchTemplate
from moto.ec2.models.flow_logs import FlowLogsBackend
from moto.s3.responses import S3Response
from moto.ec2.models.security_groups import SecurityGroupRule
from moto.ec2.responses.launch_templates import LaunchTemplates
from moto.iam import models as iam_models
from moto.iam.aws_managed_policies import aws_managed_policies_data

# All the metrics EnableMetricsCollection enables when it is given none (AWS docs).
ALL_GROUP_METRICS = [
    "GroupMinSize",
    "GroupMaxSize",
    "GroupDesiredCapacity",
    "GroupInServiceInstances",
    "GroupPendingInstances",
    "GroupStandbyInstances",
    "GroupTerminatingInstances",
    "GroupTotalInstances",
    "GroupInServiceCapacity",
    "GroupPendingCapacity",
    "GroupStandbyCapacity",
    "GroupTerminatingCapacity",
    "GroupTotalCapacity",
    "WarmPoolDesiredCapacity",
    "WarmPoolWarmedCapacity",
    "WarmPoolPendingCapacity",
    "WarmPoolTerminatingCapacity",
    "WarmPoolTotalCapacity",
    "GroupAndWarmPoolDesiredCapacity",
    "GroupAndWarmPoolTotalCapacity",
]


def as_bool(value: Any) -> bool | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return value
    return str(value).lower() == "true"


def group_or_error(backend: AutoScalingBackend, name: str | None) -> FakeAutoScalingGroup:
    group = backend.autoscaling_groups.get(name or "")
    if group is None:
        raise ValidationError(f"AutoScalingGroup name not found - AutoScalingGroup '{name}' not found")
    return group


# ---------------------------------------------------------------------------- launching


def launched_version(state: InstanceState) -> tuple[str, str] | None:
    """(template id, version number) an instance was launched from, if known."""
    return getattr(state.instance, "sample_app_launch_template", None)


def resolve_template(group: FakeAutoScalingGroup, spec: dict[str, Any] | None):
    """(LaunchTemplate, LaunchTemplateVersion) for a LaunchTemplateSpecification (id or
    name; Version a number, $Latest or $Default, absent meaning $Default), or the group's
    own template and version when spec is None. Unknown templates or versions raise
    moto's EC2 errors, as AWS rejects them."""
    ec2 = group.ec2_backend
    if spec is None:
        template = group.ec2_launch_template
        if template is None:
            return None, None
        return template, template.get_version(group.launch_template_version)
    if spec.get("LaunchTemplateId"):
        template = ec2.get_launch_template(spec["LaunchTemplateId"])
    else:
        template = ec2.get_launch_template_by_name(spec["LaunchTemplateName"])
    return template, template.get_version(spec.get("Version") or "$Default")


def launch(
    group: FakeAutoScalingGroup,
    count: int,
    spec: dict[str, Any] | None = None,
    leaving: frozenset[str] = frozenset(),
) -> list[InstanceState]:
    """Launches `count` instances into the group from a launch template version (the
    group's when spec is None), spread over the group's subnets (instances in `leaving`,
    about to be replaced, do not count)."""
    template, version = resolve_template(group, spec)
    tags = group.get_propagated_tags()
    tags[ASG_NAME_TAG] = group.name
    tags.update(version.instance_tags)
    subnets: list[str | None] = list(group.vpc_zone_identifier.split(",")) if group.vpc_zone_identifier else [None]
    per_subnet = {subnet: 0 for subnet in subnets}
    for state in group.instance_states:
        if state.instance.id not in leaving and state.instance.subnet_id in per_subnet:
            per_subnet[state.instance.subnet_id] += 1
    plan: dict[str | None, int] = {}
    for _ in range(count):
        subnet = min(subnets, key=lambda s: (per_subnet[s] + plan.get(s, 0), subnets.index(s)))
        plan[subnet] = plan.get(subnet, 0) + 1

    launched: list[InstanceState] = []
    for subnet, n in plan.items():
        placement = None
        if subnet is None and group.availability_zones:
            placement = group.availability_zones[0]
        reservation = group.ec2_backend.run_instances(
            version.image_id,
            n,
            version.user_data,
            version.security_groups,
            instance_type=version.instance_type,
            tags={"instance": dict(tags)},
            placement=placement,
            launch_config=None,
            # The version is what moto left out: without it EC2 takes the default version.
            launch_template={"LaunchTemplateId": template.id, "Version": str(version.number)},
            is_instance_type_default=False,
            associate_public_ip=None,
            subnet_id=subnet,
        )
        for instance in reservation.instances:
            instance.autoscaling_group = group
            instance.sample_app_launch_template = (template.id, str(version.number))
            state = InstanceState(instance, protected_from_scale_in=group.new_instances_protected_from_scale_in)
            group.instance_states.append(state)
            launched.append(state)
    return launched


original_replace_instances = FakeAutoScalingGroup.replace_autoscaling_group_instances


def _replace_autoscaling_group_instances(self: FakeAutoScalingGroup, count_needed: int, propagated_tags: dict[str, str]) -> None:
    # Launch configurations and mixed instances policies keep moto's own path.
    if self.ec2_launch_template is None or self.mixed_instances_policy:
        original_replace_instances(self, count_needed, propagated_tags)
        return
    launch(self, count_needed)


_original_instance_launch_template = InstanceState.launch_template


def _instance_launch_template(self: InstanceState) -> dict[str, Any] | None:
    launched = launched_version(self)
    group = self.auto_scaling_group
    if launched is None or group is None or group.ec2_launch_template is None:
        return _original_instance_launch_template.fget(self)  # type: ignore[union-attr]
    template_id, version = launched
    template = group.ec2_backend.get_launch_template(template_id)
    return {"LaunchTemplateId": template.id, "LaunchTemplateName": template.name, "Version": version}


# ---------------------------------------------------------------------------- metrics


def disable_metrics_collection(self: AutoScalingResponse) -> ActionResult:
    group = group_or_error(self.autoscaling_backend, self._get_param("AutoScalingGroupName"))
    metrics = self._get_param("Metrics", []) or []
    # No metrics named: all are disabled.
    group.metrics = [m for m in group.metrics if metrics and m not in metrics]
    return EmptyResult()


def _enable_metrics_collection(self: FakeAutoScalingGroup, metrics: list[str]) -> None:
    wanted = metrics or ALL_GROUP_METRICS
    self.metrics = list(dict.fromkeys([*self.metrics, *wanted]))


# ---------------------------------------------------------------------------- group fields

# The response methods read params and call the backend with fixed keyword lists, so
# fields moto drops are stored on the group around those calls (moto's serializer picks
# `default_instance_warmup` up by its snake_case name).
_original_create_group = AutoScalingResponse.create_auto_scaling_group
_original_update_group = AutoScalingResponse.update_auto_scaling_group


def _create_auto_scaling_group(self: AutoScalingResponse) -> ActionResult:
    result = _original_create_group(self)
    group = self.autoscaling_backend.autoscaling_groups.get(self._get_param("AutoScalingGroupName"))
    if group is not None:
        group.default_instance_warmup = self._get_int_param("DefaultInstanceWarmup")
    return result


def _update_auto_scaling_group(self: AutoScalingResponse) -> ActionResult:
    result = _original_update_group(self)
    warmup = self._get_int_param("DefaultInstanceWarmup")
    group = self.autoscaling_backend.autoscaling_groups.get(self._get_param("AutoScalingGroupName"))
    if group is not None and warmup is not None:
        group.default_instance_warmup = None if warmup < 0 else warmup  # AWS: -1 clears it
    return result


# ---------------------------------------------------------------------------- scaling policies

_original_put_scaling_policy = AutoScalingResponse.put_scaling_policy


def _put_scaling_policy(self: AutoScalingResponse) -> ActionResult:
    result = _original_put_scaling_policy(self)
    policy = self.autoscaling_backend.policies.get(self._get_param("PolicyName"))
    if policy is not None:
        enabled = as_bool(self._get_param("Enabled"))
        policy.enabled = True if enabled is None else enabled
        if not policy.predictive_scaling_configuration:
            policy.predictive_scaling_configuration = None
    return result


# ---------------------------------------------------------------------------- launch templates

_original_create_launch_template = LaunchTemplates.create_launch_template


# ClientToken -> (template name, the answer given), per EC2 backend (account and region).
_LAUNCH_TEMPLATE_TOKENS_ATTR = "_sample_app_client_tokens"


def _create_launch_template(self: LaunchTemplates) -> ActionResult:
    token = self._get_param("ClientToken")
    name = self._get_param("LaunchTemplateName")
    tokens: dict[str, tuple[str, ActionResult]] = self.ec2_backend.__dict__.setdefault(_LAUNCH_TEMPLATE_TOKENS_ATTR, {})
    if token and token in tokens:
        created_name, answer = tokens[token]
        if created_name != name:
            raise EC2ClientError(
                "IdempotentParameterMismatch",
                f"The client token {token} was already used for launch template {created_name}",
            )
        if self.ec2_backend.launch_template_name_to_ids.get(name) is not None:
            return answer
    result = _create_launch_template_once(self)
    if token:
        tokens[token] = (name, result)
    return result


def _create_launch_template_once(self: LaunchTemplates) -> ActionResult:
    had_data_tag_specs = bool((self._get_param("LaunchTemplateData", {}) or {}).get("TagSpecifications"))
    result = _original_create_launch_template(self)
    template = self.ec2_backend.get_launch_template_by_name(self._get_param("LaunchTemplateName"))
    data = template.versions[0].data
    # launch-template is not a resource type LaunchTemplateData.TagSpecifications accepts,
    # so any such entry was copied there by moto from the request's own TagSpecifications.
    specs = [s for s in data.get("TagSpecifications", []) if s.get("ResourceType") != "launch-template"]
    if specs or had_data_tag_specs:
        data["TagSpecifications"] = specs
    else:
        data.pop("TagSpecifications", None)
    return result


_original_create_launch_template_version = LaunchTemplates.create_launch_template_version


def _create_launch_template_version(self: LaunchTemplates) -> ActionResult:
    raw = self._get_param("LaunchTemplateData.UserData")
    # Parsed first: invalid base64 is rejected (InvalidUserData.Malformed, as
    # CreateLaunchTemplate does) before a version is created.
    user_data = parse_user_data(raw) if isinstance(raw, str) else None
    result = _original_create_launch_template_version(self)
    template = (
        self.ec2_backend.get_launch_template(self._get_param("LaunchTemplateId"))
        if self._get_param("LaunchTemplateId")
        else self.ec2_backend.get_launch_template_by_name(self._get_param("LaunchTemplateName"))
    )
    if user_data is not None:
        template.versions[-1].data["UserData"] = user_data
    return result


# ---------------------------------------------------------------------------- load balancers


class OperationNotPermitted(ServiceException):
    # moto finds the error's shape (HTTP status, Sender fault) in the model of the
    # service that raised it; this module's name does not start with "moto", so it looks
    # in the ELBv2 model of the request, where OperationNotPermitted is defined.
    code = "OperationNotPermitted"


_original_delete_load_balancer = ELBv2Backend.delete_load_balancer


def _delete_load_balancer(self: ELBv2Backend, arn: str) -> None:
    balancer = self.load_balancers.get(arn)
    if balancer is not None and str(balancer.attrs.get("deletion_protection.enabled", "false")).lower() == "true":
        raise OperationNotPermitted(f"Load balancer '{arn}' cannot be deleted because deletion protection is enabled")
    _original_delete_load_balancer(self, arn)


# ---------------------------------------------------------------------------- IAM

_parsed_managed_policies: dict[str, Any] | None = None


def _init_aws_policies(self: iam_models.IAMBackend) -> list[iam_models.ManagedPolicy]:
    global _parsed_managed_policies
    if not iam_models.load_iam_aws_managed_policies():
        return []
    if _parsed_managed_policies is None:
        _parsed_managed_policies = json.loads(aws_managed_policies_data)
    # from_data only reads the parsed dicts, so sharing them between backends is safe.
    return [
        iam_models.AWSManagedPolicy.from_data(name, self.account_id, self.region_name, data)
        for name, data in _parsed_managed_policies.items()
    ]


# ---------------------------------------------------------------------------- S3

_original_bucket_response_put = S3Response._bucket_response_put


def _bucket_response_put(self: S3Response, request: Any, bucket_name: str, querystring: dict[str, Any]) -> Any:
    result = _original_bucket_response_put(self, request, bucket_name, querystring)
    if querystring or not self.body:
        return result
    # CreateBucket: the tags in its configuration, which moto ignores.
    try:
        configuration = xmltodict.parse(self.body).get("CreateBucketConfiguration") or {}
    except Exception:  # noqa: BLE001 - moto already answered a malformed body
        return result
    tags = (configuration.get("Tags") or {}).get("Tag") or []
    if isinstance(tags, dict):
        tags = [tags]
    if tags:
        self.backend.put_bucket_tagging(bucket_name, {tag["Key"]: tag.get("Value") or "" for tag in tags})
    return result


# ---------------------------------------------------------------------------- install

_installed = False


def _security_group_rule_description(self: SecurityGroupRule) -> str | None:
    return self.ip_range.get("Description") or (self.source_group or {}).get("Description")


_original_create_load_balancer = ELBv2Backend.create_load_balancer


def _create_load_balancer(self: ELBv2Backend, *args: Any, **kwargs: Any) -> Any:
    if kwargs.get("scheme") is None:
        kwargs["scheme"] = "internet-facing"
    return _original_create_load_balancer(self, *args, **kwargs)


def _launch_template_tags(self: LaunchTemplate) -> list[dict[str, str]]:
    return self.get_tags()


def _ignore_tags_snapshot(self: LaunchTemplate, value: Any) -> None:
    """moto's constructor stores a snapshot of the tags; the property reads them live."""
_original_create_flow_logs = FlowLogsBackend.create_flow_logs


def _create_flow_logs(self: FlowLogsBackend, resource_type: str, resource_ids: list[str], traffic_type: str,
                      deliver_logs_permission_arn: str, log_destination_type: str, log_destination: str,
                      log_group_name: str, log_format: str, max_aggregation_interval: int) -> Any:
    # arn:aws:logs:<region>:<account>:log-group:<name>[:*]
    if log_destination_type in (None, "cloud-watch-logs") and log_group_name is None and log_destination:
        parts = log_destination.split(":")
        if len(parts) >= 7 and parts[2] == "logs" and parts[5] == "log-group":
            log_group_name = parts[6]
    return _original_create_flow_logs(self, resource_type, resource_ids, traffic_type, deliver_logs_permission_arn,
                                      log_destination_type, log_destination, log_group_name, log_format,
                                      max_aggregation_interval)


def install() -> None:
    """Patches moto in this process. Must run before the server handles a request."""
    global _installed
    if _installed:
        return
    AutoScalingResponse.disable_metrics_collection = disable_metrics_collection
    AutoScalingResponse.create_auto_scaling_group = _create_auto_scaling_group
    AutoScalingResponse.update_auto_scaling_group = _update_auto_scaling_group
    AutoScalingResponse.put_scaling_policy = _put_scaling_policy
    FakeAutoScalingGroup.replace_autoscaling_group_instances = _replace_autoscaling_group_instances
    FakeAutoScalingGroup.enable_metrics_collection = _enable_metrics_collection
    FakeAutoScalingGroup.default_instance_warmup = None  # for groups without the attribute
    InstanceState.launch_template = property(_instance_launch_template)
    LaunchTemplates.create_launch_template = _create_launch_template
    LaunchTemplates.create_launch_template_version = _create_launch_template_version
    iam_models.IAMBackend._init_aws_policies = _init_aws_policies
    ELBv2Backend.delete_load_balancer = _delete_load_balancer
    ELBv2Backend.create_load_balancer = _create_load_balancer
    S3Response._bucket_response_put = _bucket_response_put
    SecurityGroupRule.description = property(_security_group_rule_description)  # type: ignore[assignment]
    LaunchTemplate.tags = property(_launch_template_tags, _ignore_tags_snapshot)  # type: ignore[assignment]
    FlowLogsBackend.create_flow_logs = _create_flow_logs  # type: ignore[method-assign]
    _installed = True
