"""Evaluators over the labelled data in ../shared/data (never copied into the repo)."""
