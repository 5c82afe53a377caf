"""The assistant proxy: ``<base>/rtlakehouse/api/*`` and ``<base>/rtlakehouse/health`` are
forwarded to the assistant API, so the browser reaches it from the Lab origin (no CORS) behind
Jupyter's own authentication, and the API token stays on the server. The same for the scheduler:
``<base>/rtlakehouse/scheduler/*`` goes to ``RTL_SCHEDULER_URL`` (http://127.0.0.1:8020).

Configuration (traitlets, e.g. ``--RtLakehouse.assistant_url=...``) defaults to the
environment: ``RTL_ASSISTANT_URL`` (http://127.0.0.1:8000) and ``RTL_API_TOKEN`` (else
``API_TOKEN``, the assistant's own variable).
"""

import json
import os
from urllib.parse import parse_qsl, urlencode, urlsplit

import tornado.iostream
import tornado.web
from jupyter_server.base.handlers import APIHandler
from jupyter_server.utils import url_path_join
from tornado.httpclient import AsyncHTTPClient, HTTPClientError, HTTPRequest
from traitlets import Float, Unicode, default
from traitlets.config import Configurable

# Request headers passed on to the assistant (hop-by-hop and Jupyter's own are not).
FORWARDED_REQUEST_HEADERS = ("Content-Type", "Accept", "Last-Event-ID", "X-Request-Id")
# Query parameters that are Jupyter's, not the assistant's.
JUPYTER_QUERY_KEYS = ("token", "_xsrf")
# Response headers passed back to the browser.
FORWARDED_RESPONSE_HEADERS = ("Content-Type", "Cache-Control", "Retry-After", "X-Request-Id")


class RtLakehouse(Configurable):
    """Where the assistant API is and how to reach it."""

    assistant_url = Unicode(help="Base URL of the assistant API (env RTL_ASSISTANT_URL)").tag(config=True)
    api_token = Unicode(help="Bearer token for the assistant API (env RTL_API_TOKEN, else API_TOKEN)").tag(
        config=True
    )
    request_timeout = Float(300.0, help="Time limit of a proxied request, seconds (not of streams)").tag(
        config=True
    )
    connect_timeout = Float(5.0, help="Time limit to connect to the assistant, seconds").tag(config=True)
    scheduler_url = Unicode(
        help="Base URL of the scheduler API (env RTL_SCHEDULER_URL, else SCHEDULER_URL, else http://127.0.0.1:8020)"
    ).tag(config=True)

    @default("assistant_url")
    def _default_assistant_url(self):
        return os.environ.get("RTL_ASSISTANT_URL", "http://127.0.0.1:8000").rstrip("/")

    @default("scheduler_url")
    def _default_scheduler_url(self):
        url = os.environ.get("RTL_SCHEDULER_URL") or os.environ.get("SCHEDULER_URL") or "http://127.0.0.1:8020"
        return url.rstrip("/")

    @default("api_token")
    def _default_api_token(self):
        return os.environ.get("RTL_API_TOKEN") or os.environ.get("API_TOKEN", "")


class ServiceProxyHandler(APIHandler):
    """Forwards one request to a service of the stack, with the token and Jupyter's auth.

    Subclasses name the service, its base URL and the response headers passed back."""

    # In messages: "the <service> at <host> is not reachable".
    service = "service"
    response_headers = FORWARDED_RESPONSE_HEADERS

    def initialize(self, settings: RtLakehouse):
        self.rtl = settings
        self._client_gone = False

    def service_url(self) -> str:  # not base_url: JupyterHandler has one (the server's)
        raise NotImplementedError

    def on_connection_close(self):
        self._client_gone = True

    def _target(self, path):
        # Jupyter's own credentials in the query (?token=, ?_xsrf=) stay here, and so does the
        # cache buster JupyterLab appends to GET requests (``?1795825834490``, a bare number).
        pairs = [
            (k, v)
            for k, v in parse_qsl(self.request.query, keep_blank_values=True)
            if k not in JUPYTER_QUERY_KEYS and not (k.isdigit() and v == "")
        ]
        query = urlencode(pairs)
        return f"{self.service_url()}/{path}" + (f"?{query}" if query else "")

    def _upstream_headers(self):
        headers = {name: self.request.headers[name] for name in FORWARDED_REQUEST_HEADERS if name in self.request.headers}
        if self.rtl.api_token:
            headers["Authorization"] = f"Bearer {self.rtl.api_token}"
        return headers

    def _down(self, error):
        self.set_status(502)
        host = urlsplit(self.service_url()).netloc
        body = {
            "error": {
                "code": "SERVICE_DOWN",
                "message": f"the {self.service} at {host} is not reachable ({error})",
                "suggestions": [],
            }
        }
        self.finish(json.dumps(body))

    def _on_response(self, response, content_type):
        """A subclass's last word on the headers of a forwarded answer."""

    async def _forward(self, method, path):
        has_body = method in ("POST", "PATCH")
        request = HTTPRequest(
            self._target(path),
            method=method,
            headers=self._upstream_headers(),
            body=(self.request.body or b"") if has_body else None,
            connect_timeout=self.rtl.connect_timeout,
            request_timeout=self.rtl.request_timeout,
            follow_redirects=False,
        )
        try:
            response = await AsyncHTTPClient().fetch(request, raise_error=False)
        except Exception as error:  # connection refused, DNS, TLS: the service is down
            self._down(error)
            return
        if response.code == 599:  # tornado's "no HTTP response" (timeout, reset)
            self._down(response.error)
            return
        self.set_status(response.code, response.reason)
        for name in self.response_headers:
            if name in response.headers:
                self.set_header(name, response.headers[name])
        content_type = response.headers.get("Content-Type", "application/json")
        self._on_response(response, content_type)
        if response.code == 204:
            self.finish()
            return
        # APIHandler.finish would label every answer JSON: keep the service's own type.
        self.finish(response.body or b"", set_content_type=content_type)


class AssistantProxyHandler(ServiceProxyHandler):
    """Forwards to the assistant API; relays server-sent event streams as they come."""

    service = "assistant service"

    def service_url(self):
        return self.rtl.assistant_url

    @tornado.web.authenticated
    async def get(self, path):
        if path.rstrip("/").endswith("kpis/stream"):
            await self._stream(path)
        else:
            await self._forward("GET", path)

    @tornado.web.authenticated
    async def post(self, path):
        await self._forward("POST", path)

    async def _stream(self, path):
        """Relays a server-sent event stream chunk by chunk until either side goes away."""
        started = False
        status = {"code": 200, "headers": {}}

        def on_header(line):
            line = line.strip()
            if line.startswith("HTTP/"):
                parts = line.split(" ", 2)
                status["code"] = int(parts[1])
            elif ":" in line:
                name, value = line.split(":", 1)
                status["headers"][name.strip().title()] = value.strip()

        def on_chunk(chunk):
            nonlocal started
            if self._client_gone:
                raise tornado.iostream.StreamClosedError()
            if not started:
                started = True
                self.set_status(status["code"])
                for name in self.response_headers:
                    if name in status["headers"]:
                        self.set_header(name, status["headers"][name])
                self.set_header("Cache-Control", "no-cache, no-transform")
                self.set_header("X-Accel-Buffering", "no")
            self.write(chunk)
            self.flush()

        request = HTTPRequest(
            self._target(path),
            method="GET",
            headers=self._upstream_headers(),
            connect_timeout=self.rtl.connect_timeout,
            request_timeout=0,  # a stream has no time limit
            header_callback=on_header,
            streaming_callback=on_chunk,
            follow_redirects=False,
        )
        try:
            await AsyncHTTPClient().fetch(request, raise_error=False)
        except (tornado.iostream.StreamClosedError, HTTPClientError):
            pass
        except Exception as error:
            if not started and not self._client_gone:
                self._down(error)
                return
        if self._client_gone:
            return
        if not started:
            self._down("no answer")
            return
        self.finish()


class SchedulerProxyHandler(ServiceProxyHandler):
    """Forwards ``<base>/rtlakehouse/scheduler/<path>`` to the scheduler service (same token)."""

    service = "scheduler"
    # A run's output is a download: its file name comes along.
    response_headers = (*FORWARDED_RESPONSE_HEADERS, "Content-Disposition")

    def service_url(self):
        return self.rtl.scheduler_url

    @tornado.web.authenticated
    async def get(self, path):
        await self._forward("GET", path)

    @tornado.web.authenticated
    async def post(self, path):
        await self._forward("POST", path)

    @tornado.web.authenticated
    async def patch(self, path):
        await self._forward("PATCH", path)

    @tornado.web.authenticated
    async def delete(self, path):
        await self._forward("DELETE", path)

    def _on_response(self, response, content_type):
        if content_type.startswith("text/html"):
            # A run's HTML is the notebook authors' content: in a sandbox (its own opaque origin, no
            # access to Jupyter's cookies or API), framed only by JupyterLab itself.
            self.set_header("Content-Security-Policy", "sandbox allow-scripts allow-popups; frame-ancestors 'self'")


def setup_handlers(server_app) -> RtLakehouse:
    """Adds the proxy routes to the server's web app; returns the settings in force."""
    settings = RtLakehouse(config=server_app.config, parent=server_app)
    web_app = server_app.web_app
    base_url = web_app.settings["base_url"]
    route = url_path_join(base_url, "rtlakehouse", r"(api/.*|health)")
    scheduler_route = url_path_join(base_url, "rtlakehouse", "scheduler", r"(.*)")
    web_app.add_handlers(
        ".*$",
        [
            (scheduler_route, SchedulerProxyHandler, {"settings": settings}),
            (route, AssistantProxyHandler, {"settings": settings}),
        ],
    )
    return settings
