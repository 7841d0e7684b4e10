"""Scoring of the retold set: drifts caught and with the right kind, false alarms, boilerplate."""

from copydesk_eval.retold import RetoldPair, evaluate_retold, kind_precision

SOURCE = ("Insurers received 4,120 flood claims in 2021, the council said. "
          "Finance Minister Tomas Berg called on insurers to publish their flood maps. "
          "Most claims came from homes near the river.")


def pair(kind: str, derived: str, distortions=(), additions=(), boilerplate=()) -> RetoldPair:
    return RetoldPair(f"t-{kind}", kind, "s-1", "Flood claims", SOURCE, "Claims", derived, kind == "faithful",
                      tuple(distortions), tuple(additions), tuple(boilerplate), (), ())


def test_drifts_false_alarms_and_boilerplate_are_counted(fake_models, fake_embedder, settings):
    drifted = pair(
        "drifted",
        "Pulse Media\nWorld\n06/04/2015 21h57\n\nInsurers received 4,210 flood claims in 2021, the council said.\n"
        "Finance Minister Tomas Berg called on insurers to publish their flood maps.\n"
        "The situation highlights the challenges facing the region.\nRelated",
        distortions=[{"kind": "number_changed", "derived_quote": "4,210 flood claims"},
                     {"kind": "quantifier_changed", "derived_quote": "called on insurers"}],
        additions=["The situation highlights the challenges facing the region."],
        boilerplate=["Pulse Media", "World", "06/04/2015 21h57", "Related"],
    )
    faithful = pair("faithful", "The council said insurers received 4,120 flood claims in 2021.")
    r = evaluate_retold([drifted, faithful], fake_embedder, settings)
    assert r["drifts"] == 2 and r["drifts_caught"] == 0.5 and r["drifts_right_kind"] == 0.5
    assert r["per_kind"]["number_changed"]["right_kind"] == 1 and r["per_kind"]["quantifier_changed"]["caught"] == 0
    assert r["boilerplate_set_aside"] == 1.0 and r["additions_unsupported"] == 1.0
    assert r["faithful_distorted_share"] == 0.0 and r["same_story"] >= 1
    p = kind_precision(r, [{"findings": {"number_changed": 3}}])
    assert p["number_changed"] == {"right": 1, "false_retold": 0, "false_faithful_corpora": 3, "precision": 0.25}
