"""The response encoder: orjson, with a string UTF-8 cannot hold written in ASCII escapes, beside JSON that
PostgreSQL wrote (orjson.Fragment)."""

from __future__ import annotations

import json

import orjson

from api.limits import encode_json


def test_a_plain_answer_is_orjson_bytes() -> None:
    data = {"data": {"order": {"title": "Фланец", "quantity": 3}}}

    assert encode_json(data) == orjson.dumps(data)


def test_an_unpaired_surrogate_is_escaped_and_a_fragment_beside_it_is_kept() -> None:
    bids = orjson.Fragment(b'[{"id":"QmlkOjE=","note":"\xc3\xa9"}]')
    data = {
        "data": {"bids": bids},
        "errors": [{"message": "may not contain \ud800 here", "path": ["bids", 0]}],
    }

    body = encode_json(data)

    assert b'"may not contain \\ud800 here"' in body
    assert json.loads(body) == {
        "data": {"bids": [{"id": "QmlkOjE=", "note": "é"}]},
        "errors": [{"message": "may not contain \ud800 here", "path": ["bids", 0]}],
    }
