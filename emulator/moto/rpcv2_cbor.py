"""Smithy RPC v2 CBOR for moto's CloudWatch (moto 5.2.x).

Why: CloudWatch's service model now lists ``smithy-rpc-v2-cbor`` first, and the AWS SDK
for Go v2 in terraform-provider-aws speaks it: ``POST /service/GraniteServiceVersion20100801/
operation/PutMetricAlarm`` with a CBOR body and a ``smithy-protocol: rpc-v2-cbor`` header.
moto 5.2.5 serves CloudWatch only in the query and JSON protocols at ``/``, so every
``aws_cloudwatch_metric_alarm`` failed with HTTP 404.

How: the request is decoded with botocore's own CBOR parser against the operation's input
shape, re-encoded as the query protocol with botocore's query serializer, handed to moto at
``/`` (same headers, so moto still routes by the signature's service), and moto's XML answer
is parsed with botocore's query parser against the output shape and encoded as CBOR with
botocore's CBOR serializer. Errors keep moto's status and code: a CBOR body with
``__type`` and ``message``, plus ``x-amzn-query-error: <Code>;<Sender|Receiver>`` as the
service's awsQueryCompatible trait has AWS send. All codecs are botocore's (the version
pinned in requirements.txt), shape-driven, so nothing here guesses at types.
"""

from __future__ import annotations

import io
from typing import Any, Callable, Iterable
from urllib.parse import urlencode

PREFIX = "/service/GraniteServiceVersion20100801/operation/"

_model_cache: dict[str, Any] = {}


def _service_model() -> Any:
    if "cloudwatch" not in _model_cache:
        import botocore.session

        _model_cache["cloudwatch"] = botocore.session.get_session().get_service_model("cloudwatch")
    return _model_cache["cloudwatch"]


def handles(environ: dict[str, Any]) -> bool:
    return environ.get("PATH_INFO", "").startswith(PREFIX) and environ.get("REQUEST_METHOD") == "POST"


def _cbor(value: dict[str, Any], shape: Any) -> bytes:
    from botocore.serialize import RpcV2CBORSerializer

    out = bytearray()
    RpcV2CBORSerializer()._serialize_data_item(out, value, shape)
    return bytes(out)


def _cbor_error(code: str, message: str) -> bytes:
    """An error body: a CBOR map of two text strings (no shape needed)."""

    def text(value: str) -> bytes:
        data = value.encode()
        return _head(3, len(data)) + data

    return _head(5, 2) + text("__type") + text(code) + text("message") + text(message)


def _head(major: int, length: int) -> bytes:
    if length < 24:
        return bytes([major << 5 | length])
    if length < 0x100:
        return bytes([major << 5 | 24, length])
    if length < 0x10000:
        return bytes([major << 5 | 25]) + length.to_bytes(2, "big")
    return bytes([major << 5 | 26]) + length.to_bytes(4, "big")


def handle(environ: dict[str, Any], start_response: Callable[..., Any], app: Callable[..., Iterable[bytes]]) -> list[bytes]:
    from botocore.parsers import QueryParser, RpcV2CBORParser
    from botocore.serialize import QuerySerializer

    name = environ["PATH_INFO"][len(PREFIX):].strip("/")
    model = _service_model()
    try:
        operation = model.operation_model(name)
    except Exception:  # noqa: BLE001 - an unknown operation, as AWS answers it
        return _reply(start_response, "404 Not Found", _cbor_error("UnknownOperationException", f"Unknown operation {name}"), "UnknownOperationException;Sender")

    length = int(environ.get("CONTENT_LENGTH") or 0)
    body = environ["wsgi.input"].read(length) if length else b""
    params: dict[str, Any] = {}
    if body and operation.input_shape is not None:
        parsed = RpcV2CBORParser().parse({"body": body, "headers": {}, "status_code": 200}, operation.input_shape)
        params = {k: v for k, v in parsed.items() if k != "ResponseMetadata"}
    query = QuerySerializer().serialize_to_request(params, operation)
    query_body = urlencode(query["body"], doseq=True).encode()

    inner = dict(environ)
    inner["PATH_INFO"] = "/"
    inner["CONTENT_TYPE"] = "application/x-www-form-urlencoded; charset=utf-8"
    inner["CONTENT_LENGTH"] = str(len(query_body))
    inner["wsgi.input"] = io.BytesIO(query_body)
    inner.pop("HTTP_SMITHY_PROTOCOL", None)
    captured: dict[str, Any] = {}

    def capture(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Callable[[bytes], None]:
        captured["status"] = status
        captured["headers"] = headers
        return lambda _data: None

    result = app(inner, capture)
    try:
        xml = b"".join(result)
    finally:
        if hasattr(result, "close"):
            result.close()
    status = captured.get("status", "500 Internal Server Error")
    code = int(status.split()[0])
    response = {"body": xml, "headers": {k.lower(): v for k, v in captured.get("headers", [])}, "status_code": code}
    if code >= 300:
        error = QueryParser().parse(response, None)["Error"]
        sender = "Sender" if code < 500 else "Receiver"
        return _reply(start_response, status, _cbor_error(error.get("Code", "InternalFailure"), error.get("Message", "")), f"{error.get('Code', '')};{sender}")
    output = operation.output_shape
    if output is None:
        return _reply(start_response, status, _head(5, 0))
    parsed = QueryParser().parse(response, output)
    parsed.pop("ResponseMetadata", None)
    return _reply(start_response, status, _cbor(parsed, output))


def _reply(start_response: Callable[..., Any], status: str, body: bytes, query_error: str | None = None) -> list[bytes]:
    headers = [
        ("Content-Type", "application/cbor"),
        ("smithy-protocol", "rpc-v2-cbor"),
        ("Content-Length", str(len(body))),
    ]
    if query_error:
        headers.append(("x-amzn-query-error", query_error))
    start_response(status, headers)
    return [body]
