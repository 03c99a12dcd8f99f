"""The Meilisearch double (tests/fakes/meilisearch.py) behaves as Meilisearch's documentation says.

No Meilisearch server can be installed where the tests run, so the double is the adapter's only witness;
each test here pins one documented rule (the page of meilisearch.com/docs is named in the test), spoken to
over HTTP as the SDK does. The typo, facet and sort tests use only the public API (they have not been run
against a real server here); the queue tests also steer the double (pause, delay, fail, stop).
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.fakes.meilisearch import FakeMeilisearch

_n = itertools.count(1)


class Meili:
    """A thin HTTP client for the double: write, wait for the task, search."""

    def __init__(self, fake: FakeMeilisearch) -> None:
        self.fake = fake
        self.http = httpx.Client(base_url=fake.url, headers={"Authorization": f"Bearer {fake.key}"}, timeout=10)

    def task(self, uid: int) -> dict[str, Any]:
        response = self.http.get(f"/tasks/{uid}")
        response.raise_for_status()
        return dict(response.json())

    def wait(self, uid: int, timeout: float = 5.0) -> dict[str, Any]:
        """Poll the task until it is finished, as the SDK's wait_for_task does."""
        deadline = time.monotonic() + timeout
        while True:
            task = self.task(uid)
            if task["status"] in ("succeeded", "failed", "canceled"):
                return task
            assert time.monotonic() < deadline, f"task {uid} still {task['status']}"
            time.sleep(0.01)

    def enqueue(self, method: str, path: str, body: Any) -> int:
        response = self.http.request(method, path, json=body)
        assert response.status_code == 202, response.text
        summary = response.json()
        assert summary["status"] == "enqueued"
        return int(summary["taskUid"])

    def index(self, documents: list[dict[str, Any]], **settings: Any) -> str:
        uid = f"double{next(_n)}"
        assert self.wait(self.enqueue("POST", "/indexes", {"uid": uid, "primaryKey": "id"}))["status"] == "succeeded"
        if settings:
            assert self.wait(self.enqueue("PATCH", f"/indexes/{uid}/settings", settings))["status"] == "succeeded"
        if documents:
            assert self.wait(self.enqueue("POST", f"/indexes/{uid}/documents", documents))["status"] == "succeeded"
        return uid

    def search(self, uid: str, **body: Any) -> dict[str, Any]:
        response = self.http.post(f"/indexes/{uid}/search", json={"matchingStrategy": "all", **body})
        response.raise_for_status()
        return dict(response.json())

    def ids(self, uid: str, **body: Any) -> list[Any]:
        return [hit["id"] for hit in self.search(uid, **body)["hits"]]

    def documents(self, uid: str) -> list[dict[str, Any]]:
        response = self.http.get(f"/indexes/{uid}/documents", params={"limit": 1000})
        if response.status_code == 404:
            return []
        response.raise_for_status()
        return list(response.json()["results"])


@pytest.fixture
def meili(fake_meilisearch: FakeMeilisearch) -> Iterator[Meili]:
    fake_meilisearch.reset()
    client = Meili(fake_meilisearch)
    try:
        yield client
    finally:
        client.http.close()
        fake_meilisearch.reset()


def _words(meili: Meili, *words: str) -> str:
    return meili.index([{"id": n, "name": word} for n, word in enumerate(words, 1)])


# Typo tolerance -------------------------------------------------------------------------------------


def test_one_typo_from_five_letters_two_from_nine_none_below(meili: Meili) -> None:
    """learn/relevancy/typo_tolerance_settings#minwordsizefortypos: "one typo for query terms containing five
    or more characters, and up to two typos if the term is at least nine characters long … sevem or sevan
    will match seven. But tow won't match two"; typo_tolerance_calculations: satuday matches saturday,
    sutuday (two typos) does not. (The word under test is not the last one, which is also a prefix.)"""
    uid = meili.index(
        [
            {"id": 1, "name": "seven ships"},
            {"id": 2, "name": "two ships"},
            {"id": 3, "name": "saturday ships"},
            {"id": 4, "name": "certified ships"},
        ]
    )

    found = {q: meili.ids(uid, q=f"{q} ships") for q in ["sevem", "sevan", "tow", "satuday", "sutuday"]}
    nine = {q: meili.ids(uid, q=f"{q} ships") for q in ["certifeid", "cestifeid", "cestifeidx"]}

    assert found == {"sevem": [1], "sevan": [1], "tow": [], "satuday": [3], "sutuday": []}
    # nine letters: two typos (one substitution and one transposition) match, three do not
    assert nine == {"certifeid": [4], "cestifeid": [4], "cestifeidx": []}


def test_a_typo_on_the_first_letter_counts_as_two(meili: Meili) -> None:
    """learn/relevancy/typo_tolerance_calculations: "caturday is not accepted because it contains two typos
    (… a typo on the first letter of a word is treated as two typos)". From nine letters two typos are
    allowed, so a first-letter typo alone is accepted there, and a first-letter typo plus another is not."""
    uid = _words(meili, "saturday", "certified")

    assert meili.ids(uid, q="caturday") == []
    assert meili.ids(uid, q="aturday") == []  # the first letter deleted
    assert meili.ids(uid, q="satorday") == [1]  # the same single typo elsewhere
    assert meili.ids(uid, q="dertified") == [2]
    assert meili.ids(uid, q="dertifyed") == []


def test_a_transposition_is_one_typo(meili: Meili) -> None:
    """resources/comparisons/typo_tolerance_vs_fuzzy_search: "Meilisearch uses Damerau-Levenshtein distance,
    meaning transpositions (swapped adjacent characters, like teh → the) count as a single edit, not two"
    (typo_tolerance_settings: "phnoe instead of phone"). Swapping the first two letters changes the first
    letter, which counts as two."""
    uid = _words(meili, "phone", "saturday")

    assert meili.ids(uid, q="phnoe") == [1]
    assert meili.ids(uid, q="sautrday") == [2]
    assert meili.ids(uid, q="hpone") == []


def test_the_last_word_is_a_prefix_with_the_same_typo_allowance(meili: Meili) -> None:
    """learn/relevancy/typo_tolerance_calculations: "Meilisearch uses a prefix Levenshtein algorithm"; words
    of 1 to 4 letters match only words that start with them. A word that is not the last must match a
    whole word."""
    uid = _words(meili, "aluminium", "titanium")

    assert meili.ids(uid, q="alu") == [1]
    assert meili.ids(uid, q="alo") == []  # four letters or fewer: no typo
    assert meili.ids(uid, q="alumo") == [1]  # one typo in the prefix "alumi"
    assert meili.ids(uid, q="alumi titanium") == []  # not last: "alumi" is not a word of the document


def test_fewer_typos_rank_first(meili: Meili) -> None:
    """learn/relevancy/ranking_rules: the typo rule sorts "by increasing number of typos" (insertion order
    would put the typo first)."""
    uid = _words(meili, "steal", "steel")

    assert meili.ids(uid, q="steel") == [2, 1]


# Facets ------------------------------------------------------------------------------------------------


def test_facets_count_every_match_not_only_the_first_max_total_hits(meili: Meili) -> None:
    """capabilities/filtering_sorting_faceting/advanced/optimize_facet_performance: "every facet distribution
    request computes counts across all matching documents" — maxTotalHits limits the hits one can page
    through, not the counts."""
    documents = [{"id": n, "process": "milling" if n <= 30 else "turning"} for n in range(1, 41)]
    uid = meili.index(documents, filterableAttributes=["process"], pagination={"maxTotalHits": 10})

    result = meili.search(uid, facets=["process"], limit=100)

    assert result["facetDistribution"] == {"process": {"milling": 30, "turning": 10}}
    assert len(result["hits"]) == 10


def test_max_values_per_facet_keeps_the_first_values_in_the_facet_order(meili: Meili) -> None:
    """reference/api/settings#faceting: maxValuesPerFacet (default 100) is the "maximum number of facet
    values returned for each facet. Values are sorted in ascending lexicographical order" unless
    sortFacetValuesBy says `count` (most documents first; learn/filtering_and_sorting/
    search_with_facet_filters)."""
    counts = {"a": 1, "b": 4, "c": 2, "d": 3}
    documents = [{"id": f"{value}{n}", "tag": value} for value, k in counts.items() for n in range(k)]
    alpha = meili.index(documents, filterableAttributes=["tag"], faceting={"maxValuesPerFacet": 2})
    by_count = meili.index(
        documents, filterableAttributes=["tag"], faceting={"maxValuesPerFacet": 2, "sortFacetValuesBy": {"*": "count"}}
    )
    many = meili.index([{"id": n, "tag": f"t{n:03d}"} for n in range(120)], filterableAttributes=["tag"])

    assert list(meili.search(alpha, facets=["tag"])["facetDistribution"]["tag"].items()) == [("a", 1), ("b", 4)]
    assert list(meili.search(by_count, facets=["tag"])["facetDistribution"]["tag"].items()) == [("b", 4), ("d", 3)]
    distribution = meili.search(many, facets=["tag"])["facetDistribution"]["tag"]
    assert (len(distribution), min(distribution), max(distribution)) == (100, "t000", "t099")


def test_boolean_and_number_facet_values_are_named_as_text(meili: Meili) -> None:
    """learn/engine/datatypes: a boolean "is converted to a lowercase human-readable text (true and false)";
    learn/filtering_and_sorting/search_with_facet_filters shows numeric facet values as `"2.5"`, `"3"`."""
    uid = meili.index(
        [
            {"id": 1, "ok": True, "rating": 3},
            {"id": 2, "ok": False, "rating": 2.5},
            {"id": 3, "ok": True, "rating": 3.0},
        ],
        filterableAttributes=["ok", "rating"],
    )

    distribution = meili.search(uid, facets=["ok", "rating"])["facetDistribution"]

    assert distribution == {"ok": {"false": 1, "true": 2}, "rating": {"2.5": 1, "3": 2}}


# Sorting ----------------------------------------------------------------------------------------------


def _sorted(meili: Meili, values: list[Any], *criteria: str, q: str = "") -> list[Any]:
    documents = [{"id": n, "name": f"item {n}", **({} if v is None else {"v": v})} for n, v in enumerate(values)]
    uid = meili.index(documents, sortableAttributes=["v"])
    return [hit.get("v") for hit in meili.search(uid, q=q, sort=list(criteria), limit=100)["hits"]]


def test_strings_sort_by_character_with_upper_case_as_lower_case(meili: Meili) -> None:
    """learn/filtering_and_sorting/sort_search_results: "Meilisearch sorts strings in lexicographic order based
    on their byte values. For example, á … will be sorted after z … Uppercase letters are sorted as if they
    were lowercase." (A plain code-point sort would put "Banana" and "Zinc" before "apple".)"""
    values = ["Zinc", "apple", "ábaco", "Banana", "zebra"]

    assert _sorted(meili, values, "v:asc") == ["apple", "Banana", "zebra", "Zinc", "ábaco"]
    assert _sorted(meili, values, "v:desc") == ["ábaco", "Zinc", "zebra", "Banana", "apple"]


def test_numbers_come_before_strings_and_missing_values_last_in_both_directions(meili: Meili) -> None:
    """learn/filtering_and_sorting/sort_search_results: "If a field has values of different types across
    documents, Meilisearch will give precedence to numbers over strings. This means documents with numeric
    field values will be ranked higher than those with string values." A document without the attribute
    has nothing to sort by and comes last."""
    values = ["10", 3, None, "abc", 1]

    assert _sorted(meili, values, "v:asc") == [1, 3, "10", "abc", None]
    assert _sorted(meili, values, "v:desc") == [3, 1, "abc", "10", None]


def test_booleans_sort_as_the_strings_true_and_false(meili: Meili) -> None:
    """learn/engine/datatypes: a boolean "is received and converted to a lowercase human-readable text (true
    and false)" — so false before true ascending, and after every number in both directions."""
    values = [True, 0, False, 7]

    assert _sorted(meili, values, "v:asc") == [0, 7, False, True]
    assert _sorted(meili, values, "v:desc") == [7, 0, True, False]


def test_with_a_query_sort_only_breaks_ties_in_relevance(meili: Meili) -> None:
    """learn/filtering_and_sorting/sort_search_results: with the default ranking rules (words, typo,
    proximity, attribute, sort, exactness) "sort is in fifth place … it acts as a tie-breaker rule"."""
    uid = meili.index(
        [{"id": 1, "name": "Alpha steal"}, {"id": 2, "name": "Zeta steel"}, {"id": 3, "name": "Beta steel"}],
        sortableAttributes=["name"],
    )

    assert meili.ids(uid, q="steel", sort=["name:asc"]) == [3, 2, 1]
    assert meili.ids(uid, sort=["name:asc"]) == [1, 3, 2]


# The task queue ---------------------------------------------------------------------------------------


def test_writes_are_enqueued_then_processed_in_order(meili: Meili) -> None:
    """learn/async/asynchronous_operations: requests are placed in a queue and processed "in the order they
    were received", one at a time; a write answers `202` with `status: enqueued`, the task then goes
    `processing` and `succeeded`; until then searches do not see it."""
    uid = meili.index([])
    meili.fake.paused = True

    first = meili.enqueue("POST", f"/indexes/{uid}/documents", [{"id": 1, "name": "first"}])
    second = meili.enqueue("POST", f"/indexes/{uid}/documents/delete-batch", [1])
    third = meili.enqueue("POST", f"/indexes/{uid}/documents", [{"id": 2, "name": "second"}])
    queued = ([meili.task(t)["status"] for t in (first, second, third)], meili.documents(uid))
    meili.fake.task_delay, meili.fake.paused = 0.02, False
    tasks = [meili.wait(t) for t in (first, second, third)]

    assert queued == (["enqueued"] * 3, [])
    assert [t["status"] for t in tasks] == ["succeeded"] * 3
    assert tasks[0]["finishedAt"] <= tasks[1]["startedAt"] and tasks[1]["finishedAt"] <= tasks[2]["startedAt"]
    assert meili.documents(uid) == [{"id": 2, "name": "second"}]


def test_a_failed_task_changes_nothing(meili: Meili) -> None:
    """learn/async/asynchronous_operations: "failed: a failure occurred when processing the task. No changes
    were made to the database" — a batch with one document without its primary key stores none of it, and
    a task failing for another reason (here chosen by the test) leaves the index as it was."""
    uid = meili.index([{"id": 1, "name": "kept"}])

    missing_id = meili.wait(meili.enqueue("POST", f"/indexes/{uid}/documents", [{"id": 2, "name": "x"}, {"name": "y"}]))
    meili.fake.fail = lambda task: task["type"] == "documentDeletion"
    chosen = meili.wait(meili.enqueue("POST", f"/indexes/{uid}/documents/delete-batch", [1]))

    assert (missing_id["status"], missing_id["error"]["code"]) == ("failed", "missing_document_id")
    assert (chosen["status"], chosen["error"]["code"]) == ("failed", "internal")
    assert meili.documents(uid) == [{"id": 1, "name": "kept"}]


def test_a_stopped_server_processes_its_queue_when_it_is_back(meili: Meili) -> None:
    """learn/async/asynchronous_operations: terminating Meilisearch mid-task is safe; "Meilisearch discards
    all progress made on processing tasks and resets them to enqueued. Task handling proceeds as normal once
    the instance is relaunched."""
    uid = meili.index([])
    meili.fake.task_delay = 0.5  # the task is being processed when the server stops
    task = meili.enqueue("POST", f"/indexes/{uid}/documents", [{"id": 1, "name": "queued"}])
    meili.fake.down = True
    time.sleep(0.7)
    while_down = (meili.fake.tasks[task]["status"], dict(meili.fake.indexes[uid].documents))

    meili.fake.down, meili.fake.task_delay = False, 0.0

    assert (while_down, meili.wait(task)["status"]) == (("enqueued", {}), "succeeded")
    assert meili.documents(uid) == [{"id": 1, "name": "queued"}]
