import json

from copydesk.settings import update_calibration


def test_calibration_scripts_merge_their_values_without_dropping_each_others(tmp_path):
    path = tmp_path / "calibration.json"
    update_calibration(path, "scripts/a.py", "model", {"match_threshold": 0.5}, fitted_on="pairs")
    update_calibration(path, "scripts/b.py", "model", {"brief_min_lead_similarity": 0.4}, brief_fitted_on="briefs")
    update_calibration(path, "scripts/a.py", "model", {"match_threshold": 0.6}, fitted_on="more pairs")
    record = json.loads(path.read_text())
    entry = record["embedders"]["model"]
    assert entry["values"] == {"match_threshold": 0.6, "brief_min_lead_similarity": 0.4}
    assert entry["fitted_on"] == "more pairs" and entry["brief_fitted_on"] == "briefs"
    assert record["scripts"] == ["scripts/a.py", "scripts/b.py"]
