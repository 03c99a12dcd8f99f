"""A mypy plugin: a column of a SQLModel table read off the class is a SQL expression, not its Python value.

SQLModel declares `id: UUID` once for both uses: on a row `order.id` is a UUID, on the class `ProductionOrder.id` is
SQLAlchemy's InstrumentedAttribute[UUID] (what `select`, `where`, `.in_()` and `.desc()` take). Mypy sees only the
first, and every query would need a `col()` wrapper or an ignore. This plugin gives class-level access to a field
of a `table=True` class the second type; instance access is unchanged. Configured in pyproject.toml ([tool.mypy])."""

from __future__ import annotations

from collections.abc import Callable

from mypy.checker import TypeChecker
from mypy.nodes import MypyFile, TypeInfo, Var
from mypy.plugin import AttributeContext, Plugin
from mypy.types import Instance, Type

_SQLMODEL = "sqlmodel.main.SQLModel"
_ATTRIBUTE = "sqlalchemy.orm.attributes.InstrumentedAttribute"


def _is_table(info: TypeInfo) -> bool:
    """A SQLModel class with a table: every one of ours names it (`__tablename__`). Asked of the names, not of the
    `table=True` keyword: a class read from mypy's cache keeps its names but not its definition's keywords."""
    if not any(base.fullname == _SQLMODEL for base in info.mro):
        return False
    return any("__tablename__" in klass.names for klass in info.mro if klass.fullname != _SQLMODEL)


def _column(ctx: AttributeContext) -> Type:
    module, _, name = _ATTRIBUTE.rpartition(".")
    # Straight from the module: the checker's dotted lookup walks package attributes, and `sqlalchemy.orm` does not
    # name its `attributes` submodule. The modules are the checker's own (the plugin interface does not name them).
    assert isinstance(ctx.api, TypeChecker)
    info = ctx.api.modules[module].names[name].node
    assert isinstance(info, TypeInfo)
    return Instance(info, [ctx.default_attr_type])


class SQLModelColumns(Plugin):
    def get_additional_deps(self, file: MypyFile) -> list[tuple[int, str, int]]:
        # The attribute type must be loaded wherever a table's class is read.
        return [(10, "sqlalchemy.orm.attributes", -1)]

    def get_class_attribute_hook(self, fullname: str) -> Callable[[AttributeContext], Type] | None:
        klass, _, name = fullname.rpartition(".")
        if name.startswith("_"):
            return None
        symbol = self.lookup_fully_qualified(klass)
        if symbol is None or not isinstance(symbol.node, TypeInfo) or not _is_table(symbol.node):
            return None
        field = symbol.node.get(name)
        if field is None or not isinstance(field.node, Var) or field.node.is_classvar:
            return None
        return _column


def plugin(version: str) -> type[Plugin]:
    return SQLModelColumns
