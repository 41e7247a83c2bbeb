"""Which tables sync, their columns (read from the SQLModel models) and their references."""

from dataclasses import dataclass, field
from functools import cached_property

from annotator.core.store import models
from annotator.core.evidence.anchors import AREA_FIELDS, RANGE_FIELDS

# Settings a team shares; the rest (author, backups, last folders) belong to one laptop.
SHARED_SETTINGS = ("title", "inquiry", "urn_pattern", "citation_style")
AUDIENCES = ("me", "team", "workspace")
RANGE = RANGE_FIELDS  # a passage's position columns travel together


@dataclass(frozen=True)
class Spec:
    name: str  # the local and the server table
    model: type
    refs: dict[str, str] = field(default_factory=dict)  # local id column -> table it points to
    extra: tuple[str, ...] = ()  # fields kept outside the model's table (passage: themes, audience)
    key: str = "id"  # local key: "id" (mapped to a uid), or the natural key column
    soft_delete: bool = False  # deletion is a deleted_at value, not a removed row
    insert_only: bool = False
    groups: dict[str, tuple[str, ...]] = field(default_factory=dict)  # fields that change together
    latest: tuple[str, ...] = ()  # time stamps: never a conflict, the later one is kept

    @cached_property
    def columns(self) -> list[str]:
        """The model's columns the server keeps, ids excluded (uids stand for them)."""
        return [c.name for c in self.model.__table__.columns if c.name != "id" or self.key != "id"]

    @cached_property
    def fields(self) -> list[str]:
        return self.columns + list(self.extra)

    @cached_property
    def blank(self) -> tuple:
        return (None,) * len(self.fields)

    def group_of(self, name: str) -> str:
        return self._group_by_field.get(name, name)

    @cached_property
    def _group_by_field(self) -> dict[str, str]:
        return {f: g for g, names in self.groups.items() for f in names}


SPECS: dict[str, Spec] = {
    s.name: s
    for s in (
        Spec("setting", models.Setting, key="key"),
        Spec("document", models.Document),
        # a replaced document's earlier files (core/versions); the blobs travel with them
        Spec("document_version", models.DocumentVersion, refs={"document_id": "document"}),
        Spec("theme", models.Theme, refs={"parent_id": "theme"}),
        Spec(
            "passage",
            models.Passage,
            refs={"document_id": "document"},
            extra=("themes", "audience"),
            soft_delete=True,
            groups={"range": RANGE + AREA_FIELDS, "deleted": ("deleted_at",)},
            latest=("modified_at",),
        ),
        Spec("link", models.Link, refs={"source_id": "passage", "target_id": "passage"}, soft_delete=True),
        Spec("saved_search", models.SavedSearch),
        Spec("audit", models.Audit, insert_only=True, extra=("audience",)),
    )
}
# Order rows are applied in: a row's references come before it.
ORDER = ("setting", "document", "document_version", "theme", "passage", "link", "saved_search", "audit")
MAPPED = [n for n in ORDER if SPECS[n].key == "id"]
