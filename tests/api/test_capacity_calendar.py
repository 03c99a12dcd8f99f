"""Organisation.capacityCalendar: a manufacturer's listed, held and free machine-hours per process and week, for
its own members only, loaded in a constant number of statements."""

from __future__ import annotations

from typing import Any

from tests.api.graphql import GraphQL, Party, create_order, make_manufacturer, place_bid, sign_up
from tests.clock import FakeClock
from tests.conftest import StatementCounter
from tests.legal_samples import legal_id

# The clock starts on Monday 2027-03-01.
CALENDAR = """
query($id: ID!, $from: Date, $weeks: Int!) {
  organisation(id: $id) {
    capacityCalendar(fromWeek: $from, weeks: $weeks) {
      weekStart process listedHours firmHours softHours freeHours
      listings { machineHoursPerWeek hourlyRate { amount } }
    }
  }
}
"""

ADD_LISTING = """
mutation($input: CapacityListingInput!) {
  addCapacityListing(input: $input) { __typename ... on UserError { code message field } }
}
"""


async def add_listing(gql: GraphQL, maker: Party, process: str, hours: int, start: str, end: str, rate: str) -> None:
    data = await gql(
        ADD_LISTING,
        {
            "input": {
                "organisationId": maker.organisation_id,
                "process": process,
                "machineHoursPerWeek": hours,
                "availableFrom": start,
                "availableTo": end,
                "hourlyRate": {"amount": rate, "currency": "RUB"},
            }
        },
        token=maker.token,
    )
    assert data["addCapacityListing"]["__typename"] == "CapacityListingSuccess", data


def row(week: str, process: str, listed: int, firm: int, soft: int, free: int, rates: list[str]) -> dict[str, Any]:
    return {
        "weekStart": week,
        "process": process,
        "listedHours": listed,
        "firmHours": firm,
        "softHours": soft,
        "freeHours": free,
        "listings": [{"machineHoursPerWeek": listed // len(rates), "hourlyRate": {"amount": rate}} for rate in rates],
    }


async def calendar(gql: GraphQL, party: Party, organisation_id: str, **variables: Any) -> Any:
    data = await gql(CALENDAR, {"id": organisation_id, "weeks": 4, **variables}, token=party.token)
    return data["organisation"]["capacityCalendar"]


async def test_a_bid_holds_hours_softly_and_an_award_makes_them_firm_leaving_less_free(
    gql: GraphQL, clock: FakeClock
) -> None:
    buyer = await sign_up(gql, kind="BUYER")
    maker = await make_manufacturer(gql, clock)
    await add_listing(gql, maker, "CNC_MILLING", 40, "2027-03-01", "2027-04-30", "1000.00")
    await add_listing(gql, maker, "CNC_TURNING", 20, "2027-03-15", "2027-03-28", "1500.00")
    # 120 machine-hours needed by 2027-04-30: spread over the 8 weeks before, 15 a week.
    order_id = await create_order(gql, buyer, clock, estimatedMachineHours=120)

    assert await calendar(gql, maker, maker.organisation_id) == [
        row("2027-03-01", "CNC_MILLING", 40, 0, 0, 40, ["1000.00"]),
        row("2027-03-08", "CNC_MILLING", 40, 0, 0, 40, ["1000.00"]),
        row("2027-03-15", "CNC_MILLING", 40, 0, 0, 40, ["1000.00"]),
        row("2027-03-22", "CNC_MILLING", 40, 0, 0, 40, ["1000.00"]),
        row("2027-03-01", "CNC_TURNING", 0, 0, 0, 0, []),
        row("2027-03-08", "CNC_TURNING", 0, 0, 0, 0, []),
        row("2027-03-15", "CNC_TURNING", 20, 0, 0, 20, ["1500.00"]),
        row("2027-03-22", "CNC_TURNING", 20, 0, 0, 20, ["1500.00"]),
    ]

    bid_id = await place_bid(gql, maker, order_id, clock)
    milling = [w for w in await calendar(gql, maker, maker.organisation_id) if w["process"] == "CNC_MILLING"]
    assert [(w["softHours"], w["firmHours"], w["freeHours"]) for w in milling] == [(15, 0, 40)] * 4

    award = await gql(
        "mutation($id: ID!) { awardBid(bidId: $id) { __typename ... on UserError { message } } }",
        {"id": bid_id},
        token=buyer.token,
    )
    assert award["awardBid"]["__typename"] == "AwardBidSuccess", award
    milling = [w for w in await calendar(gql, maker, maker.organisation_id) if w["process"] == "CNC_MILLING"]
    assert [(w["softHours"], w["firmHours"], w["freeHours"]) for w in milling] == [(0, 15, 25)] * 4


async def test_weeks_start_on_the_monday_of_from_week_and_end_with_the_listings(gql: GraphQL, clock: FakeClock) -> None:
    maker = await make_manufacturer(gql, clock)
    await add_listing(gql, maker, "CNC_MILLING", 40, "2027-03-01", "2027-04-30", "1000.00")

    weeks = await calendar(gql, maker, maker.organisation_id, **{"from": "2027-04-22", "weeks": 3})

    # 2027-04-22 is a Thursday; the listing ends on Friday 2027-04-30, inside the week of 2027-04-26.
    assert [(w["weekStart"], w["listedHours"]) for w in weeks] == [
        ("2027-04-19", 40),
        ("2027-04-26", 40),
        ("2027-05-03", 0),
    ]
    assert await calendar(gql, maker, maker.organisation_id, **{"from": "2027-06-07"}) == []


async def test_only_the_organisations_members_see_its_calendar(gql: GraphQL, clock: FakeClock) -> None:
    maker = await make_manufacturer(gql, clock)
    await add_listing(gql, maker, "CNC_MILLING", 40, "2027-03-01", "2027-04-30", "1000.00")
    other = await make_manufacturer(gql, clock)

    assert await calendar(gql, other, maker.organisation_id) is None
    anonymous = await gql(CALENDAR, {"id": maker.organisation_id, "weeks": 4})
    assert anonymous["organisation"]["capacityCalendar"] is None
    # The public listing itself stays public.
    public = await gql(
        "query($id: ID!) { organisation(id: $id) { capacity { machineHoursPerWeek } } }",
        {"id": maker.organisation_id},
        token=other.token,
    )
    assert public["organisation"]["capacity"] == [{"machineHoursPerWeek": 40}]


async def test_a_calendar_of_more_than_53_weeks_is_refused(gql: GraphQL, clock: FakeClock) -> None:
    maker = await make_manufacturer(gql, clock)

    body = await gql.raw(CALENDAR, {"id": maker.organisation_id, "weeks": 54}, token=maker.token)

    assert [error["message"] for error in body["errors"]] == ["weeks must be between 1 and 53"]


MY_CALENDARS = """
{ me { memberships { organisation { name capacityCalendar(weeks: 2) { process listedHours softHours } } } } }
"""


async def test_the_calendars_of_several_organisations_load_in_the_same_number_of_statements(
    gql: GraphQL, clock: FakeClock, sql: StatementCounter
) -> None:
    maker = await make_manufacturer(gql, clock)
    await add_listing(gql, maker, "CNC_MILLING", 40, "2027-03-01", "2027-04-30", "1000.00")
    with sql.counting():
        one = await gql(MY_CALENDARS, token=maker.token)
    alone = sql.count
    for n in range(2):
        created = await gql(
            """mutation($input: OrganisationInput!) { createOrganisation(input: $input) {
                 __typename ... on OrganisationSuccess { organisation { id } } } }""",
            {
                "input": {
                    "name": f"Second shop {n}",
                    "legalId": legal_id("66", n),
                    "region": "RU-SVE",
                    "kind": "MANUFACTURER",
                }
            },
            token=maker.token,
        )
        second = Party(maker.token, maker.user_id, created["createOrganisation"]["organisation"]["id"], maker.email)
        await add_listing(gql, second, "EDM", 10 + n, "2027-03-01", "2027-04-30", "900.00")

    with sql.counting():
        three = await gql(MY_CALENDARS, token=maker.token)

    assert sql.count == alone
    assert [m["organisation"]["capacityCalendar"] for m in one["me"]["memberships"]] == [
        [{"process": "CNC_MILLING", "listedHours": 40, "softHours": 0}] * 2
    ]
    assert sorted(
        (m["organisation"]["name"], [w["listedHours"] for w in m["organisation"]["capacityCalendar"]])
        for m in three["me"]["memberships"]
    )[1:] == [("Second shop 0", [10, 10]), ("Second shop 1", [11, 11])]
