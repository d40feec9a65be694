"""The kinds of file an upload may be, as decided from its bytes: their types and extensions, and signatures."""

from __future__ import annotations

from collections.abc import Mapping

# kind -> (the MIME type we serve it with, the extension we store it under)
KINDS: Mapping[str, tuple[str, str]] = {
    "pdf": ("application/pdf", ".pdf"),
    "jpeg": ("image/jpeg", ".jpg"),
    "png": ("image/png", ".png"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".xlsx"),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", ".docx"),
    "pptx": ("application/vnd.openxmlformats-officedocument.presentationml.presentation", ".pptx"),
    "odt": ("application/vnd.oasis.opendocument.text", ".odt"),
    "ods": ("application/vnd.oasis.opendocument.spreadsheet", ".ods"),
    "csv": ("text/csv", ".csv"),
}
# The allowed kinds as people read them: in the refusal of any other file, and in the upload fields' help.
ALLOWED_LABEL = ", ".join(kind.upper() for kind in KINDS)
_EXTENSIONS = dict(KINDS.values())  # content type -> extension
UNKNOWN_EXTENSION = ".bin"  # what a content type we never detect is served as: nothing that opens by itself

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
JPEG_MAGIC = b"\xff\xd8\xff"
ZIP_MAGIC = b"PK\x03\x04"
# ELF, Mach-O (32/64-bit, both byte orders), Mach-O universal / Java class (both CA FE BA BE), shebang scripts.
EXECUTABLE_MAGICS = (
    b"\x7fELF",
    b"\xfe\xed\xfa\xce",
    b"\xfe\xed\xfa\xcf",
    b"\xce\xfa\xed\xfe",
    b"\xcf\xfa\xed\xfe",
    b"\xca\xfe\xba\xbe",
    b"\xca\xfe\xba\xbf",
    b"#!",
)


def extension_for(content_type: str) -> str:
    """The extension a file of this detected content type is stored and served under."""
    return _EXTENSIONS.get(content_type, UNKNOWN_EXTENSION)


def is_executable(head: bytes) -> bool:
    """Whether a file starting with `head` is a program: never accepted, whatever else it may be."""
    if head.startswith(EXECUTABLE_MAGICS):
        return True
    # Every real DOS/PE header has NUL bytes in its first 64 bytes; a CSV whose first cell starts with "MZ"
    # has none, and is not refused for it.
    return head.startswith(b"MZ") and b"\x00" in head[:64]
