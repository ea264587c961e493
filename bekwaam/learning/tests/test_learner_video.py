"""learning.video.video_embed: YouTube and Vimeo become their players, https video files a <video>, any
other http(s) link a link, and anything that is not http(s) nothing at all."""

from __future__ import annotations

import pytest

from bekwaam.learning.video import video_embed


@pytest.mark.parametrize(
    ("url", "src"),
    [
        ("https://www.youtube.com/watch?v=dQw4w9WgXcQ", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"),
        ("http://youtube.com/watch?feature=share&v=dQw4w9WgXcQ", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"),
        (
            "https://m.youtube.com/watch?v=dQw4w9WgXcQ&t=90s",
            "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?start=90",
        ),
        ("https://youtu.be/dQw4w9WgXcQ", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"),
        ("https://youtu.be/dQw4w9WgXcQ?t=42", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?start=42"),
        ("https://www.youtube.com/embed/dQw4w9WgXcQ", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"),
        ("https://www.youtube.com/shorts/dQw4w9WgXcQ", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"),
        ("https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"),
        ("  https://WWW.YOUTUBE.COM/watch?v=dQw4w9WgXcQ  ", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"),
    ],
)
def test_it_embeds_youtube_without_cookies(url: str, src: str) -> None:
    assert video_embed(url) == {"kind": "youtube", "src": src}


@pytest.mark.parametrize(
    ("url", "src"),
    [
        ("https://vimeo.com/76979871", "https://player.vimeo.com/video/76979871"),
        ("https://player.vimeo.com/video/76979871", "https://player.vimeo.com/video/76979871"),
        ("https://vimeo.com/channels/staffpicks/76979871", "https://player.vimeo.com/video/76979871"),
        ("https://vimeo.com/76979871/a1b2c3d4e5", "https://player.vimeo.com/video/76979871?h=a1b2c3d4e5"),
    ],
)
def test_it_embeds_vimeo(url: str, src: str) -> None:
    assert video_embed(url) == {"kind": "vimeo", "src": src}


def test_it_plays_https_video_files_in_the_browser() -> None:
    assert video_embed("https://cdn.example.org/les/intro.MP4") == {
        "kind": "file",
        "src": "https://cdn.example.org/les/intro.MP4",
        "type": "video/mp4",
    }
    assert video_embed("https://cdn.example.org/intro.webm?x=1") == {
        "kind": "file",
        "src": "https://cdn.example.org/intro.webm?x=1",
        "type": "video/webm",
    }


@pytest.mark.parametrize(
    "url",
    [
        "https://example.org/lessen/video",
        "http://example.org/intro.mp4",  # plain http: the CSP's media-src takes https only, so a link
        "https://www.youtube.com/watch?v=te-kort",  # not a video id: a link to the page
        "https://www.youtube.com/@kanaal",
        "https://vimeo.com/about",
    ],
)
def test_it_links_other_http_addresses(url: str) -> None:
    assert video_embed(url) == {"kind": "link", "url": url.strip()}


@pytest.mark.parametrize(
    "url",
    [
        "",
        "   ",
        "javascript:alert(1)",
        " JaVaScRiPt:alert(1)",
        "java\tscript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "data:video/mp4;base64,AAAA",
        "ftp://example.org/intro.mp4",
        "file:///etc/passwd",
        "vbscript:msgbox(1)",
        "//www.youtube.com/watch?v=dQw4w9WgXcQ",
        "youtube.com/watch?v=dQw4w9WgXcQ",
        "https://",
        "https://user:secret@example.org/video",
        "https://example.org/a b",
        "https://example.org/\x00",
        "https://[::1/",
        "https://example.org/" + "a" * 2100,
    ],
)
def test_it_shows_nothing_for_what_is_not_http(url: str) -> None:
    assert video_embed(url) is None
