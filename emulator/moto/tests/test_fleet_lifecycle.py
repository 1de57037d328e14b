"""Instance maintenance policy, lifecycle hooks and warm pools (fleet_lifecycle.py): what the
provider's aws_autoscaling_group (instance_maintenance_policy, initial_lifecycle_hook,
warm_pool) and aws_autoscaling_lifecycle_hook send and read back."""

from __future__ import annotations

import botocore.exceptions
import pytest

from conftest import Emulator, make_group


def _group(emulator: Emulator, name: str) -> dict:
    return emulator.client("autoscaling").describe_auto_scaling_groups(AutoScalingGroupNames=[name])["AutoScalingGroups"][0]


def _hooks(emulator: Emulator, name: str) -> dict[str, dict]:
    hooks = emulator.client("autoscaling").describe_lifecycle_hooks(AutoScalingGroupName=name)["LifecycleHooks"]
    return {hook["LifecycleHookName"]: hook for hook in hooks}


def test_maintenance_policy_is_stored_on_create_and_updated(fast: Emulator) -> None:
    group = make_group(fast, capacity=1, InstanceMaintenancePolicy={"MinHealthyPercentage": 100, "MaxHealthyPercentage": 200})
    assert _group(fast, group.name)["InstanceMaintenancePolicy"] == {"MinHealthyPercentage": 100, "MaxHealthyPercentage": 200}
    autoscaling = fast.client("autoscaling")
    autoscaling.update_auto_scaling_group(AutoScalingGroupName=group.name, InstanceMaintenancePolicy={"MinHealthyPercentage": 90, "MaxHealthyPercentage": 120})
    assert _group(fast, group.name)["InstanceMaintenancePolicy"] == {"MinHealthyPercentage": 90, "MaxHealthyPercentage": 120}
    # An update that does not name the policy keeps it.
    autoscaling.update_auto_scaling_group(AutoScalingGroupName=group.name, MaxSize=4)
    assert _group(fast, group.name)["InstanceMaintenancePolicy"] == {"MinHealthyPercentage": 90, "MaxHealthyPercentage": 120}


def test_minus_one_clears_the_maintenance_policy(fast: Emulator) -> None:
    group = make_group(fast, capacity=1, InstanceMaintenancePolicy={"MinHealthyPercentage": 90, "MaxHealthyPercentage": 120})
    fast.client("autoscaling").update_auto_scaling_group(AutoScalingGroupName=group.name, InstanceMaintenancePolicy={"MinHealthyPercentage": -1, "MaxHealthyPercentage": -1})
    assert "InstanceMaintenancePolicy" not in _group(fast, group.name)


def test_a_group_without_a_policy_has_none(fast: Emulator) -> None:
    group = make_group(fast, capacity=1)
    assert "InstanceMaintenancePolicy" not in _group(fast, group.name)


@pytest.mark.parametrize(
    "policy, message",
    [
        ({"MinHealthyPercentage": 50, "MaxHealthyPercentage": 250}, "MaxHealthyPercentage must be between 100 and 200"),
        ({"MinHealthyPercentage": 101, "MaxHealthyPercentage": 200}, "MinHealthyPercentage must be between 0 and 100"),
        ({"MinHealthyPercentage": 50, "MaxHealthyPercentage": 180}, "must be 100 or less"),
        ({"MinHealthyPercentage": -1, "MaxHealthyPercentage": 150}, "set both"),
    ],
)
def test_a_wrong_policy_is_refused_and_no_group_is_created(fast: Emulator, policy: dict, message: str) -> None:
    with pytest.raises(botocore.exceptions.ClientError, match=message):
        make_group(fast, capacity=1, InstanceMaintenancePolicy=policy)
    assert fast.client("autoscaling").describe_auto_scaling_groups(AutoScalingGroupNames=["web"])["AutoScalingGroups"] == []


def test_initial_hooks_become_hooks_of_the_group(fast: Emulator) -> None:
    group = make_group(
        fast,
        capacity=1,
        LifecycleHookSpecificationList=[
            {"LifecycleHookName": "web-launching", "LifecycleTransition": "autoscaling:EC2_INSTANCE_LAUNCHING", "HeartbeatTimeout": 300, "DefaultResult": "ABANDON"}
        ],
    )
    hook = _hooks(fast, group.name)["web-launching"]
    assert hook["LifecycleTransition"] == "autoscaling:EC2_INSTANCE_LAUNCHING"
    assert (hook["HeartbeatTimeout"], hook["DefaultResult"], hook["GlobalTimeout"]) == (300, "ABANDON", 30000)
    # Nothing was configured to notify: nothing is answered (moto answered a made-up queue and role).
    assert "NotificationTargetARN" not in hook and "RoleARN" not in hook


def test_put_lifecycle_hook_keeps_what_was_sent_and_updates_in_place(fast: Emulator) -> None:
    group = make_group(fast, capacity=1)
    autoscaling = fast.client("autoscaling")
    autoscaling.put_lifecycle_hook(AutoScalingGroupName=group.name, LifecycleHookName="web-terminating", LifecycleTransition="autoscaling:EC2_INSTANCE_TERMINATING", HeartbeatTimeout=45, DefaultResult="CONTINUE")
    hook = _hooks(fast, group.name)["web-terminating"]
    assert (hook["HeartbeatTimeout"], hook["DefaultResult"], hook["GlobalTimeout"]) == (45, "CONTINUE", 4500)
    assert "RoleARN" not in hook and "NotificationTargetARN" not in hook
    topic = "arn:aws:sns:us-east-1:123456789012:drain"
    role = "arn:aws:iam::123456789012:role/hooks"
    autoscaling.put_lifecycle_hook(AutoScalingGroupName=group.name, LifecycleHookName="web-terminating", HeartbeatTimeout=2000, NotificationTargetARN=topic, RoleARN=role)
    hook = _hooks(fast, group.name)["web-terminating"]
    assert (hook["HeartbeatTimeout"], hook["DefaultResult"], hook["LifecycleTransition"]) == (2000, "CONTINUE", "autoscaling:EC2_INSTANCE_TERMINATING")
    assert (hook["NotificationTargetARN"], hook["RoleARN"], hook["GlobalTimeout"]) == (topic, role, 172800)


@pytest.mark.parametrize(
    "args, message",
    [
        ({"HeartbeatTimeout": 29}, "between 30 and 7200"),
        ({"HeartbeatTimeout": 7201}, "between 30 and 7200"),
        ({"LifecycleTransition": "autoscaling:EC2_INSTANCE_STOPPING"}, "Invalid Lifecycle Transition"),
    ],
)
def test_a_wrong_hook_is_refused(fast: Emulator, args: dict, message: str) -> None:
    group = make_group(fast, capacity=1)
    request = {"AutoScalingGroupName": group.name, "LifecycleHookName": "h", "LifecycleTransition": "autoscaling:EC2_INSTANCE_TERMINATING", **args}
    with pytest.raises(botocore.exceptions.ClientError, match=message):
        fast.client("autoscaling").put_lifecycle_hook(**request)
    assert _hooks(fast, group.name) == {}


def test_hooks_go_with_their_group(fast: Emulator) -> None:
    group = make_group(fast, capacity=0)
    autoscaling = fast.client("autoscaling")
    autoscaling.put_lifecycle_hook(AutoScalingGroupName=group.name, LifecycleHookName="h", LifecycleTransition="autoscaling:EC2_INSTANCE_TERMINATING")
    autoscaling.delete_auto_scaling_group(AutoScalingGroupName=group.name, ForceDelete=True)
    assert autoscaling.describe_lifecycle_hooks(AutoScalingGroupName=group.name)["LifecycleHooks"] == []


def test_warm_pool_reads_back_as_the_provider_sends_it(fast: Emulator) -> None:
    group = make_group(fast, capacity=1)
    autoscaling = fast.client("autoscaling")
    autoscaling.put_warm_pool(AutoScalingGroupName=group.name, MaxGroupPreparedCapacity=-1, MinSize=1, PoolState="Hibernated", InstanceReusePolicy={"ReuseOnScaleIn": True})
    assert _group(fast, group.name)["WarmPoolConfiguration"] == {"MaxGroupPreparedCapacity": -1, "MinSize": 1, "PoolState": "Hibernated", "InstanceReusePolicy": {"ReuseOnScaleIn": True}}
    autoscaling.put_warm_pool(AutoScalingGroupName=group.name, PoolState="Stopped", InstanceReusePolicy={"ReuseOnScaleIn": False})
    assert _group(fast, group.name)["WarmPoolConfiguration"]["InstanceReusePolicy"] == {"ReuseOnScaleIn": False}


def test_a_warm_pool_on_a_mixed_instances_group_is_refused(fast: Emulator) -> None:
    group = make_group(fast, capacity=1)
    autoscaling = fast.client("autoscaling")
    autoscaling.update_auto_scaling_group(
        AutoScalingGroupName=group.name,
        MixedInstancesPolicy={
            "LaunchTemplate": {"LaunchTemplateSpecification": {"LaunchTemplateId": group.template_id, "Version": "1"}, "Overrides": [{"InstanceType": "t3.micro"}, {"InstanceType": "t3a.micro"}]},
            "InstancesDistribution": {"OnDemandPercentageAboveBaseCapacity": 50},
        },
    )
    with pytest.raises(botocore.exceptions.ClientError, match="mixed instances policy"):
        autoscaling.put_warm_pool(AutoScalingGroupName=group.name, PoolState="Stopped")
    assert "WarmPoolConfiguration" not in _group(fast, group.name)
