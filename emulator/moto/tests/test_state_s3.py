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

