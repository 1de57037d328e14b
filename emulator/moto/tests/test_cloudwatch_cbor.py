"""CloudWatch in the Smithy RPC v2 CBOR protocol (what the AWS SDK for Go v2 in
terraform-provider-aws sends), translated to moto's query protocol by rpcv2_cbor.py."""

from __future__ import annotations

import urllib.error
import urllib.request
from typing import Any

import botocore.session
from botocore.parsers import RpcV2CBORParser
from botocore.serialize import RpcV2CBORSerializer
from conftest import Emulator

MODEL = botocore.session.get_session().get_service_model("cloudwatch")
# moto routes a request to a service by the credential scope of its signature.
AUTH = "AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/monitoring/aws4_request, SignedHeaders=host, Signature=0"


def call(emulator: Emulator, operation: str, params: dict[str, Any]) -> tuple[int, dict[str, str], dict[str, Any]]:
    model = MODEL.operation_model(operation)
    request = RpcV2CBORSerializer().serialize_to_request(params, model)
    headers = {**request["headers"], "Authorization": AUTH}
    http = urllib.request.Request(f"{emulator.endpoint}{request['url_path']}", data=request["body"], headers=headers, method="POST")
    try:
        with urllib.request.urlopen(http, timeout=30) as response:
            status, reply_headers, body = response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        status, reply_headers, body = error.code, dict(error.headers), error.read()
    lower = {k.lower(): v for k, v in reply_headers.items()}
    if status < 300 and model.output_shape is None:
        assert body == b"\xa0"  # an empty CBOR map
        return status, lower, {}
    parsed = RpcV2CBORParser().parse({"body": body, "headers": lower, "status_code": status}, model.output_shape)
    return status, lower, parsed


def test_put_describe_and_set_alarm_state_over_cbor(fast: Emulator) -> None:
    status, headers, _ = call(fast, "PutMetricAlarm", {
        "AlarmName": "web-5xx", "Namespace": "AWS/ApplicationELB", "MetricName": "HTTPCode_Target_5XX_Count",
        "Dimensions": [{"Name": "TargetGroup", "Value": "targetgroup/web/1"}], "Statistic": "Sum", "Period": 60,
        "EvaluationPeriods": 1, "DatapointsToAlarm": 1, "Threshold": 10.0, "ComparisonOperator": "GreaterThanOrEqualToThreshold",
        "TreatMissingData": "notBreaching", "Tags": [{"Key": "Name", "Value": "web-5xx"}],
    })
    assert status == 200 and headers["smithy-protocol"] == "rpc-v2-cbor" and headers["content-type"] == "application/cbor"

    status, _, described = call(fast, "DescribeAlarms", {"AlarmNames": ["web-5xx"]})
    assert status == 200
    alarm = described["MetricAlarms"][0]
    assert alarm["AlarmName"] == "web-5xx" and alarm["StateValue"] == "OK" and alarm["Threshold"] == 10.0
    assert alarm["Dimensions"] == [{"Name": "TargetGroup", "Value": "targetgroup/web/1"}]
    assert alarm["TreatMissingData"] == "notBreaching" and alarm["DatapointsToAlarm"] == 1
    assert alarm["StateUpdatedTimestamp"].year >= 2024

    call(fast, "SetAlarmState", {"AlarmName": "web-5xx", "StateValue": "ALARM", "StateReason": "test"})
    # The same state through boto3 (query or JSON protocol): one backend behind both.
    assert fast.client("cloudwatch").describe_alarms(AlarmNames=["web-5xx"])["MetricAlarms"][0]["StateValue"] == "ALARM"

    status, _, tags = call(fast, "ListTagsForResource", {"ResourceARN": alarm["AlarmArn"]})
    assert status == 200 and tags["Tags"] == [{"Key": "Name", "Value": "web-5xx"}]


def test_errors_keep_their_code_and_status(fast: Emulator) -> None:
    status, headers, parsed = call(fast, "SetAlarmState", {"AlarmName": "missing", "StateValue": "ALARM", "StateReason": "x"})
    assert status == 404 or status == 400
    assert parsed["Error"]["Code"] == "ResourceNotFound"
    assert headers["x-amzn-query-error"].startswith("ResourceNotFound;")
