"""Reading `sources` lists and trace trees as the retold-set provenance figures do."""

from copydesk.models import Cluster
from copydesk_eval.report import section
from copydesk_eval.provenance import listed_first, parent_in
from tests.trace.test_cluster import rel


def test_listed_first_is_the_top_relation_unless_it_was_retold_from_the_query():
    assert listed_first([rel("wire", "farm"), rel("blog", "farm")], "farm") == "wire"
    assert listed_first([rel("farm", "wire", known=False, confidence=0.0)], "farm") == "wire"  # undecided: a source
    assert listed_first([rel("farm", "copy")], "farm") is None  # known to be told from the query
    assert listed_first([], "farm") is None


def test_parent_in_reads_the_tree_edge_into_the_article():
    tree = Cluster("story-1", "wire", ("farm", "rewrite", "wire"), (rel("wire", "rewrite"), rel("rewrite", "farm")))
    assert parent_in([tree], "farm") == "rewrite"
    assert parent_in([tree], "wire") is None


def test_provenance_markdown_has_a_row_per_run_with_the_goals():
    run = {"retellings": 24, "two_article_source_first": 100.0,
           "crowded": {"articles": 1143, "distractors": 1096, "source_first": 91.7, "trace_under_source": 75.0,
                       "siblings_both_under_source": 58.3, "largest_story": 914, "source_story_alone": 8.3,
                       "source_story_others_median": 560.5},
           "pairs": {"retellings_called_derived": 91.7, "independent_called_derived": 58.3,
                     "siblings_without_source_called_derived": 100.0}}
    text = section("provenance", {"fast": run, "default": {**run, "two_article_source_first": 95.8}})
    assert "| all-MiniLM-L6-v2 (default) | 95.8% | 91.7% | 75.0%" in text
    assert "| static (`--fast`) | 100.0% |" in text
    assert "1,096 real distractors" in text and "issue #20" in text
    assert "the largest story holds 914 articles; 8.3% of the sources" in text
