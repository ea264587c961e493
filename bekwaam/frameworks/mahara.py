"""Mahara SmartEvidence `.matrix` files, converted to the Bekwaam framework format (docs/frameworks.md).

A .matrix file is JSON: {"framework": {"name", "description", "institution", "selfassess",
"evidencestatuses", "standards": […], "standardelements": […]}}. Mahara 16.10+ writes standards and
elements as two lists joined by `standardid`, with sub-elements pointing at their parent's
`elementid` through `parentelementid`; older files nest the elements under each standard as
"standardelement". Both are read.

Mapping: a standard becomes a domain, a top-level element a competence, and every element below it
(at any depth) an indicator of that competence. A competence without sub-elements gets one
indicator with its own text, because a measurement rates indicators. Evidence statuses become the
rating scale (see `_scale`), else Bekwaam's default four-level scale. Mahara's HTML descriptions
become plain text. Codes come from `elementid`/`shortname` where they fit, else are generated; the
result goes through the same checks as a Bekwaam file (schema.parse).
"""

from __future__ import annotations

import html
import re
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.html import strip_tags
from django.utils.text import slugify
from django.utils.translation import gettext as _

from bekwaam.frameworks import schema
from bekwaam.frameworks.models import Audience

# Bekwaam's default scale (docs/frameworks.md), used when a matrix has no usable evidence statuses.
DEFAULT_SCALE_NAME = "Bekwaamheidsniveau"
DEFAULT_SCALE = (
    (1, "Beginnend", "Ik ken dit onderdeel en pas het met hulp of in eenvoudige situaties toe."),
    (2, "In ontwikkeling", "Ik pas dit zelfstandig toe in bekende situaties, maar nog niet altijd consequent."),
    (3, "Bekwaam", "Ik handel hier consequent en zelfstandig naar, ook in nieuwe situaties."),
    (4, "Excellent", "Ik handel hier aantoonbaar boven de eis en ben hierin een voorbeeld voor anderen."),
)

# Mahara's evidence statuses (module/framework/lib.php): a key name or its number. "begun" means
# "ready for assessment", a step in Mahara's workflow rather than a level, so it is left out; the
# other three are the assessor's judgement, lowest first.
_STATUS_KEYS = {"begun": 0, "0": 0, "incomplete": 1, "1": 1, "partialcomplete": 2, "2": 2, "completed": 3, "3": 3}
_DEFAULT_STATUS_LABELS = {1: "Voldoet niet", 2: "Voldoet gedeeltelijk", 3: "Voldoet"}

_SPACE = re.compile(r"\s+")


def is_matrix(data: Any) -> bool:
    """True for a decoded file that looks like a Mahara matrix (a "framework" object at the top)."""
    return isinstance(data, dict) and isinstance(data.get("framework"), dict) and "schema" not in data


def plain(value: Any, limit: int = schema.MAX_TEXT) -> str:
    """Mahara's (HTML) text as one plain line: tags dropped, entities decoded, whitespace collapsed."""
    if value is None or isinstance(value, bool | dict | list):
        return ""
    text = html.unescape(strip_tags(str(value).replace("</li>", "; ").replace("<br", "\n<br")))
    text = _SPACE.sub(" ", text).strip().rstrip(";").strip()
    return text[:limit]


def _key(value: Any) -> str | None:
    """An id from the file (standardid, elementid, parentelementid) as text; None when absent."""
    if value is None or value == "" or isinstance(value, bool | dict | list):
        return None
    return str(value).strip() or None


class _Codes:
    """Codes unique within one scope: the file's own where they fit, else generated ones."""

    def __init__(self) -> None:
        self.taken: set[str] = set()

    def take(self, candidate: str, fallback: str) -> str:
        code = candidate.strip()
        if not code or len(code) > schema.CODE_MAX or code.casefold() in self.taken:
            code = fallback
        base, n = code, 2
        while code.casefold() in self.taken:
            suffix = f"-{n}"
            code = base[: schema.CODE_MAX - len(suffix)] + suffix
            n += 1
        self.taken.add(code.casefold())
        return code


def _scale(statuses: Any) -> tuple[str, list[dict[str, Any]]]:
    """The rating scale from Mahara's evidence statuses, or the default scale.

    Statuses are a list of one-key objects ({"completed": "Meets the standard"}). The judgement
    statuses (incomplete, partially complete, completed) become levels 1 to 3 with the file's labels;
    with fewer than two of them there is no scale to speak of and the default is used.
    """
    found: dict[int, str] = {}
    if isinstance(statuses, list):
        for entry in statuses:
            if not isinstance(entry, dict) or len(entry) != 1:
                continue
            ((key, label),) = entry.items()
            number = _STATUS_KEYS.get(str(key).strip().lower())
            if number:
                found[number] = plain(label, schema.LABEL_MAX) or _DEFAULT_STATUS_LABELS[number]
    if len(found) < 2:
        return DEFAULT_SCALE_NAME, [{"value": v, "label": label, "description": d} for v, label, d in DEFAULT_SCALE]
    return "Mahara SmartEvidence", [
        {"value": value, "label": found[number], "description": ""}
        for value, number in enumerate(sorted(found), start=1)
    ]


def _elements_by_standard(framework: dict[str, Any], standards: list[Any]) -> dict[int, list[dict[str, Any]]]:
    """Each standard's elements (by its position in `standards`), from either file layout."""
    by_position: dict[int, list[dict[str, Any]]] = {i: [] for i in range(len(standards))}
    flat = framework.get("standardelements")
    if isinstance(flat, list):
        position_of: dict[str, int] = {}
        for i, standard in enumerate(standards):
            key = _key(standard.get("standardid")) if isinstance(standard, dict) else None
            if key is not None:
                position_of.setdefault(key, i)
        for element in flat:
            if isinstance(element, dict):
                position = position_of.get(_key(element.get("standardid")) or "")
                if position is not None:
                    by_position[position].append(element)
    for i, standard in enumerate(standards):
        nested = standard.get("standardelement") if isinstance(standard, dict) else None
        if isinstance(nested, list):
            # The old layout marks a sub-element with "parent": true; it belongs to the element before it.
            last_top: str | None = None
            for n, element in enumerate(nested):
                if not isinstance(element, dict):
                    continue
                element = dict(element)
                element.setdefault("elementid", element.get("shortname") or f"{i}.{n}")
                if element.get("parent") is True and last_top is not None:
                    element.setdefault("parentelementid", last_top)
                else:
                    last_top = _key(element["elementid"])
                by_position[i].append(element)
    return by_position


def _top_of(element_id: str, parents: dict[str, str | None]) -> str:
    """The top-level ancestor of an element (a loop in the file stops at the element where it closes)."""
    seen = {element_id}
    current = element_id
    while (parent := parents.get(current)) is not None and parent in parents and parent not in seen:
        seen.add(parent)
        current = parent
    return current


def matrix_to_data(data: Any, *, slug: str = "") -> dict[str, Any]:
    """A decoded .matrix file as a Bekwaam framework file with one version (still to be checked by parse)."""
    if not is_matrix(data):
        raise ValidationError(_('This is not a Mahara matrix file: it has no "framework" object.'))
    framework: dict[str, Any] = data["framework"]
    name = plain(framework.get("name"), schema.NAME_MAX)
    if not name:
        raise ValidationError(_("The matrix file has no name for its framework."))
    standards = framework.get("standards")
    if not isinstance(standards, list) or not standards:
        raise ValidationError(_("The matrix file has no standards."))
    if len(standards) > schema.MAX_DOMAINS:
        raise ValidationError(_("Too many standards (at most %(max)s).") % {"max": schema.MAX_DOMAINS})

    elements = _elements_by_standard(framework, standards)
    domain_codes, competence_codes = _Codes(), _Codes()
    domains: list[dict[str, Any]] = []
    for i, standard in enumerate(standards):
        if not isinstance(standard, dict):
            raise ValidationError(_("Standard %(number)s is not an object.") % {"number": i + 1})
        shortname = plain(standard.get("shortname"), 200)
        domain: dict[str, Any] = {
            "code": domain_codes.take(shortname, f"S{i + 1}"),
            "name": plain(standard.get("name"), schema.DOMAIN_NAME_MAX) or shortname or f"Standaard {i + 1}",
            "description": plain(standard.get("description")),
            "competences": [],
        }
        domains.append(domain)
        own = elements[i]
        ids: list[str] = []
        parents: dict[str, str | None] = {}
        for n, element in enumerate(own):
            element_id = _key(element.get("elementid")) or f"#{n}"
            ids.append(element_id)
            parents.setdefault(element_id, _key(element.get("parentelementid")))
        competences: dict[str, dict[str, Any]] = {}
        subs: dict[str, list[dict[str, Any]]] = {}
        for element, element_id in zip(own, ids, strict=True):
            top = _top_of(element_id, parents)
            if _top_of(top, parents) != top:  # a loop of parents: no element in it is below another
                top = element_id
            if top == element_id and element_id not in competences:
                element_short = plain(element.get("shortname"), 200)
                code = competence_codes.take(
                    element_id if not element_id.startswith("#") else element_short,
                    f"{domain['code'][:20]}.{len(competences) + 1}",
                )
                element_name = plain(element.get("name"), schema.COMPETENCE_NAME_MAX) or element_short or code
                competences[element_id] = {
                    "code": code,
                    "name": element_name,
                    "description": plain(element.get("description")),
                    "indicators": [],
                }
                subs.setdefault(element_id, [])
            else:
                subs.setdefault(top, []).append(element)
        for element_id, competence in competences.items():
            indicator_codes = _Codes()
            for n, sub in enumerate(subs.get(element_id, []), start=1):
                sub_name = plain(sub.get("name")) or plain(sub.get("shortname"))
                sub_description = plain(sub.get("description"))
                text = f"{sub_name}: {sub_description}" if sub_name and sub_description else sub_name or sub_description
                competence["indicators"].append(
                    {
                        "code": indicator_codes.take(
                            _key(sub.get("elementid")) or plain(sub.get("shortname")), f"{competence['code']}.{n}"
                        ),
                        "text": (text or competence["name"])[: schema.MAX_TEXT],
                    }
                )
            if not competence["indicators"]:
                # Rated as a whole: one indicator with the competence's own text.
                competence["indicators"].append(
                    {"code": competence["code"], "text": competence["description"] or competence["name"]}
                )
            domain["competences"].append(competence)

    scale_name, scale = _scale(framework.get("evidencestatuses"))
    source = _("Imported from a Mahara SmartEvidence matrix")
    institution = plain(framework.get("institution"), 100)
    if institution and institution != "all":
        source += f" ({institution})"
    description = plain(framework.get("description"))
    return {
        "schema": schema.SCHEMA,
        "schema_version": schema.SCHEMA_VERSION,
        "slug": (slug or slugify(name) or "mahara")[: schema.SLUG_MAX],
        "name": name,
        "audience": Audience.TEACHERS,
        "source": f"{source}. {description}".strip()[: schema.MAX_TEXT] if description else source + ".",
        "versions": [
            {"label": "Mahara", "notes": "", "scale_name": scale_name, "scale": scale, "domains": domains},
        ],
    }
