"""RT-Lakehouse for JupyterLab: the prebuilt labextension and a server extension that proxies
the assistant API to the Lab origin (``<base>/rtlakehouse/...``)."""

from .handlers import setup_handlers

__version__ = "0.1.0"


def _jupyter_labextension_paths():
    return [{"src": "labextension", "dest": "@rt-lakehouse/extension"}]


def _jupyter_server_extension_points():
    return [{"module": "rt_lakehouse_extension"}]


def _load_jupyter_server_extension(server_app):
    """Registers the proxy handlers on the Jupyter server."""
    settings = setup_handlers(server_app)
    server_app.log.info(
        "rt_lakehouse_extension: proxying %s/rtlakehouse/ to %s (token %s)",
        server_app.base_url.rstrip("/"),
        settings.assistant_url,
        "set" if settings.api_token else "not set",
    )
