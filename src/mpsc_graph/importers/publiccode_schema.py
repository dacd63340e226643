"""The part of the publiccode.yml standard this importer checks: versions, mandatory keys, types, enumerations.

A file that breaks one of these rules is refused as a whole with an error naming the key (as a path
such as ``maintenance/contractors[0]/until``) and, where YAML tells it, the line. Keys the importer
does not use are not checked beyond being readable YAML; unknown keys are allowed (country extensions).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any

import yaml

from .. import safeyaml
from ..errors import InputError

SUPPORTED_VERSIONS = ("0", "0.2", "0.3", "0.4", "0.5", "0.6", "0.7")
DEVELOPMENT_STATUSES = ("concept", "development", "beta", "stable", "obsolete")
SOFTWARE_TYPES = (
    "standalone/mobile", "standalone/iot", "standalone/desktop", "standalone/web", "standalone/backend",
    "standalone/other", "addon", "library", "configurationFiles",
)
MAINTENANCE_TYPES = ("internal", "contract", "community", "none")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_URI = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:\S+$")
_WEB = re.compile(r"^https?://\S+$", re.IGNORECASE)


class PubliccodeInvalid(InputError):
    """A publiccode.yml that breaks the standard: refused, nothing is written."""


def load_yaml(text: str, origin: str) -> tuple[Any, dict[str, int]]:
    """Parse YAML with the project's bounded loader and remember the line of every key path (for error messages)."""
    try:
        data, node = safeyaml.load_yaml(text, origin)
    except safeyaml.YamlRefused as exc:
        raise PubliccodeInvalid(exc.problem, path=origin, line=exc.line) from None
    lines: dict[str, int] = {}
    if node is not None:
        _record_lines(node, "", lines)
    return data, lines


def _record_lines(node: yaml.Node, path: str, lines: dict[str, int]) -> None:
    lines.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            child = f"{path}/{key.value}" if path else str(key.value)
            lines[child] = key.start_mark.line + 1
            _record_lines(value, child, lines)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _record_lines(item, f"{path}[{index}]", lines)


class Checker:
    """Walks a parsed publiccode.yml and raises on the first broken rule, naming key and line."""

    def __init__(self, origin: str, lines: Mapping[str, int]) -> None:
        self.origin = origin
        self.lines = lines

    def fail(self, key: str, message: str) -> PubliccodeInvalid:
        return PubliccodeInvalid(f"key '{key}': {message}", path=self.origin, line=self.lines.get(key))

    def mapping(self, value: Any, key: str) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise self.fail(key, f"must be a mapping of keys, not {_kind(value)}")
        return value

    def string(self, data: Mapping[str, Any], key: str, path: str, *, required: bool = False) -> str | None:
        if key not in data or data[key] is None:
            if required:
                raise self.fail(path, "is mandatory and missing")
            return None
        value = data[key]
        if not isinstance(value, str) or not value.strip():
            raise self.fail(path, f"must be a non-empty string, not {_kind(value)}")
        return value

    def uri(self, data: Mapping[str, Any], key: str, path: str, *, required: bool = False,
            web: bool = False) -> str | None:
        """A URI; with ``web``, an http(s) URL (the value becomes a link on pages: no javascript: or data:)."""
        value = self.string(data, key, path, required=required)
        if value is not None and not _URI.match(value.strip()):
            raise self.fail(path, f"must be a URL or URI, not '{value}'")
        if value is not None and web and not _WEB.match(value.strip()):
            raise self.fail(path, f"must be an http or https URL, not '{value}'")
        return value

    def enum(self, data: Mapping[str, Any], key: str, path: str, allowed: tuple[str, ...]) -> str:
        value = self.string(data, key, path, required=True)
        if value not in allowed:
            raise self.fail(path, f"'{value}' is not one of {', '.join(allowed)}")
        return value

    def date(self, data: Mapping[str, Any], key: str, path: str, *, required: bool = False) -> dt.date | None:
        if key not in data or data[key] is None:
            if required:
                raise self.fail(path, "is mandatory and missing")
            return None
        value = data[key]
        if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            return value
        if isinstance(value, str) and _DATE.match(value):
            try:
                return dt.date.fromisoformat(value)
            except ValueError:
                pass
        raise self.fail(path, f"must be a date YYYY-MM-DD, not {value!r}")

    def strings(self, data: Mapping[str, Any], key: str, path: str, *, required: bool = False,
                single_ok: bool = False) -> list[str]:
        if key not in data or data[key] is None:
            if required:
                raise self.fail(path, "is mandatory and missing")
            return []
        value = data[key]
        if single_ok and isinstance(value, str):
            value = [value]
        if not isinstance(value, list):
            raise self.fail(path, f"must be a list of strings, not {_kind(value)}")
        for index, item in enumerate(value):
            if not isinstance(item, str) or not item.strip():
                raise self.fail(f"{path}[{index}]", f"must be a non-empty string, not {_kind(item)}")
        return value

    def objects(self, data: Mapping[str, Any], key: str, path: str, *, required: bool = False) -> list[dict[str, Any]]:
        if key not in data or data[key] is None:
            if required:
                raise self.fail(path, "is mandatory and missing")
            return []
        value = data[key]
        if not isinstance(value, list):
            raise self.fail(path, f"must be a list, not {_kind(value)}")
        return [self.mapping(item, f"{path}[{index}]") for index, item in enumerate(value)]

    def boolean(self, data: Mapping[str, Any], key: str, path: str) -> bool:
        if key not in data:
            raise self.fail(path, "is mandatory and missing")
        if not isinstance(data[key], bool):
            raise self.fail(path, f"must be true or false, not {_kind(data[key])}")
        return data[key]


def check(data: Any, origin: str, lines: Mapping[str, int]) -> list[str]:
    """Refuse a file that breaks the standard; return warnings for recommended keys that are missing."""
    c = Checker(origin, lines)
    if not isinstance(data, dict):
        raise PubliccodeInvalid(f"a publiccode.yml must be a mapping of keys, not {_kind(data)}", path=origin)
    version = data.get("publiccodeYmlVersion")
    if version is None:
        raise c.fail("publiccodeYmlVersion", "is mandatory and missing")
    if not isinstance(version, str):
        raise c.fail("publiccodeYmlVersion",
                     f"must be a string such as \"0.4\" (quoted), not {_kind(version)} {version!r}")
    if version not in SUPPORTED_VERSIONS:
        supported = ", ".join(SUPPORTED_VERSIONS)
        raise c.fail("publiccodeYmlVersion", f"unknown version '{version}' (supported: {supported})")
    warnings: list[str] = []
    c.string(data, "name", "name", required=True)
    c.uri(data, "url", "url", required=True, web=True)
    c.uri(data, "landingURL", "landingURL", web=True)
    c.uri(data, "roadmap", "roadmap")
    for index, value in enumerate(c.strings(data, "isBasedOn", "isBasedOn", single_ok=True)):
        if not _WEB.match(value.strip()):
            raise c.fail(f"isBasedOn[{index}]" if isinstance(data["isBasedOn"], list) else "isBasedOn",
                         f"must be the http or https URL of the original repository, not '{value}'")
    c.string(data, "applicationSuite", "applicationSuite")
    c.string(data, "softwareVersion", "softwareVersion")
    c.date(data, "releaseDate", "releaseDate")
    c.strings(data, "platforms", "platforms", required=True, single_ok=True)
    c.strings(data, "categories", "categories")
    c.strings(data, "usedBy", "usedBy")
    for index, funder in enumerate(c.objects(data, "fundedBy", "fundedBy")):
        c.string(funder, "name", f"fundedBy[{index}]/name", required=True)
        c.uri(funder, "uri", f"fundedBy[{index}]/uri")
    c.enum(data, "developmentStatus", "developmentStatus", DEVELOPMENT_STATUSES)
    c.enum(data, "softwareType", "softwareType", SOFTWARE_TYPES)
    _check_description(c, data, warnings)
    legal = c.mapping(data.get("legal"), "legal") if "legal" in data else None
    if legal is None:
        raise c.fail("legal", "is mandatory and missing")
    c.string(legal, "license", "legal/license", required=True)
    for key in ("mainCopyrightOwner", "repoOwner", "authorsFile"):
        c.string(legal, key, f"legal/{key}")
    _check_maintenance(c, data)
    if "localisation" not in data:
        raise c.fail("localisation", "is mandatory and missing")
    localisation = c.mapping(data["localisation"], "localisation")
    c.boolean(localisation, "localisationReady", "localisation/localisationReady")
    c.strings(localisation, "availableLanguages", "localisation/availableLanguages", required=True)
    if "organisation" in data:
        organisation = c.mapping(data["organisation"], "organisation")
        c.uri(organisation, "uri", "organisation/uri", required=True)
        c.string(organisation, "name", "organisation/name")
    return warnings


def _check_description(c: Checker, data: Mapping[str, Any], warnings: list[str]) -> None:
    if "description" not in data:
        raise c.fail("description", "is mandatory and missing (at least one language)")
    description = c.mapping(data["description"], "description")
    if not description:
        raise c.fail("description", "needs at least one language section")
    has_long = has_features = False
    for lang, section in description.items():
        path = f"description/{lang}"
        if not isinstance(lang, str) or not re.fullmatch(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*", lang):
            raise c.fail(path, f"'{lang}' is not a BCP 47 language tag")
        section = c.mapping(section, path)
        c.string(section, "shortDescription", f"{path}/shortDescription", required=True)
        for key in ("localisedName", "genericName", "longDescription", "documentation", "apiDocumentation"):
            c.string(section, key, f"{path}/{key}")
        for key in ("features", "screenshots", "videos", "awards"):
            c.strings(section, key, f"{path}/{key}")
        has_long = has_long or "longDescription" in section
        has_features = has_features or "features" in section
    if not has_long:
        warnings.append("description: no language has a longDescription (the standard asks for one)")
    if not has_features:
        warnings.append("description: no language lists features (the standard asks for them)")


def _check_maintenance(c: Checker, data: Mapping[str, Any]) -> None:
    if "maintenance" not in data:
        raise c.fail("maintenance", "is mandatory and missing")
    maintenance = c.mapping(data["maintenance"], "maintenance")
    kind = c.enum(maintenance, "type", "maintenance/type", MAINTENANCE_TYPES)
    contractors = c.objects(maintenance, "contractors", "maintenance/contractors", required=kind == "contract")
    if contractors and kind != "contract":
        raise c.fail("maintenance/contractors", f"must not be present when maintenance/type is '{kind}'")
    for index, contractor in enumerate(contractors):
        path = f"maintenance/contractors[{index}]"
        c.string(contractor, "name", f"{path}/name", required=True)
        c.date(contractor, "until", f"{path}/until", required=True)
        c.uri(contractor, "website", f"{path}/website")
    # Contacts are people: only their presence and shape are checked; their content is never read further.
    contacts = c.objects(maintenance, "contacts", "maintenance/contacts", required=kind in ("internal", "community"))
    for index, contact in enumerate(contacts):
        c.string(contact, "name", f"maintenance/contacts[{index}]/name", required=True)


def _kind(value: Any) -> str:
    if value is None:
        return "nothing"
    return {dict: "a mapping", list: "a list", str: "a string", bool: "a boolean", int: "a number",
            float: "a number"}.get(type(value), type(value).__name__)
