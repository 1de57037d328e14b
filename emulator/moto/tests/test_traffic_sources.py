"""AttachTrafficSources, DetachTrafficSources, DescribeTrafficSources (traffic_sources.py):
what aws_autoscaling_traffic_source_attachment (terraform-aws-modules autoscaling v9's
traffic_source_attachments) calls, and what it does to the target group."""

from __future__ import annotations

import botocore.exceptions
import pytest

from conftest import Emulator, make_group


def _targets(emulator: Emulator, arn: str) -> dict[str, str]:
    described = emulator.client("elbv2").describe_target_health(TargetGroupArn=arn)["TargetHealthDescriptions"]
    return {d["Target"]["Id"]: d["TargetHealth"]["State"] for d in described}


def _group_instances(emulator: Emulator, name: str) -> set[str]:
    group = emulator.client("autoscaling").describe_auto_scaling_groups(AutoScalingGroupNames=[name])["AutoScalingGroups"][0]
    return {i["InstanceId"] for i in group["Instances"]}


def _second_target_group(emulator: Emulator, name: str = "app-tg") -> str:
    ec2, elbv2 = emulator.client("ec2"), emulator.client("elbv2")
    vpc = ec2.describe_vpcs(Filters=[{"Name": "cidr", "Values": ["10.0.0.0/16"]}])["Vpcs"][0]["VpcId"]
    return elbv2.create_target_group(Name=name, Protocol="HTTP", Port=8080, VpcId=vpc, TargetType="instance")["TargetGroups"][0]["TargetGroupArn"]


def test_attach_registers_the_groups_instances_and_describes_the_source(fast: Emulator) -> None:
    group = make_group(fast, capacity=2)
    arn = _second_target_group(fast)
    autoscaling = fast.client("autoscaling")
    autoscaling.attach_traffic_sources(AutoScalingGroupName=group.name, TrafficSources=[{"Identifier": arn, "Type": "elbv2"}])

    instances = _group_instances(fast, group.name)
    assert _targets(fast, arn) == {i: "healthy" for i in instances}
    sources = autoscaling.describe_traffic_sources(AutoScalingGroupName=group.name, TrafficSourceType="elbv2")["TrafficSources"]
    by_id = {s["Identifier"]: s for s in sources}
    # The group's own TargetGroupARNs attachment is a traffic source too: one attachment, two APIs.
    assert set(by_id) == {group.target_group_arn, arn}
    assert by_id[arn] == {"TrafficSource": arn, "Identifier": arn, "Type": "elbv2", "State": "InService"}
    described = autoscaling.describe_auto_scaling_groups(AutoScalingGroupNames=[group.name])["AutoScalingGroups"][0]
    assert {"Identifier": arn, "Type": "elbv2"} in described["TrafficSources"]
    assert arn in described["TargetGroupARNs"]


def test_a_source_without_instances_is_added_not_in_service(fast: Emulator) -> None:
    group = make_group(fast, capacity=0)
    arn = _second_target_group(fast)
    autoscaling = fast.client("autoscaling")
    autoscaling.attach_traffic_sources(AutoScalingGroupName=group.name, TrafficSources=[{"Identifier": arn, "Type": "elbv2"}])
    states = {s["Identifier"]: s["State"] for s in autoscaling.describe_traffic_sources(AutoScalingGroupName=group.name)["TrafficSources"]}
    assert states[arn] == "Added"


def test_instances_launched_later_are_registered_and_terminated_ones_deregistered(fast: Emulator) -> None:
    group = make_group(fast, capacity=1)
    arn = _second_target_group(fast)
    autoscaling = fast.client("autoscaling")
    autoscaling.attach_traffic_sources(AutoScalingGroupName=group.name, TrafficSources=[{"Identifier": arn}])  # Type inferred: elbv2
    autoscaling.set_desired_capacity(AutoScalingGroupName=group.name, DesiredCapacity=2)
    instances = _group_instances(fast, group.name)
    assert len(instances) == 2
    assert {i for i, state in _targets(fast, arn).items() if state == "healthy"} == instances


def test_detach_deregisters_and_the_source_is_gone(fast: Emulator) -> None:
    group = make_group(fast, capacity=2)
    arn = _second_target_group(fast)
    autoscaling = fast.client("autoscaling")
    autoscaling.attach_traffic_sources(AutoScalingGroupName=group.name, TrafficSources=[{"Identifier": arn, "Type": "elbv2"}])
    instances = _group_instances(fast, group.name)
    autoscaling.detach_traffic_sources(AutoScalingGroupName=group.name, TrafficSources=[{"Identifier": arn, "Type": "elbv2"}])

    sources = autoscaling.describe_traffic_sources(AutoScalingGroupName=group.name)["TrafficSources"]
    assert [s["Identifier"] for s in sources] == [group.target_group_arn]
    assert all(state != "healthy" for state in _targets(fast, arn).values())
    assert _group_instances(fast, group.name) == instances  # the instances keep running
    # Detaching what is not attached changes nothing.
    autoscaling.detach_traffic_sources(AutoScalingGroupName=group.name, TrafficSources=[{"Identifier": arn, "Type": "elbv2"}])


def test_refuses_an_unknown_group_type_or_target_group_attaching_nothing(fast: Emulator) -> None:
    group = make_group(fast, capacity=1)
    arn = _second_target_group(fast)
    autoscaling = fast.client("autoscaling")
    missing = arn.replace("app-tg", "no-such-tg")
    cases = [
        ({"AutoScalingGroupName": "no-such-group", "TrafficSources": [{"Identifier": arn, "Type": "elbv2"}]}, "AutoScalingGroup name not found"),
        ({"AutoScalingGroupName": group.name, "TrafficSources": [{"Identifier": arn, "Type": "alb"}]}, "Traffic source type 'alb' is not valid"),
        # All or nothing: the valid first source is not attached either.
        ({"AutoScalingGroupName": group.name, "TrafficSources": [{"Identifier": arn, "Type": "elbv2"}, {"Identifier": missing, "Type": "elbv2"}]}, "Provided Target Groups may not be valid"),
    ]
    for request, message in cases:
        with pytest.raises(botocore.exceptions.ClientError) as error:
            autoscaling.attach_traffic_sources(**request)
        assert error.value.response["Error"]["Code"] == "ValidationError"
        assert message in error.value.response["Error"]["Message"]
    sources = autoscaling.describe_traffic_sources(AutoScalingGroupName=group.name)["TrafficSources"]
    assert [s["Identifier"] for s in sources] == [group.target_group_arn]


def test_describe_filters_by_type_and_pages(fast: Emulator) -> None:
    group = make_group(fast, capacity=1)
    arns = [_second_target_group(fast, f"tg-{n}") for n in range(3)]
    lattice = "arn:aws:vpc-lattice:us-east-1:123456789012:targetgroup/tg-0123456789abcdef0"
    autoscaling = fast.client("autoscaling")
    autoscaling.attach_traffic_sources(
        AutoScalingGroupName=group.name,
        TrafficSources=[{"Identifier": a, "Type": "elbv2"} for a in arns] + [{"Identifier": lattice, "Type": "vpc-lattice"}],
    )
    only_lattice = autoscaling.describe_traffic_sources(AutoScalingGroupName=group.name, TrafficSourceType="vpc-lattice")["TrafficSources"]
    assert [(s["Identifier"], s["State"]) for s in only_lattice] == [(lattice, "Added")]
    first = autoscaling.describe_traffic_sources(AutoScalingGroupName=group.name, MaxRecords=3)
    second = autoscaling.describe_traffic_sources(AutoScalingGroupName=group.name, MaxRecords=3, NextToken=first["NextToken"])
    assert "NextToken" not in second
    listed = [s["Identifier"] for s in first["TrafficSources"] + second["TrafficSources"]]
    assert listed == [group.target_group_arn, *arns, lattice]
    with pytest.raises(botocore.exceptions.ClientError) as error:
        autoscaling.describe_traffic_sources(AutoScalingGroupName=group.name, MaxRecords=51)
    assert error.value.response["Error"]["Code"] == "ValidationError"


def test_instance_refresh_registers_replacements_in_an_attached_traffic_source(fast: Emulator) -> None:
    """What the e2e adoption relies on: a refresh of a module-built group keeps its traffic
    source's targets current."""
    from conftest import wait_for

    group = make_group(fast, capacity=2, version="1")
    arn = _second_target_group(fast)
    autoscaling = fast.client("autoscaling")
    autoscaling.attach_traffic_sources(AutoScalingGroupName=group.name, TrafficSources=[{"Identifier": arn, "Type": "elbv2"}])
    before = _group_instances(fast, group.name)
    autoscaling.start_instance_refresh(
        AutoScalingGroupName=group.name,
        DesiredConfiguration={"LaunchTemplate": {"LaunchTemplateId": group.template_id, "Version": "2"}},
        Preferences={"MinHealthyPercentage": 50},
    )
    wait_for(
        lambda: autoscaling.describe_instance_refreshes(AutoScalingGroupName=group.name)["InstanceRefreshes"][0]["Status"],
        lambda status: status == "Successful",
    )
    after = _group_instances(fast, group.name)
    assert not after & before
    assert {i for i, state in _targets(fast, arn).items() if state == "healthy"} == after
