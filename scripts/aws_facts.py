"""Writes modules/core/aws-facts.json: the AWS facts the configuration is checked against.

Run by scripts/refresh-aws-facts.sh with the toolchain's moto venv (moto and botocore at
the versions pinned in emulator/moto/requirements.txt). Everything under "regions" and
"instanceTypes" and the IAM name limits come from that data; the name rules AWS documents
but no API model states are written here once, each with its source.
"""

import gzip
import importlib.metadata
import importlib.util
import json
import pathlib
import sys


def package_dir(name):
    """The installed package's directory, without importing it (moto's import pulls in everything)."""
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        sys.exit(f"aws_facts.py: Python package {name} is not installed in {sys.prefix}")
    return pathlib.Path(list(spec.submodule_search_locations)[0])


BOTOCORE = package_dir("botocore") / "data"
MOTO_EC2 = package_dir("moto") / "ec2" / "resources"
VERSIONS = {name: importlib.metadata.version(name) for name in ("moto", "botocore")}


def load(path):
    path = pathlib.Path(path)
    if path.suffix == ".gz":
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            return json.load(handle)
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)


def service_model(service):
    [path] = sorted((BOTOCORE / service).glob("*/service-2.json*"))[-1:]
    return load(path)


def regions():
    """Every region of every partition (botocore), with its zones where moto knows them."""
    offerings = MOTO_EC2 / "instance_type_offerings" / "availability-zone"
    result = {}
    for partition in load(BOTOCORE / "endpoints.json")["partitions"]:
        for name, region in sorted(partition["regions"].items()):
            zones_file = offerings / f"{name}.json.gz"
            zones = sorted({offer["Location"] for offer in load(zones_file)}) if zones_file.exists() else None
            result[name] = {
                "partition": partition["partition"],
                "description": region.get("description", ""),
                "availabilityZones": zones,
            }
    return result


def instance_types():
    """Instance type names by the CPU architectures they run (moto's EC2 data)."""
    by_arch = {"x86_64": [], "arm64": []}
    for name, details in sorted(load(MOTO_EC2 / "instance_types.json.gz").items()):
        architectures = details.get("ProcessorInfo", {}).get("SupportedArchitectures", [])
        for arch in ("x86_64", "arm64"):
            if arch in architectures:
                by_arch[arch].append(name)
    return by_arch


def hibernation():
    """Instance types that can hibernate (EC2 DescribeInstanceTypes HibernationSupported, moto's copy),
    each with its memory in MiB: the encrypted root volume must hold it when the instance hibernates."""
    types = load(MOTO_EC2 / "instance_types.json.gz")
    return {
        "memoryMiBByInstanceType": {
            name: details.get("MemoryInfo", {}).get("SizeInMiB")
            for name, details in sorted(types.items())
            if details.get("HibernationSupported")
        },
        "source": "EC2 DescribeInstanceTypes HibernationSupported (moto ec2/resources/instance_types.json); "
        "AWS also needs the launch template's hibernation_options and an encrypted root volume large enough for the RAM: "
        "https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/hibernating-prerequisites.html",
    }


def names():
    iam = service_model("iam")["shapes"]
    role = iam["roleNameType"]
    profile = iam["instanceProfileNameType"]
    # name_prefix: Terraform appends a 26-character unique suffix.
    unique_suffix = 26
    return {
        "iamRoleNamePrefix": {
            "maxLength": role["max"] - unique_suffix,
            "pattern": f"^{role['pattern']}$",
            "source": "botocore iam roleNameType, less the provider's 26-character name_prefix suffix",
        },
        "iamInstanceProfileNamePrefix": {
            "maxLength": profile["max"] - unique_suffix,
            "pattern": f"^{profile['pattern']}$",
            "source": "botocore iam instanceProfileNameType, less the provider's 26-character name_prefix suffix",
        },
        "loadBalancer": {
            "maxLength": 32,
            "pattern": "^[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?$",
            "mustNotStartWith": ["internal-"],
            "source": "https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateLoadBalancer.html",
        },
        "targetGroup": {
            "maxLength": 32,
            "pattern": "^[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?$",
            "source": "https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateTargetGroup.html",
        },
        "s3Bucket": {
            "minLength": 3,
            "maxLength": 63,
            "pattern": "^[a-z0-9][a-z0-9.-]*[a-z0-9]$",
            "mustNotContain": [".."],
            "mustNotStartWith": ["xn--", "sthree-", "amzn-s3-demo-"],
            "mustNotEndWith": ["-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"],
            "mustNotBeIpAddress": True,
            "source": "https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html",
        },
    }


def main(out):
    facts = {
        "comment": "Generated by scripts/refresh-aws-facts.sh; do not edit by hand.",
        "source": VERSIONS,
        "regions": regions(),
        "instanceTypes": instance_types(),
        "hibernation": hibernation(),
        "names": names(),
    }
    text = json.dumps(facts, indent=1, sort_keys=False) + "\n"
    pathlib.Path(out).write_text(text, encoding="utf-8")
    print(
        f"{out}: {len(facts['regions'])} regions, "
        f"{sum(1 for r in facts['regions'].values() if r['availabilityZones'])} with zones, "
        f"{len(facts['instanceTypes']['x86_64'])} x86_64 and {len(facts['instanceTypes']['arm64'])} arm64 instance types, "
        f"{len(facts['hibernation']['memoryMiBByInstanceType'])} of them able to hibernate "
        f"(moto {VERSIONS['moto']}, botocore {VERSIONS['botocore']})"
    )


if __name__ == "__main__":
    main(sys.argv[1])
