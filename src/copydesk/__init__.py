"""copydesk: trace retold news back to its source and show what changed."""

from copydesk.pipeline import compare
from copydesk.errors import CopydeskError, InputError
from copydesk.ingest import document_from_text, load_document
from copydesk.models import CompareResult, Document
from copydesk.report.json import to_json_dict
from copydesk.settings import Settings

__version__ = "0.1.0"

__all__ = [
    "compare",
    "CompareResult",
    "CopydeskError",
    "Document",
    "InputError",
    "Settings",
    "document_from_text",
    "load_document",
    "to_json_dict",
    "__version__",
]
