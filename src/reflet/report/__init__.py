"""Reports: a self-contained HTML page and a JSON document, from findings and the store.

The report reads only findings and the store. It loads nothing from the
network: styles and scripts are inlined, and the page's Content-Security-Policy
forbids any fetch.
"""

from __future__ import annotations

from .render import write_reports

__all__ = ["write_reports"]
