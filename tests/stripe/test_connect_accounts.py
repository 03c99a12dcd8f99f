"""Connect payout accounts: created with controller properties, onboarded through links that are fresh on every
request (Account Links are single-use and expire in minutes; an idempotent replay would hand back a dead one)."""

from __future__ import annotations

from tests.api.graphql import make_manufacturer
from tests.stripe.localstripe_server import CONNECT
from tests.stripe.world import StripeWorld

LINK = """mutation($org: ID!) {
  createStripeOnboardingLink(
    organisationId: $org, returnUrl: "https://spa.test/ok", refreshUrl: "https://spa.test/again"
  ) {
    __typename ... on PayoutAccountLinkSuccess { url } ... on UserError { code } } }"""


async def test_each_onboarding_request_gets_a_fresh_link_to_one_account(world: StripeWorld) -> None:
    maker = await make_manufacturer(world.gql, world.clock)
    first = (await world.gql(LINK, {"org": maker.organisation_id}, token=maker.token))["createStripeOnboardingLink"]
    again = (await world.gql(LINK, {"org": maker.organisation_id}, token=maker.token))["createStripeOnboardingLink"]

    assert first["__typename"] == again["__typename"] == "PayoutAccountLinkSuccess"
    assert first["url"] != again["url"]  # same URLs asked for, yet a new link: not a replayed one
    [account_first, account_again] = [link["url"].rsplit("/", 1)[1].split("?")[0] for link in (first, again)]
    assert account_first == account_again  # the account is created once
    account = CONNECT.accounts[account_first]
    assert account["type"] is None  # not the legacy `type: express`
    assert account["controller"] == {
        "fees": {"payer": "application"},
        "losses": {"payments": "application"},
        "stripe_dashboard": {"type": "express"},
    }
