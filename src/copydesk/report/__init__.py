"""Render a CompareResult: JSON (copydesk.compare/1), terminal, HTML."""
