"""Row views: a Strawberry type read from its row when a field is asked for, generated from the type's fields.

Why: a page of bids holds ~1,000 bids and their bidders, and a query selects a few of their fields. Building each
Strawberry dataclass eagerly converts every field (money, enum values, ids) whether or not it is asked for; a row
view converts nothing until a field is read, and building one is a single allocation.

What: `row_view(cls, conversions)` makes a subclass of the Strawberry type `cls` whose fields are read-only
properties over the row in the instance's `_row` attribute. The properties come from the type itself:

- every dataclass field of `cls` that has no resolver and no default (Strawberry fields and `Private` ones) reads
  the row's attribute of the same name;
- a field the row model (the sqlmodel table) declares as an Enum reads the member's value (the API's types hold
  enum values, as their eager `from_row` does);
- the Relay node id reads `str(row.<id attribute>)`;
- `conversions` name the fields that convert anything else (money from minor units and a currency, a list from a
  tuple): `{field: function(row) -> value}`.

Fields with a default (e.g. a row of a related object that came with this one) are set per instance from the
extras given to `from_row`. A view is an instance of `cls` (Strawberry's `is_type_of` holds) and answers every
field as the eagerly built type would: tests/api/test_row_views.py compares them field by field.

`install(views)` makes each registered type's `from_row` build its view; the area's own `from_row` (plain
Strawberry, eager) is what runs when the engine is off, and stays reachable as `eager_from_row(cls)`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import Enum
from operator import attrgetter
from typing import Any, TypeVar

from strawberry import relay

T = TypeVar("T")

_new = object.__new__
_EAGER: dict[type, Any] = {}  # the area's own from_row of each type whose from_row is a view's
_VIEWS: dict[type, type] = {}  # the row view of each type whose from_row is a view's


@dataclass(frozen=True)
class RowView:
    """A type to read from rows: `extras`, the names (in `from_row`'s order) of its fields set per instance, not read
    from the row; `conversions`, its fields that convert (see the module's docstring)."""

    cls: type
    model: type
    extras: tuple[str, ...] = ()
    conversions: Mapping[str, Callable[[Any], Any]] = field(default_factory=dict)


def row_view(cls: type[T], model: type, conversions: Mapping[str, Callable[[Any], Any]] | None = None) -> type[T]:
    """The row-view subclass of the Strawberry type `cls` over rows of the table `model` (see the module's
    docstring)."""
    model_fields = model.model_fields  # type: ignore[attr-defined]
    conversions = dict(conversions or {})
    definition = cls.__strawberry_definition__  # type: ignore[attr-defined]
    strawberry_fields = {f.python_name: f for f in definition.fields}
    id_attribute = cls.resolve_id_attr() if isinstance(cls, type) and issubclass(cls, relay.Node) else None
    namespace: dict[str, Any] = {
        "__doc__": f"A {cls.__name__} read from its row when a field is asked for (api/execution/row_views.py).",
        # (parts, text) when the read brought the object's JSON instead of its columns (api/execution/sql_json.py)
        "sql_json": None,
    }
    for data_field in dataclasses.fields(cls):  # type: ignore[arg-type]
        name = data_field.name
        convert = conversions.pop(name, None)
        strawberry_field = strawberry_fields.get(name)
        if convert is not None:
            namespace[name] = property(_converted(convert))
        elif data_field.default is not dataclasses.MISSING or data_field.default_factory is not dataclasses.MISSING:
            continue  # an extra, set per instance (or a field with a resolver)
        elif strawberry_field is not None and strawberry_field.base_resolver is not None:
            continue
        elif name == id_attribute:
            namespace[name] = property(_as_text(name))
        elif name in model_fields and _is_enum(model_fields[name].annotation):
            # `_value_`, what Enum's `value` descriptor returns, read without the descriptor (a Python call each)
            namespace[name] = property(attrgetter(f"_row.{name}._value_"))
        else:
            namespace[name] = property(attrgetter(f"_row.{name}"))
    if conversions:
        raise TypeError(f"{cls.__name__} has no fields {sorted(conversions)} to convert")
    return type(f"{cls.__name__}RowView", (cls,), namespace)


def install(views: Sequence[RowView]) -> None:
    """Each view's type builds its row view in `from_row(row, *extras)` (idempotent)."""
    for view in views:
        if view.cls in _EAGER:
            continue
        _EAGER[view.cls] = view.cls.__dict__["from_row"]
        made: type = row_view(view.cls, view.model, view.conversions)
        _VIEWS[view.cls] = made
        view.cls.from_row = classmethod(_view_from_row(made, view.extras))  # type: ignore[attr-defined]


def carrier(cls: type) -> Callable[[Any], Any] | None:
    """`make(sql_json)`: an object of `cls`'s row view without a row, carrying its JSON as (parts, text)
    (api/execution/sql_json.py) for its plan to splice; None if `cls` has no row view (the engine is off)."""
    view = _VIEWS.get(cls)
    if view is None:
        return None

    def make(value: Any) -> Any:
        instance: Any = _new(view)
        instance.__dict__["sql_json"] = value
        return instance

    return make


def eager_from_row(cls: type) -> Callable[..., Any]:
    """The area's own (eager) `from_row` of `cls`, whether or not the engine made it a view's."""
    return _EAGER.get(cls, cls.__dict__["from_row"]).__get__(None, cls)


def _view_from_row(view: type, extras: tuple[str, ...]) -> Callable[..., Any]:
    first = extras[0] if extras else None

    def from_row(cls: type, row: Any, *values: Any, **named: Any) -> Any:
        instance: Any = _new(view)
        attributes = instance.__dict__
        attributes["_row"] = row
        if values:
            if first is not None and len(values) == 1:  # the usual call: one extra (a bid's bidder, an order's buyer)
                attributes[first] = values[0]
            else:
                attributes.update(zip(extras, values, strict=False))
        if named:
            attributes.update(named)
        return instance

    return from_row


def _converted(convert: Callable[[Any], Any]) -> Callable[[Any], Any]:
    def read(self: Any) -> Any:
        return convert(self._row)

    return read


def _as_text(name: str) -> Callable[[Any], Any]:
    get = attrgetter(f"_row.{name}")

    def read(self: Any) -> str:
        return str(get(self))

    return read


def _is_enum(annotation: Any) -> bool:
    # A nullable enum (Optional[...]) is not a class: it converts explicitly (None has no value).
    return isinstance(annotation, type) and issubclass(annotation, Enum)
