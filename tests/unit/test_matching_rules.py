from __future__ import annotations

from datetime import date
from uuid import UUID

import pytest

from domain.capacity.rules import Listing, weeks_before
from domain.errors import DomainError, ErrorCode
from domain.matching.rules import (
    DEFAULT_WEIGHTS,
    BidFactor,
    BidOffer,
    Candidate,
    ExclusionReason,
    Factor,
    Filter,
    History,
    Need,
    Ratings,
    capacity_slack,
    check_weights,
    exclusion,
    explain,
    free_hours,
    lead_time_fit,
    merge_weights,
    price_level,
    rank,
    rank_bids,
    rating_value,
    region_match,
    reliability,
    smoothed,
)

TODAY = date(2026, 3, 4)  # a Wednesday
A = UUID(int=1)
B = UUID(int=2)


def need(**overrides: object) -> Need:
    values: dict[str, object] = {
        "process": "cnc_milling",
        "material": "AlMg3",
        "quantity": 100,
        "required_certifications": ["iso_9001"],
        "need_by": date(2026, 3, 25),  # three weeks: Mar 2, 9, 16
        "delivery_region": "RU-MOW",
        "budget_min_minor": 100_000,
        "budget_max_minor": 200_000,
        "currency": "RUB",
        "estimated_machine_hours": 30,
    }
    values.update(overrides)
    return Need(**values)  # type: ignore[arg-type]


def listing(**overrides: object) -> Listing:
    values: dict[str, object] = {
        "process": "cnc_milling",
        "hours_per_week": 40,
        "available_from": date(2026, 1, 1),
        "available_to": date(2026, 12, 31),
        "hourly_rate_minor": 5_000,
        "currency": "RUB",
    }
    values.update(overrides)
    return Listing(**values)  # type: ignore[arg-type]


def candidate(**overrides: object) -> Candidate:
    values: dict[str, object] = {
        "organisation_id": A,
        "region": "RU-MOW",
        "processes": ["cnc_milling"],
        "materials": ["almg3", "steel"],
        "min_quantity": 1,
        "max_quantity": 1000,
        "certifications": {"iso_9001": date(2027, 1, 1)},
        "listings": [listing()],
    }
    values.update(overrides)
    return Candidate(**values)  # type: ignore[arg-type]


def test_weeks_before_need_by_start_with_this_week_and_stop_before_the_need_by_week() -> None:
    assert weeks_before(TODAY, date(2026, 3, 25)) == [date(2026, 3, 2), date(2026, 3, 9), date(2026, 3, 16)]
    assert weeks_before(TODAY, date(2026, 3, 6)) == []


def test_free_hours_sum_covering_listings_less_reservations_per_week() -> None:
    weeks = weeks_before(TODAY, date(2026, 3, 25))
    listings = [listing(), listing(hours_per_week=10, available_from=date(2026, 3, 10)), listing(process="casting")]

    free = free_hours(listings, "cnc_milling", weeks, {date(2026, 3, 2): 45})

    # week Mar 2: 40 - 45 -> 0; week Mar 9: 40 + 10; week Mar 16: 40 + 10
    assert free == 100


def test_a_fitting_candidate_has_no_exclusion() -> None:
    assert exclusion(candidate(), need(), TODAY) is None


def test_a_profile_without_materials_passes_the_material_filter() -> None:
    assert exclusion(candidate(materials=[]), need(material="Titanium"), TODAY) is None


def test_material_matches_case_insensitively() -> None:
    assert exclusion(candidate(materials=["almg3"]), need(material=" ALMG3 "), TODAY) is None


@pytest.mark.parametrize(
    ("overrides", "need_overrides", "expected_filter", "reason"),
    [
        ({"processes": ["casting"]}, {}, Filter.process, "the profile does not list the process cnc_milling"),
        ({}, {"material": "Titanium"}, Filter.material, "the profile does not list the material Titanium"),
        ({"min_quantity": 500}, {}, Filter.quantity, "quantity 100 is below the profile minimum 500"),
        ({"max_quantity": 50}, {}, Filter.quantity, "quantity 100 is above the profile maximum 50"),
        ({"certifications": {}}, {}, Filter.certification, "certification iso_9001 is required"),
        (
            {"certifications": {"iso_9001": date(2026, 3, 24)}},
            {},
            Filter.certification,
            "certification iso_9001 expires before the need-by date",
        ),
        (
            {},
            {"estimated_machine_hours": 121},
            Filter.capacity,
            "120 free machine-hours before the need-by date, 121 needed",
        ),
        (
            {"listings": []},
            {"estimated_machine_hours": None},
            Filter.capacity,
            "0 free machine-hours before the need-by date, 0 needed",
        ),
    ],
)
def test_the_first_failing_hard_filter_is_named(
    overrides: dict[str, object], need_overrides: dict[str, object], expected_filter: Filter, reason: str
) -> None:
    result = exclusion(candidate(**overrides), need(**need_overrides), TODAY)

    assert result is not None
    assert (result.organisation_id, result.filter, result.reason) == (A, expected_filter, reason)


@pytest.mark.parametrize(
    ("overrides", "need_overrides", "code", "parameters"),
    [
        ({"processes": ["casting"]}, {}, ExclusionReason.process_not_listed, {"process": "cnc_milling"}),
        ({}, {"material": "Titanium"}, ExclusionReason.material_not_listed, {"material": "Titanium"}),
        ({"min_quantity": 500}, {}, ExclusionReason.quantity_below_minimum, {"quantity": 100, "quantity_limit": 500}),
        ({"max_quantity": 50}, {}, ExclusionReason.quantity_above_maximum, {"quantity": 100, "quantity_limit": 50}),
        ({"certifications": {}}, {}, ExclusionReason.certification_missing, {"standard": "iso_9001"}),
        (
            {"certifications": {"iso_9001": date(2026, 3, 24)}},
            {},
            ExclusionReason.certification_expires,
            {"standard": "iso_9001"},
        ),
        (
            {"max_part": (100, 50, 100)},
            {"part_envelope": (120.0, 40.0, 30.0), "envelope_source": "model", "envelope_model_name": "a.step"},
            ExclusionReason.part_too_large,
            {
                "part_mm": (120.0, 40.0, 30.0),
                "largest_part_mm": (50, 100, 100),
                "part_source": "model",
                "part_model_name": "a.step",
            },
        ),
        (
            {},
            {"estimated_machine_hours": 121},
            ExclusionReason.capacity_short,
            {"free_hours": 120, "required_hours": 121},
        ),
    ],
)
def test_an_exclusion_carries_its_code_and_parameters_as_data(
    overrides: dict[str, object],
    need_overrides: dict[str, object],
    code: ExclusionReason,
    parameters: dict[str, object],
) -> None:
    result = exclusion(candidate(**overrides), need(**need_overrides), TODAY)

    assert result is not None
    assert result.code is code
    every = ("process", "material", "quantity", "quantity_limit", "standard", "part_mm", "largest_part_mm",
             "part_source", "part_model_name", "free_hours", "required_hours")  # fmt: skip
    assert {name: getattr(result, name) for name in every} == {name: parameters.get(name) for name in every}


def test_a_certification_valid_on_the_need_by_date_passes() -> None:
    assert exclusion(candidate(certifications={"iso_9001": date(2026, 3, 25)}), need(), TODAY) is None


def test_capacity_slack_is_the_share_left_after_the_order() -> None:
    assert capacity_slack(120, 30) == 0.75
    assert capacity_slack(30, 30) == 0.0
    assert capacity_slack(0, 0) == 0.0


def test_smoothing_starts_at_the_prior_and_moves_toward_the_record() -> None:
    assert smoothed(0, 0) == 0.5
    assert smoothed(5, 5) == 0.75
    assert smoothed(95, 95) == 0.975


def test_region_match_full_same_country_half_else_none() -> None:
    assert region_match("RU-MOW", "RU-MOW") == 1.0
    assert region_match("RU-SVE", "RU-MOW") == 0.5
    assert region_match("KZ-71", "RU-MOW") == 0.0


@pytest.mark.parametrize(
    ("estimate", "expected"),
    [(None, 0.5), (50_000, 1.0), (100_000, 1.0), (150_000, 0.75), (200_000, 0.5), (300_000, 0.25), (500_000, 0.0)],
)
def test_price_level_against_the_budget(estimate: int | None, expected: float) -> None:
    assert price_level(estimate, 100_000, 200_000) == expected


def test_explanations_report_value_weight_and_contribution_summing_to_the_score() -> None:
    score, explanations = explain({Factor.price: 1.0, Factor.region: 0.5}, {Factor.price: 3.0, Factor.region: 1.0})

    assert [(e.factor, e.value, e.weight, e.contribution) for e in explanations] == [
        (Factor.price, 1.0, 3.0, 0.75),
        (Factor.region, 0.5, 1.0, 0.125),
    ]
    assert score == 0.875


def test_rank_hand_computed_score_and_exclusions() -> None:
    # A: 120 free h, 30 needed -> slack 0.75; no history -> on_time 0.5, dispute_free 0.5, response 0.5;
    # same region 1.0; estimate 5000 * 30 = 150_000 -> price 0.75.
    # B: other country, fails nothing, 5 on-time deliveries of 5 -> on_time 0.75; three reviews of 5, 5 and 2
    # stars -> (4 + 4 + 1) / 4 = 2.25 points, (2.25 + 2.5) / (3 + 5) = 0.59375. A has no reviews: 0.5.
    # C: excluded by process.
    b = candidate(
        organisation_id=B,
        region="KZ-71",
        history=History(delivered=5, delivered_on_time=5),
        rating=Ratings(count=3, points=9),
    )
    c = candidate(organisation_id=UUID(int=3), processes=["casting"])
    weights = {factor: 1.0 for factor in Factor}

    scored, excluded = rank([b, candidate(), c], need(), TODAY, weights)

    assert [(s.organisation_id, round(s.score, 6)) for s in scored] == [
        (A, round((0.75 + 0.5 + 0.5 + 1.0 + 0.75 + 0.5 + 0.5) / 7, 6)),
        (B, round((0.75 + 0.75 + 0.5 + 0.0 + 0.75 + 0.5 + 0.59375) / 7, 6)),
    ]
    assert {e.factor: e.value for e in scored[0].explanations} == {
        Factor.capacity_slack: 0.75,
        Factor.on_time: 0.5,
        Factor.dispute_free: 0.5,
        Factor.region: 1.0,
        Factor.price: 0.75,
        Factor.response: 0.5,
        Factor.rating: 0.5,
    }
    assert {e.factor: e.value for e in scored[1].explanations}[Factor.rating] == 0.59375
    assert [(e.organisation_id, e.filter) for e in excluded] == [(UUID(int=3), Filter.process)]


def test_rank_with_nobody_fitting_is_empty_with_reasons() -> None:
    scored, excluded = rank([candidate(processes=["casting"])], need(), TODAY, dict(DEFAULT_WEIGHTS))

    assert scored == []
    assert [e.filter for e in excluded] == [Filter.process]


@pytest.mark.parametrize(
    ("weights", "message"),
    [
        ({"price": -1.0}, "weight of price must be a finite number >= 0"),
        ({"price": 0.0, "region": 0.0}, "at least one weight must be above zero"),
        ({"colour": 1.0}, "unknown factor 'colour'"),
        ({"price": float("nan")}, "weight of price must be a finite number >= 0"),
    ],
)
def test_bad_weights_are_refused(weights: dict[str, float], message: str) -> None:
    with pytest.raises(DomainError) as refused:
        check_weights(weights, kind=Factor)

    assert refused.value.message == message
    assert refused.value.field == "weights"


def test_an_override_replaces_only_the_factors_it_names() -> None:
    merged = merge_weights(DEFAULT_WEIGHTS, {"price": 5.0}, kind=Factor)

    assert merged == {**DEFAULT_WEIGHTS, Factor.price: 5.0}


def test_an_override_may_zero_some_factors() -> None:
    merged = merge_weights(DEFAULT_WEIGHTS, {"price": 0.0}, kind=Factor)

    assert merged == {**DEFAULT_WEIGHTS, Factor.price: 0.0}


def test_an_override_zeroing_every_factor_is_refused() -> None:
    with pytest.raises(DomainError) as refused:
        merge_weights(DEFAULT_WEIGHTS, {factor.value: 0.0 for factor in Factor}, kind=Factor)

    assert refused.value.code == ErrorCode.OUT_OF_RANGE


@pytest.mark.parametrize(("lead", "days_left", "expected"), [(10, 20, 0.75), (20, 20, 0.5), (21, 20, 0.0), (1, 0, 0.0)])
def test_lead_time_fit(lead: int, days_left: int, expected: float) -> None:
    assert lead_time_fit(lead, days_left) == expected


def test_reliability_is_the_mean_of_smoothed_on_time_and_dispute_free_rates() -> None:
    # on time 5/5 -> 0.75; disputes 5/5 -> dispute-free 0.25
    assert reliability(History(delivered=5, delivered_on_time=5, contracts=5, disputed=5)) == 0.5
    assert reliability(History()) == 0.5


def test_rank_bids_hand_computed() -> None:
    # need-by 21 days after TODAY; budget 100_000..200_000
    cheap_late = BidOffer(UUID(int=10), A, total_minor=100_000, lead_time_days=30)
    dear_fast = BidOffer(UUID(int=11), B, total_minor=200_000, lead_time_days=7)
    weights = {BidFactor.price: 3.0, BidFactor.lead_time: 1.0, BidFactor.reliability: 0.0}

    ranked = rank_bids([dear_fast, cheap_late], need(), TODAY, weights)

    # cheap_late: (3 * 1.0 + 1 * 0.0) / 4 = 0.75; dear_fast: (3 * 0.5 + 1 * (0.5 + 0.5 * 14 / 21)) / 4
    assert [(item.bid_id, round(item.score, 6)) for item in ranked] == [
        (UUID(int=10), 0.75),
        (UUID(int=11), round((1.5 + 0.5 + 0.5 * 14 / 21) / 4, 6)),
    ]
    assert [(e.factor, e.value, e.weight) for e in ranked[0].explanations] == [
        (BidFactor.price, 1.0, 3.0),
        (BidFactor.lead_time, 0.0, 1.0),
        (BidFactor.reliability, 0.5, 0.0),
    ]


@pytest.mark.parametrize(
    ("ratings", "expected"),
    [(Ratings(), 0.5), (Ratings(count=1, points=4), (1 + 2.5) / 6), (Ratings(count=20, points=0), 2.5 / 25)],
)
def test_ratings_are_stars_in_0_to_1_smoothed_toward_the_neutral_prior(ratings: Ratings, expected: float) -> None:
    assert rating_value(ratings) == pytest.approx(expected)
