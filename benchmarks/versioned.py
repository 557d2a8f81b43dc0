"""Versioned data: a data file (the monitor's tables, the item bank, the instrument library)
loaded into the database as one version with its rows.

Every kind is loaded the same way: read the file, parse and check all of it, and only then store
it in one transaction: insert the version or update it in place, update or add its rows, and
prune the rows the file no longer has. A file that fails a check is refused as a whole, and the
message names the file and the line. Loading the same file twice changes nothing. Rows other data
still points at (an answer to an item, under PROTECT) are never pruned: such a file is refused
and needs a new version.

Each kind supplies only a parser that turns the file into a `Version` (its key, the fields of the
version row and its unsaved rows) and a `DataKind` that says which models hold them.
"""

from __future__ import annotations

import bisect
import hashlib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import models, transaction
from django.db.models import ProtectedError
from django.utils import translation
from django.utils.translation import gettext_lazy as _


class DataFileError(ValueError):
    """A data file that cannot be loaded; the message names the file and the line."""

    def __init__(self, file: str, line: int, message: str) -> None:
        super().__init__(f"{file}, line {line}: {message}")
        self.file, self.line, self.message = file, line, message


class JsonObject(dict):
    """A JSON object that knows the line it starts on."""

    line: int = 0


class JsonArray(list):
    """A JSON array that knows the line it starts on."""

    line: int = 0


_WHITESPACE = re.compile(r"[ \t\n\r]*")
_SCALARS = json.JSONDecoder()


class _JsonWithLines:
    """A JSON parser that records where each object and array starts.

    Objects and arrays are walked here; every string, number, true, false and null is read by
    the standard library's documented `JSONDecoder.raw_decode`, so the values are exactly what
    `json.loads` gives. Syntax errors are `json.JSONDecodeError`, which carries the line.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self.newlines = [m.start() for m in re.finditer("\n", text)]

    def line(self, pos: int) -> int:
        return bisect.bisect_left(self.newlines, pos) + 1

    def skip(self, pos: int) -> int:
        return _WHITESPACE.match(self.text, pos).end()

    def fail(self, message: str, pos: int) -> json.JSONDecodeError:
        return json.JSONDecodeError(message, self.text, pos)

    def document(self) -> Any:
        value, pos = self.value(0)
        pos = self.skip(pos)
        if pos != len(self.text):
            raise self.fail("Extra data", pos)
        return value

    def value(self, pos: int) -> tuple[Any, int]:
        pos = self.skip(pos)
        if self.text.startswith("{", pos):
            return self.object(pos)
        if self.text.startswith("[", pos):
            return self.array(pos)
        return _SCALARS.raw_decode(self.text, pos)

    def object(self, start: int) -> tuple[JsonObject, int]:
        result = JsonObject()
        result.line = self.line(start)
        pos = self.skip(start + 1)
        if self.text.startswith("}", pos):
            return result, pos + 1
        while True:
            if not self.text.startswith('"', pos):
                raise self.fail("Expecting property name enclosed in double quotes", pos)
            key, pos = _SCALARS.raw_decode(self.text, pos)
            pos = self.skip(pos)
            if not self.text.startswith(":", pos):
                raise self.fail("Expecting ':' delimiter", pos)
            result[key], pos = self.value(pos + 1)
            pos = self.skip(pos)
            if self.text.startswith("}", pos):
                return result, pos + 1
            if not self.text.startswith(",", pos):
                raise self.fail("Expecting ',' delimiter", pos)
            pos = self.skip(pos + 1)

    def array(self, start: int) -> tuple[JsonArray, int]:
        result = JsonArray()
        result.line = self.line(start)
        pos = self.skip(start + 1)
        if self.text.startswith("]", pos):
            return result, pos + 1
        while True:
            item, pos = self.value(pos)
            result.append(item)
            pos = self.skip(pos)
            if self.text.startswith("]", pos):
                return result, pos + 1
            if not self.text.startswith(",", pos):
                raise self.fail("Expecting ',' delimiter", pos)
            pos += 1


@dataclass(frozen=True)
class DataFile:
    """The bytes of one data file and its name, for messages."""

    name: str
    raw: bytes

    @classmethod
    def read(cls, path: Path) -> DataFile:
        return cls(name=path.name, raw=path.read_bytes())

    def error(self, line: int, message: str) -> DataFileError:
        return DataFileError(self.name, line, message)

    @property
    def text(self) -> str:
        try:
            return self.raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = self.raw[: exc.start].count(b"\n") + 1
            raise self.error(line, "the file is not UTF-8 text") from None

    def json(self) -> Any:
        """The file as JSON; objects and arrays carry the `line` they start on."""
        try:
            return _JsonWithLines(self.text).document()
        except json.JSONDecodeError as exc:
            raise self.error(exc.lineno, f"not valid JSON: {exc.msg}") from None

    def require(self, data: Any, fields: tuple[str, ...], what: str) -> JsonObject:
        """`data` as a JSON object that has every one of `fields`, or an error at its line."""
        if not isinstance(data, JsonObject):
            line = getattr(data, "line", 1)
            raise self.error(line, f"{what} must be a JSON object")
        missing = [f for f in fields if f not in data]
        if missing:
            raise self.error(data.line, f"{what}: missing {', '.join(missing)}")
        return data

    def digest(self, fields: dict[str, Any]) -> str:
        """A digest of the file and of what the version row stores besides it."""
        extra = json.dumps(fields, sort_keys=True, ensure_ascii=False, default=str)
        return hashlib.sha256(self.raw + b"\0" + extra.encode("utf-8")).hexdigest()


class VersionedData(models.Model):
    """One loaded version of a data file; its rows point at it, and so may scans."""

    # The field that names a version: what settings and scans refer to.
    KEY_FIELD: ClassVar[str] = "version"

    version = models.CharField(_("version"), max_length=20, unique=True)
    title = models.CharField(_("title"), max_length=200)
    # A digest of the loaded file, so that loading the same file again changes nothing.
    content_hash = models.CharField(max_length=64, editable=False)
    # When this version was first loaded; a corrected file keeps it, so the newest stays newest.
    loaded_at = models.DateTimeField(_("loaded at"), auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["-loaded_at", "-id"]

    def __str__(self) -> str:
        return self.key

    @property
    def key(self) -> str:
        return getattr(self, self.KEY_FIELD)


@dataclass(frozen=True)
class Version:
    """A parsed and checked data file: the key, the version row's fields and the rows."""

    key: str
    fields: dict[str, Any]
    # (line in the file, unsaved row), in file order.
    rows: list[tuple[int, models.Model]]
    # Where the file names the version; the message points here when the file is refused as a
    # whole (for instance because it drops rows that are in use).
    line: int = 1
    # Where the rows start; the message points here when the rows as a whole are wrong.
    rows_line: int = 1


def parse_json_version(
    source: DataFile, *, rows: str, row: Callable[[JsonObject, int], models.Model]
) -> Version:
    """A JSON file {"version", "title", <rows>: [objects]} as a Version.

    `row` checks one object (given with its position, from 1) and returns the unsaved row, or
    raises the file's error at the object's line.
    """
    data = source.require(source.json(), ("version", "title", rows), "the file")
    objects = data[rows]
    if not isinstance(objects, JsonArray):
        raise source.error(data.line, f"{rows} must be a list")
    return Version(
        key=str(data["version"]),
        fields={"title": data["title"]},
        rows=[
            (obj.line, row(source.require(obj, (), f"each of the {rows}"), position))
            for position, obj in enumerate(objects, start=1)
        ],
        line=data.line,
        rows_line=objects.line,
    )


@dataclass(frozen=True)
class DataKind:
    """Which models hold one kind of versioned data, and what identifies a row in a version."""

    label: str  # in messages: "item bank"
    model: type[VersionedData]
    row_model: type[models.Model]
    parent_field: str  # the rows' foreign key to the version
    row_key: tuple[str, ...]  # unique within a version

    def row_fields(self) -> list[str]:
        """The row fields a load writes: all but the primary key and the version."""
        return [
            f.name
            for f in self.row_model._meta.concrete_fields
            if not f.primary_key and f.name != self.parent_field
        ]


@dataclass(frozen=True)
class LoadResult:
    """What loading one file did: `changed` is False when the stored version was the same."""

    kind: str
    version: str
    rows: int
    changed: bool

    @property
    def message(self) -> str:
        state = "loaded" if self.changed else "unchanged"
        return f"{self.kind} {self.version}: {self.rows} rows, {state}."


def validation_message(exc: ValidationError) -> str:
    """A model's refusal as one line: "field: message. field: message."."""
    # In English, like the loaders' own messages: they are read by whoever maintains the data.
    with translation.override("en"):
        if hasattr(exc, "error_dict"):
            return " ".join(
                f"{name}: {' '.join(str(m) for m in messages)}"
                for name, messages in exc.message_dict.items()
            )
        return " ".join(str(m) for m in exc.messages)


def _check_rows(kind: DataKind, source: DataFile, version: Version) -> None:
    """The model's own field checks (lengths, choices, digits) on every row, before any write."""
    seen: dict[tuple, int] = {}
    for line, row in version.rows:
        try:
            row.clean_fields(exclude=[kind.parent_field])
        except ValidationError as exc:
            raise source.error(line, validation_message(exc)) from None
        key = tuple(getattr(row, name) for name in kind.row_key)
        if key in seen:
            raise source.error(
                line,
                f"duplicate of line {seen[key]} ({' '.join(map(str, key))}); "
                "each row's key must be unique",
            )
        seen[key] = line


def _store_rows(kind: DataKind, source: DataFile, stored: VersionedData, version: Version) -> None:
    """Update rows in place by their key, add new ones, prune the ones the file dropped."""
    fields = kind.row_fields()
    existing = {
        tuple(getattr(row, name) for name in kind.row_key): row
        for row in kind.row_model._default_manager.filter(**{kind.parent_field: stored})
    }
    wanted: set[tuple] = set()
    to_create, to_update = [], []
    for _line, row in version.rows:
        setattr(row, kind.parent_field, stored)
        key = tuple(getattr(row, name) for name in kind.row_key)
        wanted.add(key)
        old = existing.get(key)
        if old is None:
            to_create.append(row)
        elif any(getattr(old, name) != getattr(row, name) for name in fields):
            row.pk = old.pk
            to_update.append(row)
    gone = [row.pk for key, row in existing.items() if key not in wanted]
    if gone:
        try:
            kind.row_model._default_manager.filter(pk__in=gone).delete()
        except ProtectedError:
            raise source.error(
                version.line,
                f"the file drops rows of {kind.label} {version.key} that are in use; "
                "give the file a new version instead",
            ) from None
    kind.row_model._default_manager.bulk_update(to_update, fields, batch_size=200)
    kind.row_model._default_manager.bulk_create(to_create, batch_size=200)


def versioned_data_load(
    *, kind: DataKind, path: Path, parse: Callable[[DataFile], Version]
) -> LoadResult:
    """Read, check and store one version of a data file; an unchanged file changes nothing."""
    source = DataFile.read(path)
    version = parse(source)
    _check_rows(kind, source, version)
    digest = source.digest(version.fields)
    model = kind.model
    with transaction.atomic():
        stored = (
            model._default_manager.select_for_update()
            .filter(**{model.KEY_FIELD: version.key})
            .first()
        )
        if stored is not None and stored.content_hash == digest:
            return LoadResult(kind.label, version.key, len(version.rows), changed=False)
        if stored is None:
            stored = model(**{model.KEY_FIELD: version.key})
        for name, value in version.fields.items():
            setattr(stored, name, value)
        stored.content_hash = digest
        try:
            stored.full_clean()
        except ValidationError as exc:
            raise source.error(version.line, validation_message(exc)) from None
        stored.save()
        _store_rows(kind, source, stored, version)
    return LoadResult(kind.label, version.key, len(version.rows), changed=True)


class LoadCommand(BaseCommand):
    """The `<entity>_load` commands: load, then say per version what happened, in one style.

    A command for one data file sets `data_file` (the default of --file) and `load_file`;
    one that loads otherwise overrides `add_arguments` and `load`.
    """

    data_file: ClassVar[Path | None] = None
    load_file: ClassVar[Callable[[Path], LoadResult]]

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--file", type=Path, default=self.data_file)

    def load(self, **options: Any) -> list[LoadResult]:
        """Load the data the options name; raise DataFileError or OSError when it cannot."""
        return [self.load_file(options["file"])]

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            results = self.load(**options)
        except DataFileError as exc:
            raise CommandError(f"Refused: {exc}") from None
        except OSError as exc:
            name = Path(exc.filename).name if exc.filename else ""
            raise CommandError(f"Cannot read {name}: {exc.strerror or exc}") from None
        if options["verbosity"]:
            for result in results:
                self.stdout.write(result.message)
