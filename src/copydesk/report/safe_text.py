"""Text from articles made safe to show. A title or sentence may carry terminal escape sequences
(a window title, a screen clear, a hyperlink) that a terminal would act on, and characters that
XML 1.0 cannot hold; both are shown, never passed through."""

from __future__ import annotations

import re

# C0 controls but tab and newline, DEL, and the C1 controls (\x9b alone starts a CSI sequence).
_CONTROLS = {c: f"\\x{c:02x}" for c in (*range(0x20), 0x7F, *range(0x80, 0xA0)) if chr(c) not in "\t\n"}
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def for_terminal(text: str) -> str:
    """Control and escape characters written as \\x1b and the like."""
    return text.translate(_CONTROLS)


def for_xml(text: str) -> str:
    """Characters XML 1.0 forbids replaced by U+FFFD (escape <, & and quotes separately)."""
    return _NOT_XML.sub("\ufffd", text)
