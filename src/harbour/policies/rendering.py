"""Policy text is Markdown written by the company's officers: rendered with raw HTML switched off, so a
``<script>`` in a policy shows as text and never runs."""

from __future__ import annotations

from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

_MARKDOWN = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})


def render_markdown(text: str) -> SafeString:
    """HTML for a policy body: CommonMark with every raw HTML tag escaped."""
    return mark_safe(_MARKDOWN.render(text or ""))  # noqa: S308  (html=False: markdown-it escapes raw HTML)
