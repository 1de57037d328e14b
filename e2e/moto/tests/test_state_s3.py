"""What OpenTofu's S3 backend and the state bootstrap need from the emulator's S3.

OpenTofu's lock file (`use_lockfile`) is a PutObject of `<key>.tflock` with
`If-None-Match: *`: S3 answers 412 PreconditionFailed when the object exists, and that
answer is the lock. moto 5.2.5 does this itself; these tests pin it.
"""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError
from conftest import Emulator


def test_conditional_put_of_an_existing_lock_file_fails_with_412(fast: Emulator) -> None:
    s3 = fast.client("s3")
    s3.create_bucket(Bucket="state-lock-test")
    s3.put_object(Bucket="state-lock-test", Key="app/x.tfstate.tflock", Body=b'{"ID":"first"}', IfNoneMatch="*")
    with pytest.raises(ClientError) as excinfo:
        s3.put_object(Bucket="state-lock-test", Key="app/x.tfstate.tflock", Body=b'{"ID":"second"}', IfNoneMatch="*")
    assert excinfo.value.response["ResponseMetadata"]["HTTPStatusCode"] == 412
    assert excinfo.value.response["Error"]["Code"] == "PreconditionFailed"
    # The holder's lock is untouched, and once it is deleted the next writer gets it.
    assert s3.get_object(Bucket="state-lock-test", Key="app/x.tfstate.tflock")["Body"].read() == b'{"ID":"first"}'
    s3.delete_object(Bucket="state-lock-test", Key="app/x.tfstate.tflock")
    s3.put_object(Bucket="state-lock-test", Key="app/x.tfstate.tflock", Body=b'{"ID":"second"}', IfNoneMatch="*")


def test_create_bucket_keeps_the_tags_of_its_configuration(fast: Emulator) -> None:
    s3 = fast.client("s3")
    s3.create_bucket(
        Bucket="state-tags-test",
        CreateBucketConfiguration={"Tags": [{"Key": "Project", "Value": "sample-app"}, {"Key": "ManagedBy", "Value": "cdktf"}]},
    )
    tags = {tag["Key"]: tag["Value"] for tag in s3.get_bucket_tagging(Bucket="state-tags-test")["TagSet"]}
    assert tags == {"Project": "sample-app", "ManagedBy": "cdktf"}


def test_create_bucket_without_tags_has_none(fast: Emulator) -> None:
    s3 = fast.client("s3")
    s3.create_bucket(Bucket="state-notags-test")
    with pytest.raises(ClientError) as excinfo:
        s3.get_bucket_tagging(Bucket="state-notags-test")
    assert excinfo.value.response["Error"]["Code"] == "NoSuchTagSet"


def _subnets(emulator: Emulator) -> tuple[list[str], str]:
    ec2 = emulator.client("ec2")
    vpc = ec2.create_vpc(CidrBlock="10.77.0.0/16")["Vpc"]["VpcId"]
    subnets = [
        ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.77.{index}.0/24", AvailabilityZone=f"us-east-1{zone}")["Subnet"]["SubnetId"]
        for index, zone in enumerate("ab")
    ]
    group = ec2.create_security_group(GroupName="alb-idempotency", Description="test", VpcId=vpc)["GroupId"]
    return subnets, group


def test_create_load_balancer_with_the_same_name_and_settings_answers_the_existing_one(fast: Emulator) -> None:
    """AWS: CreateLoadBalancer is idempotent. An apply killed while the provider waited for
    a new load balancer leaves it behind; the next apply's CreateLoadBalancer adopts it."""
    subnets, group = _subnets(fast)
    elbv2 = fast.client("elbv2")
    first = elbv2.create_load_balancer(Name="idempotent-alb", Subnets=subnets, SecurityGroups=[group])["LoadBalancers"][0]
    again = elbv2.create_load_balancer(Name="idempotent-alb", Subnets=subnets, SecurityGroups=[group])["LoadBalancers"][0]
    assert again["LoadBalancerArn"] == first["LoadBalancerArn"]
    assert [lb["LoadBalancerName"] for lb in elbv2.describe_load_balancers()["LoadBalancers"]] == ["idempotent-alb"]


def test_create_load_balancer_with_the_same_name_and_other_settings_is_a_duplicate(fast: Emulator) -> None:
    subnets, group = _subnets(fast)
    elbv2 = fast.client("elbv2")
    elbv2.create_load_balancer(Name="duplicate-alb", Subnets=subnets, SecurityGroups=[group])
    with pytest.raises(ClientError) as excinfo:
        elbv2.create_load_balancer(Name="duplicate-alb", Subnets=subnets, SecurityGroups=[group], Scheme="internal")
    assert excinfo.value.response["Error"]["Code"] == "DuplicateLoadBalancerName"
