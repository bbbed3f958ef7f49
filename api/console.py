"""The pages served beside the API: the docs (Swagger UI, ReDoc) and the
organiser console, every asset from the package itself, none from a CDN."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, FastAPI
from fastapi.openapi.docs import (
    get_redoc_html,
    get_swagger_ui_html,
    get_swagger_ui_oauth2_redirect_html,
)
from fastapi.responses import FileResponse, HTMLResponse
from fastapi.staticfiles import StaticFiles

STATIC = Path(__file__).parent / "static"
VENDOR = "/static/vendor"
CONSOLE_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data: blob:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)
CONSOLE_HEADERS = {
    "Content-Security-Policy": CONSOLE_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-cache",
}

pages = APIRouter(include_in_schema=False)


@pages.get("/docs")
def swagger_ui() -> HTMLResponse:
    return get_swagger_ui_html(
        openapi_url="/openapi.json",
        title="志愿积分 API 文档",
        swagger_js_url=f"{VENDOR}/swagger-ui/swagger-ui-bundle.js",
        swagger_css_url=f"{VENDOR}/swagger-ui/swagger-ui.css",
        swagger_favicon_url=f"{VENDOR}/swagger-ui/favicon-32x32.png",
        oauth2_redirect_url="/docs/oauth2-redirect",
        swagger_ui_parameters={"validatorUrl": None},
    )


@pages.get("/docs/oauth2-redirect")
def swagger_ui_redirect() -> HTMLResponse:
    return get_swagger_ui_oauth2_redirect_html()


@pages.get("/redoc")
def redoc() -> HTMLResponse:
    page = get_redoc_html(
        openapi_url="/openapi.json",
        title="志愿积分 API 文档",
        redoc_js_url=f"{VENDOR}/redoc/redoc.standalone.js",
        redoc_favicon_url=f"{VENDOR}/swagger-ui/favicon-32x32.png",
        with_google_fonts=False,
    )
    # ReDoc's footer names its logo on a CDN: images come from here only.
    page.headers["Content-Security-Policy"] = "img-src 'self' data:"
    return page


@pages.get("/console")
@pages.get("/console/{page:path}")
def console(page: str = "") -> FileResponse:
    """Every console address answers the same page; its script reads the
    address and draws what it names."""
    return FileResponse(
        STATIC / "console" / "index.html",
        media_type="text/html; charset=utf-8",
        headers=CONSOLE_HEADERS,
    )


class ConsoleAssets(StaticFiles):
    """The console's own scripts and styles, with its security headers."""

    def file_response(self, *args, **kwargs):  # type: ignore[no-untyped-def]  # StaticFiles' own signature
        response = super().file_response(*args, **kwargs)
        response.headers.update(CONSOLE_HEADERS)
        return response


def install(app: FastAPI) -> None:
    """Adds the docs, the console and their assets to the application."""
    app.mount(
        "/static/console",
        ConsoleAssets(directory=STATIC / "console"),
        name="console-assets",
    )
    app.mount("/static/vendor", StaticFiles(directory=STATIC / "vendor"), name="vendor")
    app.include_router(pages)
