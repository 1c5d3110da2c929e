"""整村授信 rules (algorithms/village_credit.py): which negative records count."""

from __future__ import annotations

from guanxi.algorithms.village_credit import (
    CreditRules,
    HouseholdFacts,
    credit_relevant,
    decide,
    suggest,
)


def test_traffic_violation_next_door_or_own_does_not_stop_a_grant() -> None:
    f = HouseholdFacts("H:1", ["a"], inflow=100_000.0,
                       records=[("a", "N:1", "车辆违法")],
                       near_records=[("a", "N:2", "车辆违法", 1, ["a", "b"]),
                                     ("a", "N:3", "严重疾病", 2, ["a", "b", "c"]),
                                     ("a", "N:4", "公安处罚", 1, ["a", "d"])])
    s = decide(f)
    assert s.decision == "grant" and s.reasons == []


def test_enforcement_next_door_asks_for_review_and_own_excludes() -> None:
    near = decide(HouseholdFacts("H:1", ["a"], inflow=100_000.0,
                                 near_records=[("a", "N:2", "被执行人", 2, ["a", "b", "c"])]))
    assert near.decision == "review" and [r.code for r in near.reasons] == ["negative_near"]
    own = decide(HouseholdFacts("H:1", ["a"], records=[("a", "N:1", "失信被执行人")]))
    assert own.decision == "exclude" and own.line == 0


def test_the_relevant_kinds_are_configurable() -> None:
    strict = CreditRules(credit_kinds=(*CreditRules().credit_kinds, "车辆违法"))
    f = HouseholdFacts("H:1", ["a"], inflow=100_000.0, near_records=[("a", "N:2", "车辆违法", 1, ["a", "b"])])
    assert decide(f).decision == "grant"
    assert decide(f, strict).decision == "review"


def test_judgment_counts_only_for_loan_or_guarantee_disputes_when_the_cause_is_known() -> None:
    assert credit_relevant("判决被告", "金融借款合同纠纷")
    assert credit_relevant("判决被告", "保证合同纠纷")
    assert not credit_relevant("判决被告", "机动车交通事故责任纠纷")
    assert credit_relevant("判决被告", None)  # no judgment linked: the extract alone cannot tell


def test_a_traffic_offender_is_no_bad_referrer() -> None:
    hs = [HouseholdFacts("H:1", ["a"], records=[("a", "N:1", "车辆违法")], inflow=90_000.0),
          HouseholdFacts("H:2", ["b"], referrers=[("b", "a")], inflow=90_000.0)]
    assert [s.decision for s in suggest(hs)] == ["grant", "grant"]
