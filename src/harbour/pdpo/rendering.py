"""Notice text is Markdown written by an officer: rendered with raw HTML escaped, never passed through."""

from __future__ import annotations

from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

_MARKDOWN = MarkdownIt("commonmark", {"html": False})


def markdown_html(text: str) -> SafeString:
    return mark_safe(_MARKDOWN.render(text))  # noqa: S308  (html disabled: raw HTML in the text is escaped)
