"""Reading PDFs back in tests: text per page (poppler's pdftotext), document info (pdfinfo), fonts (pdffonts), and
the PDF's objects with their streams inflated (to look for catalog entries inside compressed object streams)."""

import re
import shutil
import subprocess
import tempfile
import zlib
from pathlib import Path


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise RuntimeError(f"{name} is missing: install poppler-utils (apt-get install poppler-utils).")
    return path


def _as_file(pdf: bytes | Path) -> Path:
    if isinstance(pdf, Path):
        return pdf
    handle = tempfile.NamedTemporaryFile(suffix=".pdf", delete=False)  # noqa: SIM115  removed by the OS temp cleanup
    handle.write(pdf)
    handle.close()
    return Path(handle.name)


def pages_text(pdf: bytes | Path) -> list[str]:
    """One string per page, in layout mode."""
    out = subprocess.run(
        [_tool("pdftotext"), "-layout", "-enc", "UTF-8", str(_as_file(pdf)), "-"], capture_output=True, check=True
    ).stdout.decode("utf-8")
    pages = out.split("\f")
    return pages[:-1] if pages and not pages[-1].strip() else pages


def flat(text: str) -> str:
    """Whitespace collapsed, so titles wrapped over two lines compare equal."""
    return " ".join(text.split())


def info(pdf: bytes | Path) -> dict[str, str]:
    out = subprocess.run([_tool("pdfinfo"), str(_as_file(pdf))], capture_output=True, check=True, text=True).stdout
    return {key.strip(): value.strip() for key, _, value in (line.partition(":") for line in out.splitlines())}


def fonts(pdf: bytes | Path) -> list[str]:
    out = subprocess.run([_tool("pdffonts"), str(_as_file(pdf))], capture_output=True, check=True, text=True).stdout
    return out.splitlines()[2:]


def inflated(pdf: bytes) -> bytes:
    """The raw PDF followed by every Flate stream decompressed: catalog entries in object streams become visible."""
    parts = [pdf]
    for match in re.finditer(rb"stream\r?\n", pdf):
        try:
            parts.append(zlib.decompressobj().decompress(pdf[match.end() :]))
        except zlib.error:
            continue
    return b"\n".join(parts)


# Page furniture of our documents: the footer "Regionkontoret, <title> N(M)" and the contents on page 2.

FOOTER = re.compile(r"Regionkontoret, (.+?) (\d+)\((\d+)\)\s*$")


def footers(pages: list[str]) -> list[tuple[str, int, int]]:
    found = []
    for text in pages:
        last = [line for line in text.splitlines() if line.strip()][-1]
        match = FOOTER.search(last)
        assert match, f"no footer on a page ending {last!r}"
        found.append((match[1], int(match[2]), int(match[3])))
    return found


TOC_LINE = re.compile(r"^\s*(\d+(?:\.\d+)*) (.+?)[ .]*?\s(\d+)\s*$")


def toc_entries(pages: list[str]) -> list[tuple[str, str, int]]:
    """(number, title, page) of the contents, which starts on page 2."""
    entries = []
    for line in pages[1].splitlines():
        match = TOC_LINE.match(line)
        if match:
            entries.append((match[1], re.sub(r"[ .]+$", "", match[2]).strip(), int(match[3])))
    return entries


def first_page_with(pages: list[str], text: str, after: int) -> int | None:
    for index in range(after, len(pages)):
        if text in flat(pages[index]):
            return index + 1
    return None
