"""ApiVersions: negotiation (KIP-511) and the advertised ranges."""

from __future__ import annotations

import struct

from kafkalite.check.areas._wire import frame, header_v1, header_v2, send_and_observe
from kafkalite.check.context import CheckContext
from kafkalite.check.registry import Failed, check, expect, expect_code
from kafkalite.protocol.codec import decode
from kafkalite.protocol.errors import ErrorCode
from kafkalite.protocol.messages import RESPONSES, ApiKey
from kafkalite.protocol.messages.api_versions import ApiVersionsRequest
from kafkalite.protocol.messages.headers import RESPONSE_HEADER_SPEC
from kafkalite.protocol.releases import RELEASES

#: APIs every Kafka release since 0.11 serves to clients.
_CORE = (
    ApiKey.PRODUCE,
    ApiKey.FETCH,
    ApiKey.LIST_OFFSETS,
    ApiKey.METADATA,
    ApiKey.OFFSET_COMMIT,
    ApiKey.OFFSET_FETCH,
    ApiKey.FIND_COORDINATOR,
    ApiKey.JOIN_GROUP,
    ApiKey.HEARTBEAT,
    ApiKey.LEAVE_GROUP,
    ApiKey.SYNC_GROUP,
    ApiKey.API_VERSIONS,
    ApiKey.INIT_PRODUCER_ID,
)


#: The APIs client libraries and admin tools send (inter-broker, KRaft-internal and
#: authorizer/quota/telemetry APIs, which a broker may leave out by configuration, are not compared).
_CLIENT_APIS = frozenset(
    {
        0,
        1,
        2,
        3,
        8,
        9,
        10,
        11,
        12,
        13,
        14,
        15,
        16,
        17,
        18,
        19,
        20,
        21,
        22,
        24,
        25,
        26,
        28,
        32,
        33,
        36,
        37,
        42,
        44,
        47,
        60,
        61,
        65,
        66,
    }
)


def _api_versions_v0(data: bytes) -> tuple[int, dict[int, tuple[int, int]]]:
    _, pos = decode(RESPONSE_HEADER_SPEC, 0, data)
    body, _ = decode(RESPONSES[ApiKey.API_VERSIONS], 0, data, pos)
    return body.error_code, {k.api_key: (k.min_version, k.max_version) for k in body.api_keys}


@check(
    "api_versions",
    "An ApiVersions request at a version the broker does not know is answered in v0 with "
    "UNSUPPORTED_VERSION and the broker's ApiVersions range, so the client can retry lower.",
    "KIP-511; Kafka ApiVersionsRequest.getErrorResponse / SocketServer",
)
def unknown_version_fallback(ctx: CheckContext) -> None:
    sock = ctx.raw_socket()
    # v127 of ApiVersions: flexible header (v2) and a v3-shaped body (two compact strings, no tags).
    body = b"\x0ckafkalite-ck\x021\x00"
    answer = send_and_observe(sock, frame(header_v2(ApiKey.API_VERSIONS, 127, 41) + body))
    if answer is None:
        raise Failed("the broker closed the connection instead of answering UNSUPPORTED_VERSION")
    (correlation,) = struct.unpack_from(">i", answer)
    expect(correlation == 41, f"correlation id {correlation}, expected 41")
    try:
        code, ranges = _api_versions_v0(answer)
    except Exception as exc:
        raise Failed(f"the answer to ApiVersions v127 is not a valid v0 response: {exc}") from None
    expect_code(code, ErrorCode.UNSUPPORTED_VERSION, "ApiVersions v127")
    expect(
        ApiKey.API_VERSIONS in ranges,
        f"the v0 answer must still list the ApiVersions range, got {sorted(ranges)}",
    )


@check(
    "api_versions",
    "ApiVersions v0 (header v1, empty body) is answered with the full list of APIs.",
    "Kafka protocol guide, 'Versioning and Compatibility'; ApiVersionsRequest v0",
)
def v0_request(ctx: CheckContext) -> None:
    sock = ctx.raw_socket()
    answer = send_and_observe(sock, frame(header_v1(ApiKey.API_VERSIONS, 0, 7)))
    if answer is None:
        raise Failed("the broker closed the connection on ApiVersions v0")
    code, ranges = _api_versions_v0(answer)
    expect_code(code, ErrorCode.NONE, "ApiVersions v0")
    missing = [ApiKey(k).name for k in _CORE if k not in ranges]
    expect(not missing, f"core APIs missing from ApiVersions: {', '.join(missing)}")


@check(
    "api_versions",
    "Every advertised range is well formed (min <= max, each API once), and the core client "
    "APIs (Produce, Fetch, Metadata, groups, InitProducerId...) are all advertised.",
    "Kafka ApiVersionsResponse; ApiMessageType",
)
def ranges_well_formed(ctx: CheckContext) -> None:
    conn = ctx.connection()
    version = conn.version_for(ApiKey.API_VERSIONS)
    response = ctx.call(
        conn,
        ApiKey.API_VERSIONS,
        ApiVersionsRequest(client_software_name="kafkalite-check", client_software_version="1"),
        version,
    )
    expect_code(response.error_code, ErrorCode.NONE, "ApiVersions")
    seen: set[int] = set()
    for entry in response.api_keys:
        expect(entry.api_key not in seen, f"API {entry.api_key} advertised twice")
        seen.add(entry.api_key)
        expect(
            0 <= entry.min_version <= entry.max_version,
            f"API {entry.api_key}: range v{entry.min_version}-v{entry.max_version}",
        )
    missing = [ApiKey(k).name for k in _CORE if k not in seen]
    expect(not missing, f"core APIs not advertised: {', '.join(missing)}")


@check(
    "api_versions",
    "The advertised ranges cover a real Kafka release: names the newest release 2.8-4.2 whose "
    "every client-facing API (produce, fetch, groups, transactions, topic and config admin) "
    "the broker serves at that release's highest version or above.",
    "Kafka protocol guide (version histories); kafkalite.protocol.releases",
)
def ranges_vs_release(ctx: CheckContext) -> str:
    served = ctx.connection().versions
    covered = []
    gaps: dict[str, list[str]] = {}
    for release, ranges in RELEASES.items():
        short = [
            f"{_name(api)} v{high} (serves {served[api][1] if api in served else 'none'})"
            for api, (_, high) in ranges.items()
            if api in _CLIENT_APIS and (api not in served or served[api][1] < high)
        ]
        if short:
            gaps[release] = short
        else:
            covered.append(release)
    if not covered:
        oldest = next(iter(gaps))
        raise Failed(
            f"no release covered; against Kafka {oldest} it lacks: {', '.join(gaps[oldest][:6])}"
        )
    newest = covered[-1]
    nxt = [
        r
        for r in gaps
        if r not in covered and list(RELEASES).index(r) > list(RELEASES).index(newest)
    ]
    note = f"covers Kafka {newest}"
    if nxt:
        note += f"; for {nxt[0]} lacks {', '.join(gaps[nxt[0]][:3])}"
    return note


def _name(api: int) -> str:
    try:
        return "".join(p.capitalize() for p in ApiKey(api).name.split("_"))
    except ValueError:
        return f"api{api}"


@check(
    "api_versions",
    "ApiVersions v3+ rejects a client software name outside [a-zA-Z0-9._-] with INVALID_REQUEST.",
    "KIP-511; Kafka ApiVersionsRequest.isValid",
)
def invalid_software_name(ctx: CheckContext) -> None:
    conn = ctx.new_connection()
    version = ctx.require(ApiKey.API_VERSIONS, minimum=3, connection=conn)
    response = ctx.call(
        conn,
        ApiKey.API_VERSIONS,
        ApiVersionsRequest(client_software_name="bad name!", client_software_version="1.0"),
        version,
    )
    expect_code(response.error_code, ErrorCode.INVALID_REQUEST, "ApiVersions with name 'bad name!'")


@check(
    "api_versions",
    "ApiVersions v3+ reports the supported feature 'metadata.version' and its finalized level "
    "(KRaft clusters).",
    "KIP-584; KIP-778; Kafka ApiVersionsResponse supported/finalized features",
)
def feature_levels(ctx: CheckContext) -> str:
    conn = ctx.connection()
    version = ctx.require(ApiKey.API_VERSIONS, minimum=3, connection=conn)
    response = ctx.call(
        conn,
        ApiKey.API_VERSIONS,
        ApiVersionsRequest(client_software_name="kafkalite-check", client_software_version="1"),
        version,
    )
    supported = {f.name: (f.min_version, f.max_version) for f in response.supported_features}
    finalized = {f.name: f.max_version_level for f in response.finalized_features}
    expect("metadata.version" in supported, f"supported features: {sorted(supported) or 'none'}")
    expect("metadata.version" in finalized, f"finalized features: {sorted(finalized) or 'none'}")
    low, high = supported["metadata.version"]
    expect(
        low <= finalized["metadata.version"] <= high,
        f"finalized metadata.version {finalized['metadata.version']} outside v{low}-v{high}",
    )
    return f"metadata.version {finalized['metadata.version']}"
