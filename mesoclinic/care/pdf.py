"""PDF copies printed by Chromium, so Urdu both looks right and can be read back.

Checked on this stack (shared/STACK.md): WeasyPrint draws Nastaliq well but its text layer
loses and changes Urdu letters; Chromium's printing keeps every letter. The page is rendered
by a Django template into a temporary file with the Nastaliq font inlined (nothing is fetched
from the network), and `chromium --headless --print-to-pdf` prints it. One process per PDF
(about a second); moving it to the task worker is a later step.
"""

import base64
import functools
import logging
import subprocess
import tempfile
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders

logger = logging.getLogger(__name__)

NASTALIQ = "guide/fonts/noto-nastaliq-urdu-arabic-400.woff2"
_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--no-pdf-header-footer",
    # Virtual time lets the inlined font finish loading before the page is printed.
    "--virtual-time-budget=5000",
)


class PdfUnavailable(RuntimeError):
    """Chromium is missing or failed; the message says which, without patient data."""


@functools.cache
def nastaliq_data_uri() -> str:
    """The Nastaliq web font as a data: URI for the print template's @font-face."""
    path = finders.find(NASTALIQ)
    if path is None:
        raise PdfUnavailable(f"The Nastaliq font {NASTALIQ} is missing from the static files.")
    data = Path(path).read_bytes()
    return "data:font/woff2;base64," + base64.b64encode(data).decode("ascii")


def print_pdf(html: str, *, timeout: int = 60) -> bytes:
    """Print an HTML document to PDF bytes with headless Chromium."""
    chromium = settings.CHROMIUM_PATH
    if not Path(chromium).exists():
        raise PdfUnavailable(f"Chromium not found at {chromium} (set MESOCLINIC_CHROMIUM).")
    with tempfile.TemporaryDirectory(prefix="mesoclinic-pdf-") as tmp:
        source, output = Path(tmp) / "document.html", Path(tmp) / "document.pdf"
        source.write_text(html, encoding="utf-8")
        command = [
            chromium,
            *_FLAGS,
            f"--user-data-dir={Path(tmp) / 'profile'}",
            f"--print-to-pdf={output}",
            source.as_uri(),
        ]
        try:
            # The command is fixed flags, a path from settings and our own temporary file.
            completed = subprocess.run(  # noqa: S603
                command, capture_output=True, timeout=timeout, check=False
            )
        except subprocess.TimeoutExpired:
            raise PdfUnavailable("Chromium did not finish printing in time.") from None
        if not output.exists() or output.stat().st_size == 0:
            logger.warning("chromium print failed: exit %s", completed.returncode)
            raise PdfUnavailable(f"Chromium could not print (exit {completed.returncode}).")
        return output.read_bytes()
