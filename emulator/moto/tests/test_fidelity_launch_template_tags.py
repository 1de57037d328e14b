"""Fidelity fix: DescribeLaunchTemplates shows tags added after creation (CreateTags)."""

from __future__ import annotations

from conftest import Emulator


def test_tags_added_to_an_existing_launch_template_are_described(fast: Emulator) -> None:
    """AWS answers a template's current tags; the provider tags an existing template with
    CreateTags and reads them back from DescribeLaunchTemplates."""
    ec2 = fast.client("ec2")
    template = ec2.create_launch_template(
        LaunchTemplateName="tagged-later",
        LaunchTemplateData={"ImageId": "ami-0a0000000000000a1"},
        TagSpecifications=[{"ResourceType": "launch-template", "Tags": [{"Key": "Created", "Value": "yes"}]}],
    )["LaunchTemplate"]
    ec2.create_tags(Resources=[template["LaunchTemplateId"]], Tags=[{"Key": "Name", "Value": "adopted"}])
    described = ec2.describe_launch_templates(LaunchTemplateIds=[template["LaunchTemplateId"]])["LaunchTemplates"][0]
    assert {tag["Key"]: tag["Value"] for tag in described["Tags"]} == {"Created": "yes", "Name": "adopted"}
