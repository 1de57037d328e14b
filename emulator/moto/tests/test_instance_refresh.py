"""The instance refresh extension, through the AWS API (boto3) against the launcher.

Each test says what AWS does; the assertions are on what a client observes:
DescribeInstanceRefreshes, DescribeAutoScalingGroups, EC2 and ELBv2.
"""

from __future__ import annotations

from datetime import datetime

import pytest
from botocore.exceptions import ClientError
from conftest import Emulator, make_group, wait_for


def refreshes(emulator: Emulator, group: str, **kwargs):
    return emulator.client("autoscaling").describe_instance_refreshes(AutoScalingGroupName=group, **kwargs)["InstanceRefreshes"]


def latest_refresh(emulator: Emulator, group: str):
    return refreshes(emulator, group)[0]


def group_of(emulator: Emulator, name: str):
    return emulator.client("autoscaling").describe_auto_scaling_groups(AutoScalingGroupNames=[name])["AutoScalingGroups"][0]


def error_code(excinfo: pytest.ExceptionInfo[ClientError]) -> str:
    return excinfo.value.response["Error"]["Code"]


# ----------------------------------------------------------------------------- start/describe


def test_refresh_replaces_every_instance_with_the_groups_new_version(fast: Emulator) -> None:
    """The provider's flow: update the group to the new version, then start a refresh
    without DesiredConfiguration; the refresh moves Pending -> InProgress -> Successful
    and every instance is replaced by one running the new version."""
    group = make_group(fast, capacity=2, version="1")
    autoscaling = fast.client("autoscaling")
    ec2 = fast.client("ec2")
    elbv2 = fast.client("elbv2")
    old_ids = {i["InstanceId"] for i in group_of(fast, "web")["Instances"]}
    assert {i["LaunchTemplate"]["Version"] for i in group_of(fast, "web")["Instances"]} == {"1"}

    autoscaling.update_auto_scaling_group(
        AutoScalingGroupName="web", LaunchTemplate={"LaunchTemplateId": group.template_id, "Version": "2"}
    )
    refresh_id = autoscaling.start_instance_refresh(
        AutoScalingGroupName="web",
        Strategy="Rolling",
        Preferences={"MinHealthyPercentage": 50, "MaxHealthyPercentage": 100, "InstanceWarmup": 60, "SkipMatching": False},
    )["InstanceRefreshId"]

    seen = []
    final = wait_for(
        lambda: latest_refresh(fast, "web"),
        lambda r: seen.append((r["Status"], r["PercentageComplete"], r["InstancesToUpdate"])) or r["Status"] == "Successful",
    )
    statuses = [s for s, _, _ in seen]
    assert statuses[0] == "Pending" and seen[0][1:] == (0, 2)
    assert "InProgress" in statuses
    # One instance per batch (50% of 2): half-way is observable.
    assert ("InProgress", 50, 1) in seen
    assert final["InstanceRefreshId"] == refresh_id
    assert final["PercentageComplete"] == 100 and final["InstancesToUpdate"] == 0
    assert final["ProgressDetails"]["LivePoolProgress"] == {"PercentageComplete": 100, "InstancesToUpdate": 0}
    assert isinstance(final["StartTime"], datetime) and final["EndTime"] >= final["StartTime"]
    assert final["Strategy"] == "Rolling"
    assert final["Preferences"] == {
        "MinHealthyPercentage": 50,
        "MaxHealthyPercentage": 100,
        "InstanceWarmup": 60,
        "SkipMatching": False,
        "AutoRollback": False,
        "ScaleInProtectedInstances": "Ignore",
        "StandbyInstances": "Ignore",
    }
    assert "DesiredConfiguration" not in final

    instances = group_of(fast, "web")["Instances"]
    new_ids = {i["InstanceId"] for i in instances}
    assert len(instances) == 2 and not (new_ids & old_ids)
    assert {i["LaunchTemplate"]["Version"] for i in instances} == {"2"}
    # Kept spread over both AZs while replacing.
    assert {i["AvailabilityZone"] for i in instances} == {"us-east-1a", "us-east-1b"}
    described = [i for r in ec2.describe_instances(InstanceIds=sorted(new_ids))["Reservations"] for i in r["Instances"]]
    assert {i["ImageId"] for i in described} == {"ami-00000002"}
    assert {t["Value"] for i in described for t in i["Tags"] if t["Key"] == "aws:ec2launchtemplate:version"} == {"2"}
    old = [i for r in ec2.describe_instances(InstanceIds=sorted(old_ids))["Reservations"] for i in r["Instances"]]
    assert {i["State"]["Name"] for i in old} == {"terminated"}
    health = elbv2.describe_target_health(TargetGroupArn=group.target_group_arn)["TargetHealthDescriptions"]
    assert {h["Target"]["Id"] for h in health} == new_ids


def test_default_preferences_are_echoed_as_aws_fills_them_in(fast: Emulator) -> None:
    make_group(fast, capacity=1)
    fast.client("autoscaling").start_instance_refresh(AutoScalingGroupName="web")
    refresh = latest_refresh(fast, "web")
    assert refresh["Strategy"] == "Rolling"
    assert refresh["Preferences"] == {
        "MinHealthyPercentage": 90,
        "MaxHealthyPercentage": 100,
        "SkipMatching": False,
        "AutoRollback": False,
        "ScaleInProtectedInstances": "Ignore",
        "StandbyInstances": "Ignore",
    }


def test_a_second_refresh_while_one_is_active_is_rejected(slow: Emulator) -> None:
    make_group(slow)
    autoscaling = slow.client("autoscaling")
    first = autoscaling.start_instance_refresh(AutoScalingGroupName="web")["InstanceRefreshId"]
    with pytest.raises(ClientError) as excinfo:
        autoscaling.start_instance_refresh(AutoScalingGroupName="web")
    assert error_code(excinfo) == "InstanceRefreshInProgress"
    assert excinfo.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert [r["InstanceRefreshId"] for r in refreshes(slow, "web")] == [first]
    assert latest_refresh(slow, "web")["Status"] == "Pending"


def test_unknown_group(fast: Emulator) -> None:
    autoscaling = fast.client("autoscaling")
    with pytest.raises(ClientError) as excinfo:
        autoscaling.start_instance_refresh(AutoScalingGroupName="nope")
    assert error_code(excinfo) == "ValidationError"
    assert "nope" in excinfo.value.response["Error"]["Message"]
    with pytest.raises(ClientError) as excinfo:
        autoscaling.cancel_instance_refresh(AutoScalingGroupName="nope")
    assert error_code(excinfo) == "ValidationError"
    assert refreshes(fast, "nope") == []


@pytest.mark.parametrize(
    ("preferences", "desired", "message"),
    [
        ({"AutoRollback": True}, None, "AutoRollback parameter cannot be set to true when the DesiredConfiguration parameter is empty"),
        ({"MinHealthyPercentage": 50, "MaxHealthyPercentage": 200}, None, "cannot be greater than 100"),
        ({"MaxHealthyPercentage": 201}, None, "between 100 and 200"),
        ({}, {"LaunchTemplate": {"LaunchTemplateName": "web-lt", "LaunchTemplateId": "lt-0123"}}, "either launchTemplateId or LaunchTemplateName"),
    ],
)
def test_invalid_requests_are_validation_errors(fast: Emulator, preferences, desired, message) -> None:
    make_group(fast)
    args = {"AutoScalingGroupName": "web", "Preferences": preferences}
    if desired:
        args["DesiredConfiguration"] = desired
    with pytest.raises(ClientError) as excinfo:
        fast.client("autoscaling").start_instance_refresh(**args)
    assert error_code(excinfo) == "ValidationError"
    assert message in excinfo.value.response["Error"]["Message"]
    assert refreshes(fast, "web") == []


# ----------------------------------------------------------------------------- cancel


def test_cancel_moves_the_active_refresh_to_cancelled(slow: Emulator) -> None:
    make_group(slow)
    autoscaling = slow.client("autoscaling")
    before = {i["InstanceId"] for i in group_of(slow, "web")["Instances"]}
    refresh_id = autoscaling.start_instance_refresh(AutoScalingGroupName="web")["InstanceRefreshId"]

    assert autoscaling.cancel_instance_refresh(AutoScalingGroupName="web")["InstanceRefreshId"] == refresh_id
    refresh = latest_refresh(slow, "web")
    assert refresh["Status"] == "Cancelled"
    assert refresh["EndTime"] >= refresh["StartTime"]
    assert {i["InstanceId"] for i in group_of(slow, "web")["Instances"]} == before

    with pytest.raises(ClientError) as excinfo:
        autoscaling.cancel_instance_refresh(AutoScalingGroupName="web")
    assert error_code(excinfo) == "ActiveInstanceRefreshNotFound"
    # Once cancelled, a new refresh may start (what the provider does after cancelling).
    second = autoscaling.start_instance_refresh(AutoScalingGroupName="web")["InstanceRefreshId"]
    assert [r["InstanceRefreshId"] for r in refreshes(slow, "web")] == [second, refresh_id]


def test_cancel_without_any_refresh(fast: Emulator) -> None:
    make_group(fast)
    with pytest.raises(ClientError) as excinfo:
        fast.client("autoscaling").cancel_instance_refresh(AutoScalingGroupName="web")
    assert error_code(excinfo) == "ActiveInstanceRefreshNotFound"
    assert excinfo.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400


# ----------------------------------------------------------------------------- desired configuration


def test_desired_configuration_moves_the_group_when_the_refresh_succeeds(slow: Emulator, fast: Emulator) -> None:
    # While active: the group's configuration is unchanged (AWS applies it on success).
    make_group(slow, version="1")
    slow.client("autoscaling").start_instance_refresh(
        AutoScalingGroupName="web",
        DesiredConfiguration={"LaunchTemplate": {"LaunchTemplateName": "web-lt", "Version": "$Latest"}},
        Preferences={"AutoRollback": True, "MinHealthyPercentage": 100, "MaxHealthyPercentage": 200},
    )
    assert group_of(slow, "web")["LaunchTemplate"]["Version"] == "1"
    assert latest_refresh(slow, "web")["DesiredConfiguration"] == {
        "LaunchTemplate": {"LaunchTemplateName": "web-lt", "Version": "$Latest"}
    }

    # To the end: instances on the resolved $Latest (3), the group on the desired spec.
    make_group(fast, version="1", versions=3)
    fast.client("autoscaling").start_instance_refresh(
        AutoScalingGroupName="web",
        DesiredConfiguration={"LaunchTemplate": {"LaunchTemplateName": "web-lt", "Version": "$Latest"}},
        Preferences={"AutoRollback": True, "MinHealthyPercentage": 100, "MaxHealthyPercentage": 200},
    )
    final = wait_for(lambda: latest_refresh(fast, "web"), lambda r: r["Status"] == "Successful")
    assert final["Preferences"]["AutoRollback"] is True
    group = group_of(fast, "web")
    assert group["LaunchTemplate"]["LaunchTemplateName"] == "web-lt"
    assert group["LaunchTemplate"]["Version"] == "$Latest"
    assert {i["LaunchTemplate"]["Version"] for i in group["Instances"]} == {"3"}
    assert len(group["Instances"]) == 2


def test_desired_configuration_with_an_unknown_template_is_rejected(fast: Emulator) -> None:
    make_group(fast)
    with pytest.raises(ClientError):
        fast.client("autoscaling").start_instance_refresh(
            AutoScalingGroupName="web",
            DesiredConfiguration={"LaunchTemplate": {"LaunchTemplateId": "lt-00000000000000000", "Version": "1"}},
        )
    assert refreshes(fast, "web") == []


def test_skip_matching_leaves_instances_already_on_the_target_version(fast: Emulator) -> None:
    make_group(fast, version="2")
    before = {i["InstanceId"] for i in group_of(fast, "web")["Instances"]}
    fast.client("autoscaling").start_instance_refresh(AutoScalingGroupName="web", Preferences={"SkipMatching": True})
    final = wait_for(lambda: latest_refresh(fast, "web"), lambda r: r["Status"] == "Successful")
    assert final["InstancesToUpdate"] == 0 and final["PercentageComplete"] == 100
    assert {i["InstanceId"] for i in group_of(fast, "web")["Instances"]} == before


def test_scale_in_protected_instances_are_ignored_by_default(fast: Emulator) -> None:
    make_group(fast, capacity=2, NewInstancesProtectedFromScaleIn=True)
    before = {i["InstanceId"] for i in group_of(fast, "web")["Instances"]}
    autoscaling = fast.client("autoscaling")
    autoscaling.start_instance_refresh(AutoScalingGroupName="web")
    wait_for(lambda: latest_refresh(fast, "web"), lambda r: r["Status"] == "Successful")
    assert {i["InstanceId"] for i in group_of(fast, "web")["Instances"]} == before
    autoscaling.start_instance_refresh(AutoScalingGroupName="web", Preferences={"ScaleInProtectedInstances": "Refresh"})
    wait_for(lambda: latest_refresh(fast, "web"), lambda r: r["Status"] == "Successful")
    assert not ({i["InstanceId"] for i in group_of(fast, "web")["Instances"]} & before)


# ----------------------------------------------------------------------------- describe


def test_describe_lists_newest_first_filters_by_id_and_paginates(slow: Emulator) -> None:
    make_group(slow)
    autoscaling = slow.client("autoscaling")
    ids = []
    for _ in range(3):
        ids.append(autoscaling.start_instance_refresh(AutoScalingGroupName="web")["InstanceRefreshId"])
        autoscaling.cancel_instance_refresh(AutoScalingGroupName="web")
    assert [r["InstanceRefreshId"] for r in refreshes(slow, "web")] == ids[::-1]
    assert [r["InstanceRefreshId"] for r in refreshes(slow, "web", InstanceRefreshIds=[ids[1]])] == [ids[1]]
    page = autoscaling.describe_instance_refreshes(AutoScalingGroupName="web", MaxRecords=2)
    assert [r["InstanceRefreshId"] for r in page["InstanceRefreshes"]] == [ids[2], ids[1]]
    rest = autoscaling.describe_instance_refreshes(AutoScalingGroupName="web", MaxRecords=2, NextToken=page["NextToken"])
    assert [r["InstanceRefreshId"] for r in rest["InstanceRefreshes"]] == [ids[0]]
    assert "NextToken" not in rest
    # Following NextToken to the end, as the Go SDK's DescribeInstanceRefreshesPaginator
    # in the provider does (botocore defines no paginator for this operation).
    paginated, token = [], None
    for _ in range(10):
        page = autoscaling.describe_instance_refreshes(
            AutoScalingGroupName="web", MaxRecords=1, **({"NextToken": token} if token else {})
        )
        paginated += [r["InstanceRefreshId"] for r in page["InstanceRefreshes"]]
        token = page.get("NextToken")
        if not token:
            break
    assert paginated == ids[::-1]


def test_deleting_the_group_forgets_its_refreshes(slow: Emulator) -> None:
    make_group(slow)
    autoscaling = slow.client("autoscaling")
    autoscaling.start_instance_refresh(AutoScalingGroupName="web")
    autoscaling.delete_auto_scaling_group(AutoScalingGroupName="web", ForceDelete=True)
    assert refreshes(slow, "web") == []


# ----------------------------------------------------------------------------- reset, debug


def test_reset_clears_the_extensions_state(slow: Emulator) -> None:
    make_group(slow)
    slow.client("autoscaling").start_instance_refresh(AutoScalingGroupName="web")
    assert len(slow.debug_refreshes()) == 1
    slow.reset()
    assert slow.debug_refreshes() == []
    # Same name again: no refresh carried over, and a new one may start at once.
    make_group(slow)
    assert refreshes(slow, "web") == []
    slow.client("autoscaling").start_instance_refresh(AutoScalingGroupName="web")
    assert len(refreshes(slow, "web")) == 1


def test_debug_endpoint_records_the_full_request(slow: Emulator) -> None:
    make_group(slow)
    slow.client("autoscaling").start_instance_refresh(
        AutoScalingGroupName="web",
        Strategy="Rolling",
        Preferences={"MinHealthyPercentage": 90, "MaxHealthyPercentage": 110, "InstanceWarmup": 30, "SkipMatching": False},
    )
    [recorded] = slow.debug_refreshes()
    assert recorded["Status"] == "Pending"
    assert recorded["Request"]["AutoScalingGroupName"] == "web"
    assert recorded["Request"]["Strategy"] == "Rolling"
    assert recorded["Request"]["Preferences"] == {
        "MinHealthyPercentage": 90,
        "MaxHealthyPercentage": 110,
        "InstanceWarmup": 30,
        "SkipMatching": False,
    }


# ----------------------------------------------------------------------------- moto fixes


def test_instances_report_the_version_they_were_launched_from(fast: Emulator) -> None:
    """moto launched group instances from the template's default version (1) even when
    the group pins another; they must run, and report, the group's version."""
    group = make_group(fast, capacity=2, version="2")
    instances = group_of(fast, "web")["Instances"]
    assert {i["LaunchTemplate"]["Version"] for i in instances} == {"2"}
    described = [
        i
        for r in fast.client("ec2").describe_instances(InstanceIds=[i["InstanceId"] for i in instances])["Reservations"]
        for i in r["Instances"]
    ]
    assert {i["ImageId"] for i in described} == {"ami-00000002"}
    assert {i["SubnetId"] for i in described} == set(group.subnets)
    # Scaling out later still launches the pinned version, not the newest or the default.
    fast.client("ec2").create_launch_template_version(
        LaunchTemplateId=group.template_id, LaunchTemplateData={"ImageId": "ami-00000009", "InstanceType": "t3.micro"}
    )
    fast.client("autoscaling").set_desired_capacity(AutoScalingGroupName="web", DesiredCapacity=3)
    assert {i["LaunchTemplate"]["Version"] for i in group_of(fast, "web")["Instances"]} == {"2"}


def test_metrics_collection_adds_and_removes(fast: Emulator) -> None:
    make_group(fast)
    autoscaling = fast.client("autoscaling")

    def enabled():
        return sorted(m["Metric"] for m in group_of(fast, "web").get("EnabledMetrics", []))

    autoscaling.enable_metrics_collection(AutoScalingGroupName="web", Metrics=["GroupMinSize"], Granularity="1Minute")
    autoscaling.enable_metrics_collection(AutoScalingGroupName="web", Metrics=["GroupMaxSize"], Granularity="1Minute")
    assert enabled() == ["GroupMaxSize", "GroupMinSize"]
    autoscaling.disable_metrics_collection(AutoScalingGroupName="web", Metrics=["GroupMinSize"])
    assert enabled() == ["GroupMaxSize"]
    autoscaling.disable_metrics_collection(AutoScalingGroupName="web")
    assert enabled() == []
    autoscaling.enable_metrics_collection(AutoScalingGroupName="web", Granularity="1Minute")
    assert "GroupInServiceInstances" in enabled() and len(enabled()) == 20


def test_default_instance_warmup_round_trips(fast: Emulator) -> None:
    make_group(fast, DefaultInstanceWarmup=45)
    assert group_of(fast, "web")["DefaultInstanceWarmup"] == 45
    autoscaling = fast.client("autoscaling")
    autoscaling.update_auto_scaling_group(AutoScalingGroupName="web", DefaultInstanceWarmup=90)
    assert group_of(fast, "web")["DefaultInstanceWarmup"] == 90
    autoscaling.update_auto_scaling_group(AutoScalingGroupName="web", MaxSize=5)
    assert group_of(fast, "web")["DefaultInstanceWarmup"] == 90
    autoscaling.update_auto_scaling_group(AutoScalingGroupName="web", DefaultInstanceWarmup=-1)
    assert "DefaultInstanceWarmup" not in group_of(fast, "web")


def test_scaling_policy_reports_enabled_and_no_empty_predictive_configuration(fast: Emulator) -> None:
    """The provider reads Enabled into `enabled` (AWS's default is true) and turns any
    PredictiveScalingConfiguration element, even an empty one, into a block."""
    make_group(fast)
    autoscaling = fast.client("autoscaling")
    autoscaling.put_scaling_policy(
        AutoScalingGroupName="web",
        PolicyName="cpu",
        PolicyType="TargetTrackingScaling",
        TargetTrackingConfiguration={"PredefinedMetricSpecification": {"PredefinedMetricType": "ASGAverageCPUUtilization"}, "TargetValue": 50.0},
    )
    autoscaling.put_scaling_policy(
        AutoScalingGroupName="web",
        PolicyName="off",
        PolicyType="TargetTrackingScaling",
        Enabled=False,
        TargetTrackingConfiguration={"PredefinedMetricSpecification": {"PredefinedMetricType": "ASGAverageCPUUtilization"}, "TargetValue": 70.0},
    )
    policies = {p["PolicyName"]: p for p in autoscaling.describe_policies(AutoScalingGroupName="web")["ScalingPolicies"]}
    assert policies["cpu"]["Enabled"] is True
    assert policies["off"]["Enabled"] is False
    assert "PredictiveScalingConfiguration" not in policies["cpu"]


def test_launch_template_tags_stay_on_the_template(fast: Emulator) -> None:
    """Tags for the template itself must not show up as a tag specification of its data."""
    ec2 = fast.client("ec2")
    template = ec2.create_launch_template(
        LaunchTemplateName="tagged",
        LaunchTemplateData={
            "ImageId": "ami-00000001",
            "TagSpecifications": [{"ResourceType": "instance", "Tags": [{"Key": "Name", "Value": "app"}]}],
        },
        TagSpecifications=[{"ResourceType": "launch-template", "Tags": [{"Key": "Project", "Value": "sample-app"}]}],
    )["LaunchTemplate"]
    assert template["Tags"] == [{"Key": "Project", "Value": "sample-app"}]
    [version] = ec2.describe_launch_template_versions(LaunchTemplateId=template["LaunchTemplateId"])["LaunchTemplateVersions"]
    assert version["LaunchTemplateData"]["TagSpecifications"] == [
        {"ResourceType": "instance", "Tags": [{"Key": "Name", "Value": "app"}]}
    ]
    untagged = ec2.create_launch_template(
        LaunchTemplateName="plain",
        LaunchTemplateData={"ImageId": "ami-00000001"},
        TagSpecifications=[{"ResourceType": "launch-template", "Tags": [{"Key": "Project", "Value": "sample-app"}]}],
    )["LaunchTemplate"]
    [version] = ec2.describe_launch_template_versions(LaunchTemplateId=untagged["LaunchTemplateId"])["LaunchTemplateVersions"]
    assert "TagSpecifications" not in version["LaunchTemplateData"]


def test_aws_managed_policies_can_be_attached(fast: Emulator) -> None:
    iam = fast.client("iam")
    iam.create_role(RoleName="app", AssumeRolePolicyDocument='{"Version":"2012-10-17","Statement":[]}')
    arn = "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore"
    iam.attach_role_policy(RoleName="app", PolicyArn=arn)
    assert [p["PolicyArn"] for p in iam.list_attached_role_policies(RoleName="app")["AttachedPolicies"]] == [arn]


def test_a_refresh_to_a_version_with_new_user_data_launches_it(fast: Emulator) -> None:
    """The provider's real sequence after a user data change: CreateLaunchTemplateVersion
    with new UserData, the group moved to it, a refresh. moto stored that UserData raw
    and failed an assertion when launching from it."""
    import base64

    group = make_group(fast, capacity=2, version="1", versions=1)
    ec2 = fast.client("ec2")
    user_data = base64.b64encode(b"#!/bin/sh\necho v2\n").decode()
    version = ec2.create_launch_template_version(
        LaunchTemplateId=group.template_id, LaunchTemplateData={"ImageId": "ami-00000002", "UserData": user_data}
    )["LaunchTemplateVersion"]["VersionNumber"]
    autoscaling = fast.client("autoscaling")
    autoscaling.update_auto_scaling_group(
        AutoScalingGroupName="web", LaunchTemplate={"LaunchTemplateId": group.template_id, "Version": str(version)}
    )
    autoscaling.start_instance_refresh(AutoScalingGroupName="web")
    final = wait_for(lambda: latest_refresh(fast, "web"), lambda r: r["Status"] not in ("Pending", "InProgress"))
    assert final["Status"] == "Successful", final.get("StatusReason")
    instances = group_of(fast, "web")["Instances"]
    assert {i["LaunchTemplate"]["Version"] for i in instances} == {str(version)}
    attribute = ec2.describe_instance_attribute(InstanceId=instances[0]["InstanceId"], Attribute="userData")
    assert attribute["UserData"]["Value"] == user_data
    with pytest.raises(ClientError) as excinfo:
        ec2.create_launch_template_version(LaunchTemplateId=group.template_id, LaunchTemplateData={"UserData": "not base64!"})
    assert "UserData" in error_code(excinfo)
    versions = ec2.describe_launch_template_versions(LaunchTemplateId=group.template_id)["LaunchTemplateVersions"]
    assert len(versions) == 2


def test_a_replacement_that_cannot_launch_fails_the_refresh(fast: Emulator) -> None:
    """The desired launch template deleted after the refresh started: AWS fails the
    refresh with a reason; the emulator must too, not fail unrelated requests."""
    make_group(fast, capacity=2, version="1")
    ec2 = fast.client("ec2")
    other = ec2.create_launch_template(LaunchTemplateName="next", LaunchTemplateData={"ImageId": "ami-00000003"})
    autoscaling = fast.client("autoscaling")
    autoscaling.start_instance_refresh(
        AutoScalingGroupName="web",
        DesiredConfiguration={"LaunchTemplate": {"LaunchTemplateName": "next", "Version": "1"}},
    )
    ec2.delete_launch_template(LaunchTemplateId=other["LaunchTemplate"]["LaunchTemplateId"])
    final = wait_for(lambda: latest_refresh(fast, "web"), lambda r: r["Status"] not in ("Pending", "InProgress"))
    assert final["Status"] == "Failed"
    assert final["StatusReason"].startswith("Failed to launch replacement instances")
    assert "EndTime" in final
    # The group's other APIs keep working.
    assert len(group_of(fast, "web")["Instances"]) == 2


def test_deletion_protection_stops_deleting_a_load_balancer(fast: Emulator) -> None:
    group = make_group(fast)
    ec2 = fast.client("ec2")
    elbv2 = fast.client("elbv2")
    subnets = [s["SubnetId"] for s in ec2.describe_subnets(SubnetIds=group.subnets)["Subnets"]]
    arn = elbv2.create_load_balancer(Name="alb", Subnets=subnets, Type="application")["LoadBalancers"][0]["LoadBalancerArn"]
    elbv2.modify_load_balancer_attributes(
        LoadBalancerArn=arn, Attributes=[{"Key": "deletion_protection.enabled", "Value": "true"}]
    )
    with pytest.raises(ClientError) as excinfo:
        elbv2.delete_load_balancer(LoadBalancerArn=arn)
    assert error_code(excinfo) == "OperationNotPermitted"
    assert "deletion protection is enabled" in excinfo.value.response["Error"]["Message"]
    assert len(elbv2.describe_load_balancers(LoadBalancerArns=[arn])["LoadBalancers"]) == 1
    elbv2.modify_load_balancer_attributes(
        LoadBalancerArn=arn, Attributes=[{"Key": "deletion_protection.enabled", "Value": "false"}]
    )
    elbv2.delete_load_balancer(LoadBalancerArn=arn)
    assert elbv2.describe_load_balancers()["LoadBalancers"] == []


# ----------------------------------------------------------------------------- launcher


def test_launcher_refuses_to_listen_beyond_loopback() -> None:
    """No authentication: binding 0.0.0.0 would expose the emulator to the network."""
    import subprocess
    import sys

    from conftest import SERVER

    result = subprocess.run([sys.executable, SERVER, "--host", "0.0.0.0", "--port", "0"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert "loopback" in result.stderr
    assert result.stdout == ""


def test_health_endpoint_names_the_moto_version(fast: Emulator) -> None:
    import json
    import urllib.request
    from importlib.metadata import version

    with urllib.request.urlopen(f"{fast.endpoint}/_sample_app/health", timeout=30) as response:
        assert json.load(response) == {"status": "ok", "moto": version("moto")}


def test_security_group_rule_referencing_a_group_keeps_its_description(fast: Emulator) -> None:
    """aws_vpc_security_group_ingress_rule reads Description back through
    DescribeSecurityGroupRules; moto lost it for rules that reference a group."""
    ec2 = fast.client("ec2")
    vpc_id = ec2.create_vpc(CidrBlock="10.5.0.0/16")["Vpc"]["VpcId"]
    alb = ec2.create_security_group(GroupName="alb", Description="alb", VpcId=vpc_id)["GroupId"]
    instances = ec2.create_security_group(GroupName="instances", Description="instances", VpcId=vpc_id)["GroupId"]
    created = ec2.authorize_security_group_ingress(
        GroupId=instances,
        IpPermissions=[
            {
                "IpProtocol": "tcp",
                "FromPort": 8080,
                "ToPort": 8080,
                "UserIdGroupPairs": [{"GroupId": alb, "Description": "app port from the ALB"}],
            }
        ],
    )["SecurityGroupRules"]
    rule_id = created[0]["SecurityGroupRuleId"]
    [rule] = ec2.describe_security_group_rules(SecurityGroupRuleIds=[rule_id])["SecurityGroupRules"]
    assert rule["Description"] == "app port from the ALB"
    assert rule["ReferencedGroupInfo"]["GroupId"] == alb


def test_load_balancer_without_scheme_is_internet_facing(fast: Emulator) -> None:
    """AWS defaults Scheme to internet-facing; the provider omits it for internal = false."""
    ec2 = fast.client("ec2")
    vpc_id = ec2.create_vpc(CidrBlock="10.6.0.0/16")["Vpc"]["VpcId"]
    subnets = [
        ec2.create_subnet(VpcId=vpc_id, CidrBlock=cidr, AvailabilityZone=az)["Subnet"]["SubnetId"]
        for cidr, az in (("10.6.0.0/24", "us-east-1a"), ("10.6.1.0/24", "us-east-1b"))
    ]
    elbv2 = fast.client("elbv2")
    elbv2.create_load_balancer(Name="public", Subnets=subnets, Type="application")
    [balancer] = elbv2.describe_load_balancers(Names=["public"])["LoadBalancers"]
    assert balancer["Scheme"] == "internet-facing"
