"""Documents parsed and validated once per query text.

Why: a client sends the same few operations again and again. Strawberry's ParserCache keys its parses on the text,
but its ValidationCache keys on the parsed document, and a graphql-core document is a tree of frozen dataclasses
whose hash walks the whole tree on every lookup (some 40-50 µs a request for the order board's query).

What: one entry per query text and parse options (the token limit), holding the parsed document and, per set of
validation rules, its validation errors. Both depend only on the text, the options, the rules and the schema, and
an entry lives in the extension factory made for one schema, so nothing one request did can change another's
answer. A document that does not parse is not kept (it is parsed, and refused, each time, as ParserCache does);
the cache holds at most `maxsize` texts, least recently used first out.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Iterator
from typing import Any

from graphql import GraphQLError, parse
from graphql.language import DocumentNode
from strawberry.extensions import SchemaExtension
from strawberry.schema.schema import validate_document


class _Entry:
    __slots__ = ("document", "errors")

    def __init__(self, document: DocumentNode) -> None:
        self.document = document
        # validation rules (a tuple of classes) -> the document's validation errors under them
        self.errors: dict[tuple[Any, ...], list[GraphQLError]] = {}


class DocumentCache(SchemaExtension):
    """Sets the parsed document (on_parse) and its validation errors (on_validate) from the cache; Strawberry then
    neither parses nor validates again."""

    def __init__(self, entries: OrderedDict[tuple[str, tuple[Any, ...]], _Entry], maxsize: int) -> None:
        self.entries = entries
        self.maxsize = maxsize
        self.entry: _Entry | None = None

    def on_parse(self) -> Iterator[None]:
        context = self.execution_context
        if context.graphql_document is None and context.query:
            options = context.parse_options
            key = (context.query, tuple(sorted(options.items())) if options else ())
            entry = self.entries.get(key)
            if entry is None:
                entry = _Entry(parse(context.query, **options))
                self.entries[key] = entry
                if len(self.entries) > self.maxsize:
                    self.entries.popitem(last=False)
            else:
                self.entries.move_to_end(key)
            self.entry = entry
            context.graphql_document = entry.document
        yield

    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        entry = self.entry
        if entry is not None and context.graphql_document is entry.document and context.validation_rules:
            rules = context.validation_rules
            errors = entry.errors.get(rules)
            if errors is None:
                errors = entry.errors[rules] = validate_document(context.schema._schema, entry.document, rules)
            context.pre_execution_errors = list(errors)
        yield


def document_cache(maxsize: int = 256) -> Callable[[], DocumentCache]:
    """The extension factory for one schema (a fresh extension per request, one cache for all of them)."""
    entries: OrderedDict[tuple[str, tuple[Any, ...]], _Entry] = OrderedDict()
    return lambda: DocumentCache(entries, maxsize)
