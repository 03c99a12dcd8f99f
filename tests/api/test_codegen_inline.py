"""A parent's generated code reads the objects below it in its own loop (api/execution/codegen.py `_object_lines`):
an edge of a connection and the node in it are written without calling their plans' generated functions, and
anything unusual still sends the parent to its closures."""

from __future__ import annotations

from typing import Any

from graphql import GraphQLString

from api.execution.codegen import MAX_INLINE_DEPTH, SLOW, LeafSpec, ObjectSpec, generate, leaf_spec
from api.execution.fast_fields import _attribute, _mark_leaf


class Node:
    def __init__(self, name: Any) -> None:
        self.name = name


class Edge:
    def __init__(self, node: Any, cursor: str) -> None:
        self.node = node
        self.cursor = cursor


class Page:
    def __init__(self, edges: Any) -> None:
        self.edges = edges


def _leaf(attribute: str) -> LeafSpec:
    spec = leaf_spec(_mark_leaf(_attribute(attribute), GraphQLString), GraphQLString, True)
    assert spec is not None
    return spec


CALLED: list[str] = []


def _never(name: str) -> Any:
    def generated(executor: Any, source: Any, path: Any) -> Any:
        CALLED.append(name)
        return {"called": name}

    return generated


def _spec(attribute: str, fields: Any, *, is_list: bool = False, name: str) -> ObjectSpec:
    return ObjectSpec(attribute, None, True, is_list, True, None, None, _never(name), fields)


NODE = _spec("node", (("name", _leaf("name")),), name="node")
EDGES = _spec("edges", (("node", NODE), ("cursor", _leaf("cursor"))), is_list=True, name="edge")
PAGE = generate([("edges", None, False, EDGES)], False, lambda *_: None)


def test_edges_and_their_nodes_are_read_in_the_connections_own_loop() -> None:
    CALLED.clear()
    assert PAGE is not None

    done = PAGE(None, Page([Edge(Node("a"), "c1"), Edge(Node("b"), "c2")]), None)

    assert done == {"edges": [{"node": {"name": "a"}, "cursor": "c1"}, {"node": {"name": "b"}, "cursor": "c2"}]}
    assert CALLED == []


def test_anything_unusual_below_sends_the_whole_object_to_the_closures() -> None:
    assert PAGE is not None
    assert PAGE(None, Page([Edge(Node("a"), "c1"), Edge(Node(None), "c2")]), None) is SLOW  # null, non-null
    assert PAGE(None, Page([Edge(None, "c1")]), None) is SLOW  # a null node
    assert PAGE(None, Page([None]), None) is SLOW  # a null edge in a list of non-null edges
    assert PAGE(None, Page("not a list"), None) is SLOW
    assert PAGE(None, Page([Edge(ValueError("x"), "c1")]), None) is SLOW  # an exception as a value


def test_deep_objects_call_their_generated_functions_beyond_the_inline_depth() -> None:
    CALLED.clear()
    spec: ObjectSpec = NODE
    for level in range(5):
        spec = _spec("node", (("node", spec),), name=f"level{level}")
    deep = generate([("node", None, False, spec)], False, lambda *_: None)
    assert deep is not None
    source: Any = Node("z")
    for _ in range(6):
        source = Edge(source, "c")

    done = deep(None, source, None)

    # the fields of levels 4, 3 and 2 are written inline (MAX_INLINE_DEPTH); level 1's generated function is called
    assert MAX_INLINE_DEPTH == 3
    assert CALLED == ["level1"]
    assert done == {"node": {"node": {"node": {"node": {"called": "level1"}}}}}
