"""Alarms, checkpoints and rollbacks of the instance refresh extension, through boto3.

What AWS documents (Amazon EC2 Auto Scaling user guide, "Undo changes with a manual or
auto rollback"; API reference RollbackInstanceRefresh, RefreshPreferences):

* a refresh fails when one of the alarms of its AlarmSpecification goes to ALARM, and
  with AutoRollback it then rolls back;
* a rollback replaces the instances deployed so far with instances of "the configuration
  that you last saved on the Auto Scaling group before starting the instance refresh";
* RollbackInstanceRefresh does that on request, for a refresh that is in progress, and
  refuses a refresh without a desired configuration (IrreversibleInstanceRefresh);
* the refresh pauses CheckpointDelay seconds (default 3600) at each CheckpointPercentages
  value short of the end.
"""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError
from conftest import Emulator, make_group, wait_for

ENDED = ("Successful", "Failed", "Cancelled", "RollbackSuccessful", "RollbackFailed")


def latest_refresh(emulator: Emulator, group: str = "web") -> dict[str, Any]:
    return emulator.client("autoscaling").describe_instance_refreshes(AutoScalingGroupName=group)["InstanceRefreshes"][0]


def group_of(emulator: Emulator, name: str = "web") -> dict[str, Any]:
    return emulator.client("autoscaling").describe_auto_scaling_groups(AutoScalingGroupNames=[name])["AutoScalingGroups"][0]


def versions_running(emulator: Emulator, name: str = "web") -> set[str]:
    return {i["LaunchTemplate"]["Version"] for i in group_of(emulator, name)["Instances"]}


def error_code(excinfo: pytest.ExceptionInfo[ClientError]) -> str:
    return excinfo.value.response["Error"]["Code"]


def put_alarm(emulator: Emulator, name: str) -> None:
    emulator.client("cloudwatch").put_metric_alarm(
        AlarmName=name,
        Namespace="AWS/ApplicationELB",
        MetricName="HTTPCode_Target_5XX_Count",
        Statistic="Sum",
        Period=60,
        EvaluationPeriods=1,
        Threshold=10,
        ComparisonOperator="GreaterThanOrEqualToThreshold",
    )


def set_alarm(emulator: Emulator, name: str, state: str) -> None:
    emulator.client("cloudwatch").set_alarm_state(AlarmName=name, StateValue=state, StateReason="test")


def start(emulator: Emulator, template_id: str, version: str = "2", **preferences: Any) -> str:
    prefs = {"MinHealthyPercentage": 100, "MaxHealthyPercentage": 200, "AutoRollback": True, **preferences}
    return emulator.client("autoscaling").start_instance_refresh(
        AutoScalingGroupName="web",
        Strategy="Rolling",
        DesiredConfiguration={"LaunchTemplate": {"LaunchTemplateId": template_id, "Version": version}},
        Preferences=prefs,
    )["InstanceRefreshId"]


def at_checkpoint(refresh: dict[str, Any]) -> bool:
    return refresh["Status"] == "InProgress" and refresh.get("StatusReason", "").startswith("Checkpoint")


# ----------------------------------------------------------------------------- alarms


def test_an_alarm_in_alarm_rolls_the_group_back_to_the_version_it_had(fast: Emulator) -> None:
    """The refresh as AWS intends it: the group still names version 1, the refresh
    deploys version 2 (DesiredConfiguration). Half-way (a checkpoint), the 5xx alarm
    fires: the refresh rolls back and the group ends on version 1, every instance too."""
    group = make_group(fast, capacity=4, version="1")
    put_alarm(fast, "web-5xx")
    put_alarm(fast, "web-unhealthy")
    refresh_id = start(
        fast, group.template_id, CheckpointPercentages=[50, 100], CheckpointDelay=600,
        AlarmSpecification={"Alarms": ["web-5xx", "web-unhealthy"]},
    )
    paused = wait_for(lambda: latest_refresh(fast), at_checkpoint)
    assert paused["PercentageComplete"] == 50 and paused["InstancesToUpdate"] == 2
    assert paused["StatusReason"] == "Checkpoint 50% reached: waiting 600 seconds (CheckpointDelay) before continuing."
    assert sorted(versions_running(fast)) == ["1", "2"]

    set_alarm(fast, "web-5xx", "ALARM")
    final = wait_for(lambda: latest_refresh(fast), lambda r: r["Status"] in ENDED)
    assert final["InstanceRefreshId"] == refresh_id
    assert final["Status"] == "RollbackSuccessful"
    assert "web-5xx" in final["StatusReason"] and "ALARM" in final["StatusReason"]
    details = final["RollbackDetails"]
    assert details["RollbackReason"].startswith("Automatic rollback") and "web-5xx" in details["RollbackReason"]
    assert details["PercentageCompleteOnRollback"] == 50 and details["InstancesToUpdateOnRollback"] == 2
    assert details["RollbackStartTime"] >= final["StartTime"] and final["EndTime"] >= details["RollbackStartTime"]
    # The rollback's own progress: everything it had to replace is replaced.
    assert final["PercentageComplete"] == 100 and final["InstancesToUpdate"] == 0
    assert group_of(fast)["LaunchTemplate"]["Version"] == "1"
    assert versions_running(fast) == {"1"} and len(group_of(fast)["Instances"]) == 4
    debug = [r for r in fast.debug_refreshes() if r["InstanceRefreshId"] == refresh_id][0]
    assert debug["RollbackConfiguration"] == {"LaunchTemplate": {"LaunchTemplateId": group.template_id, "Version": "1"}}
    assert len(debug["RolledBack"]) == 2


def test_the_providers_flow_rolls_back_to_the_version_it_already_set(fast: Emulator) -> None:
    """terraform-provider-aws (issue #34189) first updates the group to the new version,
    then starts the refresh with that version as DesiredConfiguration. The configuration
    saved on the group when the refresh starts is then the new version, so AWS's rollback
    "restores" the new version: the group stays on version 2, the instance the refresh had
    replaced is replaced again by one of version 2, and the ones it had not reached still
    run version 1 (until anything launches new ones: they will be version 2)."""
    group = make_group(fast, capacity=2, version="1")
    put_alarm(fast, "web-5xx")
    autoscaling = fast.client("autoscaling")
    autoscaling.update_auto_scaling_group(AutoScalingGroupName="web", LaunchTemplate={"LaunchTemplateId": group.template_id, "Version": "2"})
    start(fast, group.template_id, CheckpointPercentages=[50, 100], CheckpointDelay=600, AlarmSpecification={"Alarms": ["web-5xx"]})
    wait_for(lambda: latest_refresh(fast), at_checkpoint)
    set_alarm(fast, "web-5xx", "ALARM")
    final = wait_for(lambda: latest_refresh(fast), lambda r: r["Status"] in ENDED)
    assert final["Status"] == "RollbackSuccessful"
    assert group_of(fast)["LaunchTemplate"]["Version"] == "2"
    assert sorted(versions_running(fast)) == ["1", "2"]
    rolled_back = [r for r in fast.debug_refreshes()][0]["RolledBack"]
    relaunched = {i["InstanceId"]: i["LaunchTemplate"]["Version"] for i in group_of(fast)["Instances"]}
    assert len(rolled_back) == 1 and relaunched[rolled_back[0]["new"]] == "2"


def test_an_alarm_without_auto_rollback_fails_the_refresh_and_keeps_what_was_replaced(fast: Emulator) -> None:
    group = make_group(fast, capacity=2, version="1")
    put_alarm(fast, "web-5xx")
    start(fast, group.template_id, AutoRollback=False, CheckpointPercentages=[50, 100], CheckpointDelay=600,
          AlarmSpecification={"Alarms": ["web-5xx"]})
    wait_for(lambda: latest_refresh(fast), at_checkpoint)
    set_alarm(fast, "web-5xx", "ALARM")
    final = wait_for(lambda: latest_refresh(fast), lambda r: r["Status"] in ENDED)
    assert final["Status"] == "Failed"
    assert final["StatusReason"] == "Instance refresh failed: alarm web-5xx is in ALARM state."
    assert "RollbackDetails" not in final
    assert sorted(versions_running(fast)) == ["1", "2"]
    assert group_of(fast)["LaunchTemplate"]["Version"] == "1"


def test_an_alarm_already_in_alarm_stops_the_refresh_before_it_replaces_anything(slow: Emulator) -> None:
    group = make_group(slow, capacity=2, version="1")
    put_alarm(slow, "web-5xx")
    set_alarm(slow, "web-5xx", "ALARM")
    before = {i["InstanceId"] for i in group_of(slow)["Instances"]}
    start(slow, group.template_id, AlarmSpecification={"Alarms": ["web-5xx"]})
    final = latest_refresh(slow)
    assert final["Status"] == "RollbackSuccessful"
    assert final["RollbackDetails"]["PercentageCompleteOnRollback"] == 0
    assert {i["InstanceId"] for i in group_of(slow)["Instances"]} == before


def test_alarms_that_are_not_watched_or_back_to_ok_do_not_stop_a_refresh(fast: Emulator) -> None:
    group = make_group(fast, capacity=2, version="1")
    put_alarm(fast, "web-5xx")
    put_alarm(fast, "someone-elses")
    set_alarm(fast, "someone-elses", "ALARM")
    set_alarm(fast, "web-5xx", "ALARM")
    set_alarm(fast, "web-5xx", "OK")
    start(fast, group.template_id, AlarmSpecification={"Alarms": ["web-5xx", "not-created-yet"]})
    final = wait_for(lambda: latest_refresh(fast), lambda r: r["Status"] in ENDED)
    assert final["Status"] == "Successful"
    assert final["Preferences"]["AlarmSpecification"] == {"Alarms": ["web-5xx", "not-created-yet"]}
    assert versions_running(fast) == {"2"} and group_of(fast)["LaunchTemplate"]["Version"] == "2"


# ----------------------------------------------------------------------------- checkpoints


def test_checkpoints_pause_then_continue_after_the_delay(fast: Emulator) -> None:
    group = make_group(fast, capacity=4, version="1")
    start(fast, group.template_id, CheckpointPercentages=[25, 100], CheckpointDelay=2)
    seen = []
    final = wait_for(lambda: latest_refresh(fast), lambda r: seen.append(r) or r["Status"] in ENDED, timeout=30)
    assert final["Status"] == "Successful" and versions_running(fast) == {"2"}
    paused = [r for r in seen if at_checkpoint(r)]
    assert paused and {(r["PercentageComplete"], r["InstancesToUpdate"]) for r in paused} == {(25, 3)}
    assert final["Preferences"]["CheckpointPercentages"] == [25, 100] and final["Preferences"]["CheckpointDelay"] == 2
    # The pause really lasted the delay.
    assert (final["EndTime"] - final["StartTime"]).total_seconds() >= 2


def test_checkpoint_delay_defaults_to_an_hour(slow: Emulator) -> None:
    group = make_group(slow)
    start(slow, group.template_id, CheckpointPercentages=[50, 100])
    assert latest_refresh(slow)["Preferences"]["CheckpointDelay"] == 3600


@pytest.mark.parametrize(
    ("preferences", "message"),
    [
        ({"CheckpointDelay": 60}, "CheckpointDelay can only be specified together with CheckpointPercentages"),
        ({"CheckpointPercentages": [50, 20, 100]}, "ascending order"),
        ({"CheckpointPercentages": [50, 50, 100]}, "ascending order"),
        ({"CheckpointPercentages": [100], "CheckpointDelay": 172801}, "CheckpointDelay must be between 0 and 172800"),
        ({"AlarmSpecification": {"Alarms": [f"a{i}" for i in range(11)]}}, "less than or equal to 10"),
    ],
)
def test_invalid_checkpoints_and_alarms_are_validation_errors(fast: Emulator, preferences, message) -> None:
    group = make_group(fast)
    with pytest.raises(ClientError) as excinfo:
        start(fast, group.template_id, **preferences)
    assert error_code(excinfo) == "ValidationError"
    assert message in excinfo.value.response["Error"]["Message"]


# ----------------------------------------------------------------------------- RollbackInstanceRefresh


def test_rollback_instance_refresh_restores_the_previous_configuration(fast: Emulator) -> None:
    group = make_group(fast, capacity=2, version="1")
    autoscaling = fast.client("autoscaling")
    refresh_id = start(fast, group.template_id, CheckpointPercentages=[50, 100], CheckpointDelay=600)
    wait_for(lambda: latest_refresh(fast), at_checkpoint)
    assert autoscaling.rollback_instance_refresh(AutoScalingGroupName="web")["InstanceRefreshId"] == refresh_id
    during = latest_refresh(fast)
    assert during["Status"] in ("RollbackInProgress", "RollbackSuccessful")
    assert during["RollbackDetails"]["RollbackReason"] == "Manual rollback: RollbackInstanceRefresh"
    # A rollback can be neither cancelled nor rolled back, and blocks a new refresh.
    if during["Status"] == "RollbackInProgress":
        with pytest.raises(ClientError) as excinfo:
            autoscaling.start_instance_refresh(AutoScalingGroupName="web")
        assert error_code(excinfo) == "InstanceRefreshInProgress"
    final = wait_for(lambda: latest_refresh(fast), lambda r: r["Status"] in ENDED)
    assert final["Status"] == "RollbackSuccessful"
    assert versions_running(fast) == {"1"} and group_of(fast)["LaunchTemplate"]["Version"] == "1"
    with pytest.raises(ClientError) as excinfo:
        autoscaling.rollback_instance_refresh(AutoScalingGroupName="web")
    assert error_code(excinfo) == "ActiveInstanceRefreshNotFound"
    with pytest.raises(ClientError) as excinfo:
        autoscaling.cancel_instance_refresh(AutoScalingGroupName="web")
    assert error_code(excinfo) == "ActiveInstanceRefreshNotFound"


def test_rollback_without_a_refresh_or_a_desired_configuration_is_refused(slow: Emulator) -> None:
    make_group(slow)
    autoscaling = slow.client("autoscaling")
    with pytest.raises(ClientError) as excinfo:
        autoscaling.rollback_instance_refresh(AutoScalingGroupName="web")
    assert error_code(excinfo) == "ActiveInstanceRefreshNotFound"
    autoscaling.start_instance_refresh(AutoScalingGroupName="web")
    with pytest.raises(ClientError) as excinfo:
        autoscaling.rollback_instance_refresh(AutoScalingGroupName="web")
    assert error_code(excinfo) == "IrreversibleInstanceRefresh"
    assert excinfo.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert latest_refresh(slow)["Status"] == "Pending"
    with pytest.raises(ClientError) as excinfo:
        autoscaling.rollback_instance_refresh(AutoScalingGroupName="nope")
    assert error_code(excinfo) == "ValidationError"


def test_a_replacement_that_cannot_launch_rolls_back_with_auto_rollback(fast: Emulator) -> None:
    make_group(fast, capacity=2, version="1")
    ec2 = fast.client("ec2")
    other = ec2.create_launch_template(LaunchTemplateName="next", LaunchTemplateData={"ImageId": "ami-00000003"})
    start(fast, other["LaunchTemplate"]["LaunchTemplateId"], version="1")
    ec2.delete_launch_template(LaunchTemplateId=other["LaunchTemplate"]["LaunchTemplateId"])
    final = wait_for(lambda: latest_refresh(fast), lambda r: r["Status"] in ENDED)
    assert final["Status"] == "RollbackSuccessful"
    assert final["StatusReason"].startswith("Failed to launch replacement instances")
    assert versions_running(fast) == {"1"} and len(group_of(fast)["Instances"]) == 2
