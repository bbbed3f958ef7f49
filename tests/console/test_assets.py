"""The docs and the console load every asset from the server itself (a
government intranet has no CDN), and the console's pages forbid inline script."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urljoin

import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from api.settings import Settings

STATIC = Path(__file__).parents[2] / "api" / "static"
REFERENCE = re.compile(
    r"""(?:src|href)\s*=\s*["']([^"'#]+)["']|url:\s*['"]([^'"]+)['"]"""
)
IMPORT = re.compile(r"""(?:import|from)\s*\(?\s*["'`](\.{1,2}/[^"'`$]+)["'`]""")
SCRIPT_SRC = re.compile(r"""\.src\s*=\s*["']([^"']+)["']""")
DYNAMIC_PAGE = re.compile(r"import\(`\./pages/\$\{name\}\.js`\)")


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    with TestClient(create_app(Settings(database_url="memory://"))) as client:
        yield client


def referenced(client: TestClient, page: str) -> set[str]:
    """Every address a page names, and every module and script its scripts
    load, followed transitively."""
    found: set[str] = set()
    todo = [page]
    while todo:
        address = todo.pop()
        response = client.get(address)
        assert response.status_code == 200, address
        text = response.text
        names = {a or b for a, b in REFERENCE.findall(text)}
        if address.endswith(".js"):
            names = set(IMPORT.findall(text)) | set(SCRIPT_SRC.findall(text))
            if DYNAMIC_PAGE.search(text):
                pages = (STATIC / "console" / "pages").glob("*.js")
                names |= {f"./pages/{p.name}" for p in pages}
        for name in names:
            full = urljoin(address, name)
            if full not in found and not full.startswith("/console"):
                found.add(full)
                if full.endswith((".js", ".html")) and "/vendor/" not in full:
                    todo.append(full)
    return found


@pytest.mark.parametrize("page", ["/docs", "/redoc", "/console", "/console/members"])
def test_every_asset_a_page_references_is_served_by_the_application_itself(
    client: TestClient, page: str
) -> None:
    assets = referenced(client, page)
    assert assets
    for asset in assets:
        assert asset.startswith("/"), f"{page} loads {asset} from elsewhere"
        assert client.get(asset).status_code == 200, asset


def test_the_docs_name_no_cdn_and_no_google_fonts(client: TestClient) -> None:
    for page in ("/docs", "/redoc"):
        text = client.get(page).text
        assert "cdn.jsdelivr.net" not in text
        assert "fonts.googleapis.com" not in text
        assert "http://" not in text
        assert "https://" not in text


def test_the_console_forbids_inline_script_and_style(client: TestClient) -> None:
    for address in ("/console", "/console/activities/x", "/static/console/app.js"):
        policy = client.get(address).headers["content-security-policy"]
        directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
        assert directives["script-src"] == "'self'"
        assert directives["style-src"] == "'self'"
        assert "unsafe" not in policy


def test_the_console_page_has_no_inline_script_or_style(client: TestClient) -> None:
    page = client.get("/console").text
    assert "<style" not in page
    assert " style=" not in page
    assert re.findall(r"<script[^>]*>\s*</script>", page) == re.findall(
        r"<script[^>]*>[^<]*</script>", page
    )


def test_the_console_never_inserts_html(client: TestClient) -> None:
    for script in (STATIC / "console").rglob("*.js"):
        text = script.read_text()
        for forbidden in ("innerHTML", "outerHTML", "insertAdjacentHTML", "eval("):
            assert forbidden not in text, f"{script.name} uses {forbidden}"
        assert "document.write" not in text


def test_the_docs_and_console_are_not_in_the_openapi_document(
    client: TestClient,
) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    assert not any(
        p.startswith(("/console", "/static", "/docs", "/redoc")) for p in paths
    )


def test_vendored_files_are_those_fetched_from_npm_at_the_pinned_versions() -> None:
    vendor = STATIC / "vendor"
    recorded = {
        line.split()[1]: line.split()[0]
        for line in (vendor / "SHA256SUMS").read_text().splitlines()
    }
    present = {
        str(p.relative_to(vendor))
        for p in vendor.rglob("*")
        if p.is_file() and p.parent != vendor
    }
    assert present == recorded.keys()
    for name, digest in recorded.items():
        assert hashlib.sha256((vendor / name).read_bytes()).hexdigest() == digest
    for package in ("swagger-ui", "redoc", "echarts"):
        assert (vendor / package / "LICENSE").exists()
