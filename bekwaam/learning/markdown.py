"""Lesson text: Markdown in, safe HTML out.

Two layers, so one mistake is not enough for a script to reach a learner:
1. markdown-it-py parses CommonMark with raw HTML switched off: `<script>` and any other tag in the text
   is shown as text. Its link check refuses javascript:, vbscript:, file: and data: links.
2. nh3 (the ammonia sanitiser) then keeps only the tags and attributes below, links only with http(s) and
   mailto, images only from this site (a path starting with "/": uploaded lesson material), and adds
   rel="noopener noreferrer" to links. The Content-Security-Policy (img-src 'self') is the third guard.
"""

from __future__ import annotations

from functools import lru_cache

import nh3
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

ALLOWED_TAGS = {
    "p", "br", "hr", "h2", "h3", "h4", "strong", "em", "code", "pre", "blockquote",
    "ul", "ol", "li", "a", "img", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "title"}, "th": {"align"}, "td": {"align"}}
MAX_LENGTH = 100_000


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    # "commonmark" with html off; tables on (teachers use them). Headings start at h2: the page has the h1.
    return MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")


def _attribute_filter(tag: str, attribute: str, value: str) -> str | None:
    if tag == "img" and attribute == "src":
        # Only this site's own files (lesson material); "//host" is another site.
        return value if value.startswith("/") and not value.startswith("//") else None
    return value


def render(text: str) -> SafeString:
    """The lesson's Markdown as HTML that is safe to put in a page."""
    html = _parser().render(text[:MAX_LENGTH])
    html = html.replace("<h1>", "<h2>").replace("</h1>", "</h2>")
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
        attribute_filter=_attribute_filter,
        strip_comments=True,
    )
    return mark_safe(cleaned)  # noqa: S308  # sanitised by nh3 just above
