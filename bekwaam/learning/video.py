"""A lesson's video link, turned into what the lesson page may show (docs/learning.md, "Video").

Only http(s) links are ever shown; anything else (javascript:, data:, ftp:, a bare word) gives nothing.
- YouTube → its privacy-enhanced player (www.youtube-nocookie.com/embed/<id>) in an iframe;
- Vimeo → its player (player.vimeo.com/video/<id>) in an iframe;
- an https link to an .mp4 or .webm file → the browser's own <video controls>;
- any other http(s) link (including a video file over plain http, which the Content-Security-Policy's
  media-src would block) → a plain link that opens the page elsewhere.
The frame and media sources are the ones the Content-Security-Policy allows (settings.CONTENT_SECURITY_POLICY).
"""

from __future__ import annotations

import re
from typing import Final
from urllib.parse import parse_qs, urlencode, urlsplit

YOUTUBE_EMBED: Final = "https://www.youtube-nocookie.com/embed/"
VIMEO_EMBED: Final = "https://player.vimeo.com/video/"
MAX_LENGTH: Final = 2000

_YOUTUBE_HOSTS: Final = frozenset(
    {"youtube.com", "www.youtube.com", "m.youtube.com", "youtube-nocookie.com", "www.youtube-nocookie.com"}
)
_YOUTUBE_SHORT_HOSTS: Final = frozenset({"youtu.be", "www.youtu.be"})
_VIMEO_HOSTS: Final = frozenset({"vimeo.com", "www.vimeo.com", "player.vimeo.com"})
_YOUTUBE_ID: Final = re.compile(r"[A-Za-z0-9_-]{11}")
_YOUTUBE_PATHS: Final = re.compile(r"/(?:embed|shorts|live|v)/([A-Za-z0-9_-]{11})/?")
_VIMEO_PATH: Final = re.compile(
    r"/(?:video/|channels/[\w-]+/|groups/[\w-]+/videos/)?(\d{1,12})(?:/([0-9a-f]{6,20}))?/?"
)
_SECONDS: Final = re.compile(r"(\d{1,6})s?")
_FILE_TYPES: Final = {".mp4": "video/mp4", ".webm": "video/webm"}
# Whitespace or control characters inside a link: never a link a person typed on purpose.
_UNSAFE: Final = re.compile(r"[\x00-\x20\x7f]")


def _start_seconds(query: dict[str, list[str]]) -> int | None:
    for name in ("t", "start"):
        for value in query.get(name, []):
            match = _SECONDS.fullmatch(value)
            if match:
                return int(match.group(1))
    return None


def _youtube(host: str, path: str, query: dict[str, list[str]]) -> str | None:
    video_id = ""
    if host in _YOUTUBE_SHORT_HOSTS:
        candidate = path.strip("/")
        video_id = candidate if _YOUTUBE_ID.fullmatch(candidate) else ""
    elif path in ("/watch", "/watch/"):
        candidate = (query.get("v") or [""])[0]
        video_id = candidate if _YOUTUBE_ID.fullmatch(candidate) else ""
    else:
        match = _YOUTUBE_PATHS.fullmatch(path)
        video_id = match.group(1) if match else ""
    if not video_id:
        return None
    start = _start_seconds(query)
    return f"{YOUTUBE_EMBED}{video_id}" + (f"?{urlencode({'start': start})}" if start else "")


def _vimeo(path: str) -> str | None:
    match = _VIMEO_PATH.fullmatch(path)
    if match is None:
        return None
    video_id, unlisted_hash = match.groups()
    return f"{VIMEO_EMBED}{video_id}" + (f"?{urlencode({'h': unlisted_hash})}" if unlisted_hash else "")


def video_embed(url: str) -> dict[str, str] | None:
    """What to show for a lesson's video link: {"kind": "youtube" | "vimeo", "src"} (an iframe),
    {"kind": "file", "src", "type"} (a <video>), {"kind": "link", "url"}, or None (nothing at all)."""
    url = (url or "").strip()
    if not url or len(url) > MAX_LENGTH or _UNSAFE.search(url):
        return None
    try:
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
    except ValueError:  # a malformed address (an unclosed IPv6 bracket, a bad port)
        return None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https") or not host or parts.username or parts.password:
        return None
    query = parse_qs(parts.query)
    if host in _YOUTUBE_HOSTS or host in _YOUTUBE_SHORT_HOSTS:
        src = _youtube(host, parts.path, query)
        if src:
            return {"kind": "youtube", "src": src}
    elif host in _VIMEO_HOSTS:
        src = _vimeo(parts.path)
        if src:
            return {"kind": "vimeo", "src": src}
    extension = parts.path.lower()[parts.path.rfind(".") :] if "." in parts.path else ""
    if scheme == "https" and extension in _FILE_TYPES:
        return {"kind": "file", "src": url, "type": _FILE_TYPES[extension]}
    return {"kind": "link", "url": url}
