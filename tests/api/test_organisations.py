"""Organisations and what manufacturers publish about themselves, changed by the right people only."""

from __future__ import annotations

from datetime import timedelta

from tests.api.graphql import SIGN_UP, GraphQL, make_manufacturer, sign_up
from tests.clock import FakeClock
from tests.legal_samples import legal_id

UPDATE = """mutation($id: ID!, $input: UpdateOrganisationInput!) { updateOrganisation(id: $id, input: $input) {
  __typename ... on OrganisationSuccess { organisation { name region kind } } ... on UserError { code field } } }"""
ADD_MEMBER = """mutation($org: ID!, $email: String!, $role: Role!) {
  addOrganisationMember(organisationId: $org, email: $email, role: $role) {
    __typename ... on AddOrganisationMemberSuccess { membership { role user { email } } }
    ... on UserError { code field } } }"""
ORG = "query($id: ID!) { organisation(id: $id) { name region kind } }"


async def _user_without_organisation(gql: GraphQL, email: str) -> str:
    data = await gql(SIGN_UP, {"input": {"email": email, "password": "correct horse battery", "fullName": "New Hire"}})
    return str(data["signUp"]["token"])


async def test_an_admin_updates_the_organisation_and_a_member_may_not(gql: GraphQL) -> None:
    buyer = await sign_up(gql, kind="BUYER")
    member_token = await _user_without_organisation(gql, "hire@example.com")
    added = await gql(
        ADD_MEMBER, {"org": buyer.organisation_id, "email": "HIRE@example.com", "role": "MEMBER"}, token=buyer.token
    )

    refused = await gql(UPDATE, {"id": buyer.organisation_id, "input": {"name": "Hijacked"}}, token=member_token)
    updated = await gql(
        UPDATE, {"id": buyer.organisation_id, "input": {"region": "ru-spe", "kind": "BOTH"}}, token=buyer.token
    )

    assert added["addOrganisationMember"]["membership"] == {"role": "MEMBER", "user": {"email": "hire@example.com"}}
    assert refused["updateOrganisation"] == {"__typename": "PermissionDeniedError", "code": "FORBIDDEN", "field": "id"}
    assert updated["updateOrganisation"]["organisation"]["region"] == "RU-SPE"
    assert (await gql(ORG, {"id": buyer.organisation_id}))["organisation"]["kind"] == "BOTH"


async def test_adding_a_member_twice_or_an_unknown_user_is_refused(gql: GraphQL) -> None:
    buyer = await sign_up(gql, kind="BUYER")
    await _user_without_organisation(gql, "twice@example.com")
    variables = {"org": buyer.organisation_id, "email": "twice@example.com", "role": "ADMIN"}
    await gql(ADD_MEMBER, variables, token=buyer.token)

    again = await gql(ADD_MEMBER, variables, token=buyer.token)
    unknown = await gql(ADD_MEMBER, {**variables, "email": "nobody@example.com"}, token=buyer.token)

    assert again["addOrganisationMember"] == {"__typename": "ConflictError", "code": "ALREADY_EXISTS", "field": "email"}
    assert unknown["addOrganisationMember"] == {"__typename": "NotFoundError", "code": "NOT_FOUND", "field": "email"}
    members = await gql(
        "query($id: ID!) { organisation(id: $id) { members { role } } }", {"id": buyer.organisation_id}, buyer.token
    )
    assert sorted(m["role"] for m in members["organisation"]["members"]) == ["ADMIN", "ADMIN"]


async def test_a_second_organisation_with_a_registered_legal_id_is_refused(gql: GraphQL) -> None:
    buyer = await sign_up(gql, kind="BUYER")
    create = """mutation($input: OrganisationInput!) { createOrganisation(input: $input) {
      __typename ... on OrganisationSuccess { organisation { name membership } } ... on UserError { code field } } }"""
    fresh = {
        "name": "Second Works",
        "legalId": legal_id("50", 1_234_567),
        "region": "RU-MOS",
        "kind": "MANUFACTURER",
        "membership": "REGIONAL_PARTNER",
    }

    created = await gql(create, {"input": fresh}, token=buyer.token)
    duplicate = await gql(create, {"input": {**fresh, "name": "Copycat"}}, token=buyer.token)

    assert created["createOrganisation"]["organisation"] == {"name": "Second Works", "membership": "REGIONAL_PARTNER"}
    assert duplicate["createOrganisation"] == {
        "__typename": "ConflictError",
        "code": "ALREADY_EXISTS",
        "field": "legalId",
    }
    me = await gql("{ me { memberships { organisation { name } } } }", token=buyer.token)
    names = [m["organisation"]["name"] for m in me["me"]["memberships"]]
    assert len(names) == 2 and "Second Works" in names


async def test_a_certificate_is_renewed_in_place_and_removed_by_its_holder_only(gql: GraphQL, clock: FakeClock) -> None:
    maker = await make_manufacturer(gql, clock, certifications=("ISO_9001",))
    other = await make_manufacturer(gql, clock, certifications=())
    later = (clock.now() + timedelta(days=2000)).date().isoformat()
    renew = """mutation($input: CertificationInput!) { setCertification(input: $input) {
      ... on CertificationSuccess { certification { id validUntil certificateNumber } } } }"""
    certs = "query($id: ID!) { organisation(id: $id) { certifications { id standard validUntil } } }"

    renewed = await gql(
        renew,
        {
            "input": {
                "organisationId": maker.organisation_id,
                "standard": "ISO_9001",
                "certificateNumber": "NEW-2",
                "validUntil": later,
            }
        },
        token=maker.token,
    )
    cert_id = renewed["setCertification"]["certification"]["id"]
    remove = "mutation($id: ID!) { removeCertification(id: $id) { __typename ... on UserError { code } } }"
    by_other = await gql(remove, {"id": cert_id}, token=other.token)
    after_other = await gql(certs, {"id": maker.organisation_id})
    by_holder = await gql(remove, {"id": cert_id}, token=maker.token)

    assert after_other["organisation"]["certifications"] == [
        {"id": cert_id, "standard": "ISO_9001", "validUntil": later}
    ]
    assert by_other["removeCertification"] == {"__typename": "NotFoundError", "code": "NOT_FOUND"}
    assert by_holder["removeCertification"] == {"__typename": "RemoveSuccess"}
    assert (await gql(certs, {"id": maker.organisation_id}))["organisation"]["certifications"] == []


async def test_a_buyer_only_organisation_cannot_publish_capacity(gql: GraphQL, clock: FakeClock) -> None:
    buyer = await sign_up(gql, kind="BUYER")
    start = clock.now().date()

    data = await gql(
        """mutation($input: CapacityListingInput!) { addCapacityListing(input: $input) {
             __typename ... on UserError { code field } } }""",
        {
            "input": {
                "organisationId": buyer.organisation_id,
                "process": "WELDING",
                "machineHoursPerWeek": 40,
                "availableFrom": start.isoformat(),
                "availableTo": (start + timedelta(days=30)).isoformat(),
                "hourlyRate": {"amount": "3000", "currency": "RUB"},
            }
        },
        token=buyer.token,
    )

    assert data["addCapacityListing"] == {
        "__typename": "NotEligibleError",
        "code": "NOT_A_MANUFACTURER",
        "field": "organisationId",
    }
    listing = await gql(
        "query($id: ID!) { organisation(id: $id) { capacity { process } } }", {"id": buyer.organisation_id}
    )
    assert listing["organisation"]["capacity"] == []
