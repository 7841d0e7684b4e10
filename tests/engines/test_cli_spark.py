"""`copydesk trace --engine spark` as a user runs it, with the real model: the same stories as locally."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st
from typer.testing import CliRunner

from copydesk.cli import app
from tests.conftest import DEMO_ARTICLES

runner = CliRunner()
pytestmark = pytest.mark.model


@pytest.fixture(scope="module", autouse=True)
def stop_spark():
    """The runs here share one Spark session; it is stopped before the other tests go on."""
    yield
    from pyspark.sql import SparkSession

    if (session := SparkSession.getActiveSession()) is not None:
        session.stop()


def test_spark_trace_matches_local_trace_on_the_demo(tmp_path, spark_available):
    db = str(tmp_path / "demo.db")
    assert runner.invoke(app, ["add", str(DEMO_ARTICLES), "--db", db]).exit_code == 0
    assert runner.invoke(app, ["export", "--parquet", str(tmp_path / "pq"), "--db", db]).exit_code == 0
    local = runner.invoke(app, ["trace", "--db", db, "--json"])
    spark = runner.invoke(
        app,
        ["trace", "--engine", "spark", "--input", str(tmp_path / "pq"), "--output", str(tmp_path / "out"),
         "--master", "local[2]", "--partitions", "2", "--json"],
    )
    assert local.exit_code == 0 and spark.exit_code == 0, spark.output
    assert json.loads(spark.stdout) == json.loads(local.stdout)
    assert json.loads(local.stdout)["clusters"][0]["members"]  # a story was found, not two empty lists
    assert "stage relations:" in spark.stderr and "candidate pairs" in spark.stderr


hostile_ids = st.none() | st.sampled_from(["", "  ", "dup", "dup", "a\nb", "\x1b[2J"]) | st.text(max_size=8)
hostile_texts = st.none() | st.sampled_from(["", " \n ", "\u200b\u200b", "\x00\x01", "。", "“unbalanced. Quote"]) | st.text(max_size=40)
VALID = "The council of Tull approved a 44-metre bridge on Friday. The work will take 3 years, the mayor said."


@settings(max_examples=3, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(hostile_ids, hostile_texts), max_size=6))
def test_spark_trace_skips_hostile_rows_in_one_line(tmp_path_factory, spark_available, generated):
    """Rows without an id or text, repeated ids and texts with nothing to read are skipped and counted
    (exit 1), or the run is clean (exit 0); never a traceback or pages of Java."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    root = tmp_path_factory.mktemp("hostile")
    (root / "pq").mkdir()
    ids = ["valid-1", "valid-2", *(i for i, _ in generated)]
    texts = [VALID, VALID.replace("Friday", "Monday"), *(t for _, t in generated)]
    pq.write_table(pa.table({"id": pa.array(ids, pa.string()), "text": pa.array(texts, pa.string())}), root / "pq" / "part-0.parquet")
    result = runner.invoke(app, ["trace", "--engine", "spark", "--input", str(root / "pq"), "--output", str(root / "out"),
                                 "--master", "local[2]", "--partitions", "2", "--fast", "--json"])
    assert result.exit_code in (0, 1), result.output
    assert "Traceback" not in result.output and "at org.apache" not in result.stderr
    assert [c["members"] for c in json.loads(result.stdout)["clusters"]] == [["valid-1", "valid-2"]]
    assert ("skipped:" in result.stderr) == (result.exit_code == 1)
