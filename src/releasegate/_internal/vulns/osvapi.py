"""OSV's API (https://google.github.io/osv.dev/api/): which advisories name these versions.

``POST /v1/querybatch`` answers ids (and ``modified``) per (package, version), paged by
``next_page_token``; each record is then read with ``GET /v1/vulns/{id}`` and matched
here like a record from disk, so online and offline give one verdict. Records are cached
by id and ``modified``; the answers to queries are not (they change when advisories do).
Any error is ``Unavailable``: an unanswered query is never "no vulnerabilities".
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from releasegate._internal.vulns.records import ECOSYSTEM, RecordError, parse

if TYPE_CHECKING:
    from collections.abc import Iterable

    import requests

    from releasegate._internal.vulns.records import Advisory

BATCH = 1000
"""OSV's documented maximum of queries per batch."""
_CACHE = "osv-records"


class ApiError(Exception):
    """OSV's API did not answer as documented; the message says how."""


def advisories(api_url: str, wanted: Iterable[tuple[str, str]]) -> dict[str, list[Advisory]]:
    """Advisories for every (name, version) in ``wanted``, keyed by normalised package name."""
    from releasegate._internal.http import session

    pairs = sorted(set(wanted))
    base = api_url.rstrip("/")
    with session() as client:
        versions = _ids(client, base, pairs)
        records = _records(client, base, versions)
    found: dict[str, list[Advisory]] = {}
    for advisory in records:
        for name in {a.name for a in advisory.affected}:
            found.setdefault(name, []).append(advisory)
    return found


def _ids(client: requests.Session, base: str, pairs: list[tuple[str, str]]) -> dict[str, str]:
    """id -> modified of every record any query names (following every page)."""
    found: dict[str, str] = {}
    todo: list[tuple[tuple[str, str], str | None]] = [(p, None) for p in pairs]
    while todo:
        batch, todo = todo[:BATCH], todo[BATCH:]
        queries = [_query(pair, token) for pair, token in batch]
        results = _post(client, f"{base}/v1/querybatch", {"queries": queries}).get("results")
        if not isinstance(results, list) or len(results) != len(batch):
            raise ApiError("querybatch answered a different number of results than queries")
        for (pair, _), result in zip(batch, results, strict=True):
            if not isinstance(result, dict):
                raise ApiError("querybatch answered a result that is not an object")
            for vuln in result.get("vulns") or []:
                if not isinstance(vuln, dict) or not isinstance(vuln.get("id"), str):
                    raise ApiError("querybatch answered a vulnerability without an id")
                found[vuln["id"]] = str(vuln.get("modified") or "")
            token = result.get("next_page_token")
            if token:
                todo.append((pair, str(token)))
    return found


def _query(pair: tuple[str, str], token: str | None) -> dict[str, Any]:
    query: dict[str, Any] = {
        "package": {"name": pair[0], "ecosystem": ECOSYSTEM},
        "version": pair[1],
    }
    if token:
        query["page_token"] = token
    return query


def _records(client: requests.Session, base: str, ids: dict[str, str]) -> list[Advisory]:
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=8) as pool:
        raw = list(pool.map(lambda item: _record(client, base, *item), sorted(ids.items())))
    found = []
    for vuln_id, record in raw:
        try:
            advisory = parse(record)
        except RecordError as exc:
            raise ApiError(f"the record {vuln_id} is not valid OSV: {exc}") from None
        if advisory is not None:
            found.append(advisory)
    return found


def _record(client: requests.Session, base: str, vuln_id: str, modified: str) -> tuple[str, Any]:
    from urllib.parse import quote

    from releasegate._internal.metadata import cache

    key = cache.key(base, vuln_id, modified)
    cached = cache.get(_CACHE, key) if modified else None
    if cached is not None:
        return vuln_id, cached
    record = _get(client, f"{base}/v1/vulns/{quote(vuln_id, safe='')}")
    if modified:
        cache.put(_CACHE, key, record)
    return vuln_id, record


def _post(client: requests.Session, url: str, body: dict[str, Any]) -> dict[str, Any]:
    return _answer(client, "POST", url, body)


def _get(client: requests.Session, url: str) -> dict[str, Any]:
    return _answer(client, "GET", url, None)


def _answer(
    client: requests.Session, method: str, url: str, body: dict[str, Any] | None
) -> dict[str, Any]:
    import requests

    try:
        response = client.request(method, url, json=body)
    except requests.RequestException as exc:
        raise ApiError(f"{method} {url} failed: {type(exc).__name__}") from None
    if response.status_code != 200:
        raise ApiError(f"{method} {url} answered HTTP {response.status_code}")
    try:
        data = response.json()
    except ValueError:
        raise ApiError(f"{method} {url} answered something that is not JSON") from None
    if not isinstance(data, dict):
        raise ApiError(f"{method} {url} answered JSON that is not an object")
    return data
