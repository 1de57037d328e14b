"""Fixtures: the emulator launcher (../server.py) started as a subprocess on a free
loopback port, exactly as the Node harness starts it, and boto3 clients pointed at it.

Two emulators run per session: a fast one (refreshes finish in about a second) for end
states, and a slow one (a refresh stays Pending for minutes) for what must be observed
while a refresh is active, so no test depends on winning a race against the clock.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from typing import Any, Callable, Iterator

import boto3
import pytest

SERVER = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "server.py")
REGION = "us-east-1"


@dataclass
class Emulator:
    endpoint: str
    process: subprocess.Popen[str]

    def client(self, service: str) -> Any:
        return boto3.client(
            service,
            endpoint_url=self.endpoint,
            region_name=REGION,
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
        )

    def reset(self) -> None:
        request = urllib.request.Request(f"{self.endpoint}/moto-api/reset", method="POST")
        with urllib.request.urlopen(request, timeout=30) as response:
            assert response.status == 200

    def debug_refreshes(self) -> list[dict[str, Any]]:
        with urllib.request.urlopen(f"{self.endpoint}/_sample_app/instance-refreshes", timeout=30) as response:
            return json.load(response)["instanceRefreshes"]


def start_emulator(*extra_args: str) -> Emulator:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    process = subprocess.Popen(
        [sys.executable, SERVER, "--host", "127.0.0.1", "--port", "0", *extra_args],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=env,
    )
    assert process.stdout is not None
    deadline = time.monotonic() + 60
    # The launcher's contract: one JSON line {"event": "listening", "port": N} on stdout.
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            raise RuntimeError(f"the emulator exited with {process.wait()} before listening")
        try:
            event = json.loads(line)
        except ValueError:
            continue
        if event.get("event") == "listening":
            assert event["host"] == "127.0.0.1"
            assert isinstance(event["port"], int) and event["port"] > 0
            return Emulator(endpoint=f"http://127.0.0.1:{event['port']}", process=process)
    process.kill()
    raise RuntimeError("the emulator did not report listening within 60 s")


def stop_emulator(emulator: Emulator) -> None:
    emulator.process.terminate()
    try:
        emulator.process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        emulator.process.kill()
        emulator.process.wait()


@pytest.fixture(scope="session")
def fast_emulator() -> Iterator[Emulator]:
    emulator = start_emulator("--refresh-pending-seconds", "0.2", "--refresh-step-seconds", "0.3")
    yield emulator
    stop_emulator(emulator)


@pytest.fixture(scope="session")
def slow_emulator() -> Iterator[Emulator]:
    emulator = start_emulator("--refresh-pending-seconds", "600", "--refresh-step-seconds", "600")
    yield emulator
    stop_emulator(emulator)


@pytest.fixture
def fast(fast_emulator: Emulator) -> Emulator:
    fast_emulator.reset()
    return fast_emulator


@pytest.fixture
def slow(slow_emulator: Emulator) -> Emulator:
    slow_emulator.reset()
    return slow_emulator


@dataclass
class Group:
    name: str
    template_id: str
    template_name: str
    subnets: list[str]
    target_group_arn: str


def make_group(
    emulator: Emulator,
    name: str = "web",
    capacity: int = 2,
    version: str = "1",
    versions: int = 2,
    **group_args: Any,
) -> Group:
    """A VPC with two subnets in two AZs, a target group, a launch template with
    `versions` versions (image ami-v<N>, default version 1) and a group on `version`."""
    ec2 = emulator.client("ec2")
    elbv2 = emulator.client("elbv2")
    autoscaling = emulator.client("autoscaling")
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    subnets = [
        ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.0.{i}.0/24", AvailabilityZone=f"{REGION}{az}")["Subnet"]["SubnetId"]
        for i, az in ((1, "a"), (2, "b"))
    ]
    target_group = elbv2.create_target_group(Name=f"{name}-tg", Protocol="HTTP", Port=3000, VpcId=vpc, TargetType="instance")
    template = ec2.create_launch_template(
        LaunchTemplateName=f"{name}-lt",
        LaunchTemplateData={"ImageId": "ami-00000001", "InstanceType": "t3.micro"},
    )["LaunchTemplate"]
    for n in range(2, versions + 1):
        ec2.create_launch_template_version(
            LaunchTemplateId=template["LaunchTemplateId"],
            LaunchTemplateData={"ImageId": f"ami-{n:08d}", "InstanceType": "t3.micro"},
        )
    autoscaling.create_auto_scaling_group(
        AutoScalingGroupName=name,
        MinSize=capacity,
        MaxSize=capacity * 2,
        DesiredCapacity=capacity,
        VPCZoneIdentifier=",".join(subnets),
        LaunchTemplate={"LaunchTemplateId": template["LaunchTemplateId"], "Version": version},
        TargetGroupARNs=[target_group["TargetGroups"][0]["TargetGroupArn"]],
        **group_args,
    )
    return Group(
        name=name,
        template_id=template["LaunchTemplateId"],
        template_name=template["LaunchTemplateName"],
        subnets=subnets,
        target_group_arn=target_group["TargetGroups"][0]["TargetGroupArn"],
    )


def wait_for(fn: Callable[[], Any], predicate: Callable[[Any], bool], timeout: float = 20, interval: float = 0.1) -> Any:
    """Polls fn() until predicate(value); bounded, fails with the last value seen."""
    deadline = time.monotonic() + timeout
    value = fn()
    while not predicate(value):
        if time.monotonic() > deadline:
            raise AssertionError(f"condition not met within {timeout} s; last value: {value!r}")
        time.sleep(interval)
        value = fn()
    return value
