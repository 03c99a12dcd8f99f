"""VAT as the API tests share it: an organisation's declared tax status, the bids' taxed amounts, and one taxed
amount as the API writes it. Used across tests/api/ (a test module imports helpers from here, not from another
test)."""

from __future__ import annotations

from typing import Any

from tests.api.graphql import GraphQL, Party

TAXED = "{ net { amount } vat { amount } gross { amount } rate treatment }"
BIDS = f"""query($id: ID!) {{ node(id: $id) {{ ... on Order {{ budget {{ includesVat }}
  bids(first: 10) {{ edges {{ node {{ id vatTreatment total {{ amount }} totalTaxed {TAXED}
    platformFeeTaxed {TAXED} manufacturerNetTaxed {TAXED} manufacturer {{ id taxStatus }} }} }} }}
}} }} }}"""
SET_STATUS = """mutation($id: ID!, $s: TaxStatus!) { setTaxStatus(id: $id, taxStatus: $s) {
  __typename ... on OrganisationSuccess { organisation { taxStatus taxStatusCheckedAt } }
  ... on UserError { code field message } } }"""


def taxed(net: str, vat: str, gross: str, rate: str | None, treatment: str) -> dict[str, Any]:
    return {
        "net": {"amount": net},
        "vat": {"amount": vat},
        "gross": {"amount": gross},
        "rate": rate,
        "treatment": treatment,
    }


NO_VAT = "SIMPLIFIED_NO_VAT"


async def declare(gql: GraphQL, party: Party, status: str) -> None:
    result = (await gql(SET_STATUS, {"id": party.organisation_id, "s": status}, token=party.token))["setTaxStatus"]
    assert result["organisation"]["taxStatus"] == status, result
