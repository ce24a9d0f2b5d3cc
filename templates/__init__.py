"""The jinja templates (data every layer may read) and the one environment that renders them."""

from __future__ import annotations

from pathlib import Path

import jinja2

FOLDER = Path(__file__).resolve().parent  # the same in the source tree and in an installed package


def environment() -> jinja2.Environment:
    """The templates' environment: output kept byte for byte (trailing newline, no escaping), and a
    missing variable raises instead of rendering empty."""
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(FOLDER)),
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
        autoescape=False,
    )
