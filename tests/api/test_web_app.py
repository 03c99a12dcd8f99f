"""The web app is served at `/` beside the API, and cross-origin use is limited to EXCHANGE_CORS_ORIGINS."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from starlette.testclient import TestClient
from starlette.websockets import WebSocketDisconnect

from api.app import create_app
from api.context import AppDeps
from exchange.settings import Settings

INDEX = "<!doctype html><title>exchange</title><div id=root></div>"
SCRIPT = "console.log('app')"


@pytest.fixture
def dist(tmp_path: Path) -> Path:
    (tmp_path / "assets").mkdir()
    (tmp_path / "index.html").write_text(INDEX)
    (tmp_path / "assets" / "index-abc123.js").write_text(SCRIPT)
    (tmp_path.parent / "secret.txt").write_text("outside dist")
    return tmp_path


def app_client(deps: AppDeps, settings: Settings) -> httpx.AsyncClient:
    deps.settings = settings
    app = create_app(deps)
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test")


@pytest.fixture
async def web(deps: AppDeps, settings: Settings, dist: Path) -> AsyncIterator[httpx.AsyncClient]:
    async with app_client(deps, settings.model_copy(update={"web_dir": dist})) as client:
        yield client


async def test_root_and_client_routes_answer_the_app(web: httpx.AsyncClient) -> None:
    for path in ("/", "/orders/T3JkZXI6MQ==", "/suppliers?process=CNC_MILLING", "/sign-in"):
        response = await web.get(path)
        assert response.status_code == 200, path
        assert response.text == INDEX
        assert response.headers["content-type"].startswith("text/html")
        assert response.headers["cache-control"] == "no-cache"


async def test_assets_are_served_immutable_and_a_missing_one_is_404(web: httpx.AsyncClient) -> None:
    asset = await web.get("/assets/index-abc123.js")
    assert asset.status_code == 200
    assert asset.text == SCRIPT
    assert asset.headers["cache-control"] == "public, max-age=31536000, immutable"
    missing = await web.get("/assets/index-gone.js")
    assert missing.status_code == 404
    assert INDEX not in missing.text


async def test_paths_out_of_dist_are_not_served(web: httpx.AsyncClient) -> None:
    response = await web.get("/../secret.txt")
    assert "outside dist" not in response.text
    encoded = await web.get("/%2e%2e/secret.txt")
    assert "outside dist" not in encoded.text


async def test_api_paths_are_unchanged(web: httpx.AsyncClient) -> None:
    health = await web.get("/health")
    assert health.json() == {"status": "ok", "database": "up"}
    graphql = await web.post("/graphql", json={"query": "{ me { id } }"})
    assert graphql.json() == {"data": {"me": None}}
    webhook = await web.post("/webhooks/stripe", content=b"{}")
    assert webhook.status_code == 404
    assert webhook.json() == {"error": "stripe webhooks are not configured"}


async def test_without_a_build_the_root_says_so_and_the_api_works(
    deps: AppDeps, settings: Settings, tmp_path: Path
) -> None:
    async with app_client(deps, settings.model_copy(update={"web_dir": tmp_path / "missing"})) as client:
        root = await client.get("/")
        assert root.status_code == 503
        assert "not built" in root.text
        graphql = await client.post("/graphql", json={"query": "{ me { id } }"})
        assert graphql.json() == {"data": {"me": None}}


async def test_no_cors_headers_by_default(web: httpx.AsyncClient) -> None:
    preflight = await web.options(
        "/graphql",
        headers={"origin": "https://elsewhere.example", "access-control-request-method": "POST"},
    )
    assert "access-control-allow-origin" not in preflight.headers
    response = await web.post(
        "/graphql", json={"query": "{ me { id } }"}, headers={"origin": "https://elsewhere.example"}
    )
    assert "access-control-allow-origin" not in response.headers


async def test_listed_origin_gets_cors_and_others_do_not(deps: AppDeps, settings: Settings) -> None:
    allowed = "https://app.example.com"
    async with app_client(deps, settings.model_copy(update={"cors_origins": [allowed]})) as client:
        preflight = await client.options(
            "/graphql",
            headers={
                "origin": allowed,
                "access-control-request-method": "POST",
                "access-control-request-headers": "authorization, content-type",
            },
        )
        assert preflight.status_code == 200
        assert preflight.headers["access-control-allow-origin"] == allowed
        assert "authorization" in preflight.headers["access-control-allow-headers"].lower()
        response = await client.post("/graphql", json={"query": "{ me { id } }"}, headers={"origin": allowed})
        assert response.headers["access-control-allow-origin"] == allowed
        assert "access-control-allow-credentials" not in response.headers
        other = await client.post(
            "/graphql", json={"query": "{ me { id } }"}, headers={"origin": "https://evil.example"}
        )
        assert "access-control-allow-origin" not in other.headers


def websocket_origin_allowed(deps: AppDeps, settings: Settings, origin: str | None) -> bool:
    deps.settings = settings
    headers = {"origin": origin} if origin else {}
    with TestClient(create_app(deps), base_url="http://testserver") as client:
        try:
            with client.websocket_connect("/graphql", subprotocols=["graphql-transport-ws"], headers=headers) as ws:
                ws.send_json({"type": "connection_init", "payload": {}})
                # No token: the server refuses the sign-in, but the handshake itself was accepted.
                ws.receive()
            return True
        except WebSocketDisconnect as closed:
            return closed.reason != "origin not allowed"


def test_websocket_origins(deps: AppDeps, settings: Settings) -> None:
    listed = settings.model_copy(update={"cors_origins": ["https://app.example.com"]})
    assert websocket_origin_allowed(deps, settings, None)
    assert websocket_origin_allowed(deps, settings, "http://testserver")
    assert not websocket_origin_allowed(deps, settings, "https://evil.example")
    assert websocket_origin_allowed(deps, listed, "https://app.example.com")
    assert not websocket_origin_allowed(deps, listed, "https://evil.example")
