"""Fidelity fix: CreateLaunchTemplate is idempotent on its ClientToken, as in AWS."""

from __future__ import annotations

import botocore.exceptions
import pytest

from conftest import Emulator


def test_a_retried_create_answers_the_template_it_created(fast: Emulator) -> None:
    """The provider sends a ClientToken; its SDK retries a create whose answer was slow. AWS
    answers the retry with the template the first request created, not AlreadyExists."""
    ec2 = fast.client("ec2")
    request = {
        "LaunchTemplateName": "retried-create",
        "LaunchTemplateData": {"ImageId": "ami-0a0000000000000a1"},
        "ClientToken": "terraform-20261123101007264500000009",
    }
    first = ec2.create_launch_template(**request)["LaunchTemplate"]
    retried = ec2.create_launch_template(**request)["LaunchTemplate"]
    assert retried["LaunchTemplateId"] == first["LaunchTemplateId"]
    assert len(ec2.describe_launch_templates(LaunchTemplateNames=["retried-create"])["LaunchTemplates"]) == 1


def test_without_a_token_or_with_a_new_one_the_name_is_still_taken(fast: Emulator) -> None:
    ec2 = fast.client("ec2")
    data = {"ImageId": "ami-0a0000000000000a1"}
    ec2.create_launch_template(LaunchTemplateName="taken", LaunchTemplateData=data, ClientToken="token-one")
    for extra in ({}, {"ClientToken": "token-two"}):
        with pytest.raises(botocore.exceptions.ClientError) as error:
            ec2.create_launch_template(LaunchTemplateName="taken", LaunchTemplateData=data, **extra)
        assert error.value.response["Error"]["Code"] == "InvalidLaunchTemplateName.AlreadyExistsException"


def test_the_same_token_for_another_name_is_a_parameter_mismatch(fast: Emulator) -> None:
    ec2 = fast.client("ec2")
    data = {"ImageId": "ami-0a0000000000000a1"}
    ec2.create_launch_template(LaunchTemplateName="first-name", LaunchTemplateData=data, ClientToken="shared-token")
    with pytest.raises(botocore.exceptions.ClientError) as error:
        ec2.create_launch_template(LaunchTemplateName="second-name", LaunchTemplateData=data, ClientToken="shared-token")
    assert error.value.response["Error"]["Code"] == "IdempotentParameterMismatch"
