"""`copydesk trace --engine spark` as a user runs it, with the real model: the same stories as locally."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from copydesk.cli import app
from tests.conftest import DEMO_ARTICLES

runner = CliRunner()
pytestmark = pytest.mark.model


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
    from pyspark.sql import SparkSession

    if (session := SparkSession.getActiveSession()) is not None:
        session.stop()
