"""HTML → PDF (WeasyPrint) for evidence exports and reports.

Documents are rendered from the app's own templates; nothing is fetched from outside: images and fonts
must be inline or system fonts (Chinese text needs a CJK font on the machine, e.g. WenQuanYi Micro Hei).
"""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string

PRINT_CSS = """
@page {
  size: A4; margin: 18mm 16mm 20mm;
  @bottom-right { content: counter(page) " / " counter(pages); font-size: 8pt; }
}
body {
  font-family: "Noto Sans", "DejaVu Sans", "WenQuanYi Micro Hei", sans-serif;
  font-size: 10pt; color: #1b2733;
}
h1 { font-size: 18pt; margin: 0 0 4mm; }
h2 { font-size: 13pt; margin: 6mm 0 2mm; border-bottom: 1px solid #ccd; }
table { border-collapse: collapse; width: 100%; margin: 2mm 0 4mm; }
th, td { border: 1px solid #ccd; padding: 1.5mm 2mm; text-align: left; vertical-align: top; font-size: 9pt; }
th { background: #eef1f5; }
.muted { color: #667; } .met { color: #176a2c; } .gap { color: #a11; }
"""


def html_to_pdf(html: str) -> bytes:
    """Render a complete HTML document to PDF bytes. External URLs are refused, so a report never
    reaches out of the server while printing."""
    from weasyprint import CSS, HTML

    def no_fetch(url: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
        raise ValueError(f"external resources are not loaded when printing: {url}")

    return bytes(HTML(string=html, url_fetcher=no_fetch).write_pdf(stylesheets=[CSS(string=PRINT_CSS)]))


def template_to_pdf(template: str, context: dict[str, Any]) -> bytes:
    return html_to_pdf(render_to_string(template, context))
