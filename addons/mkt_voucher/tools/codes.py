"""Voucher codes: unguessable, easy to read aloud and to type, scannable."""

import base64
import secrets

import barcode
from barcode.writer import SVGWriter

# No 0/O, 1/I/L, 5/S, 8/B, 2/Z: codes are read from paper and typed by staff.
CODE_ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"
CODE_LENGTH = 12  # 25**12 ~ 6e16 codes: guessing one is hopeless


def generate_code(length=CODE_LENGTH):
    """A code drawn with the operating system's cryptographic randomness."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(length))


def barcode_svg_data_uri(code):
    """The code as a Code 128 barcode, an SVG ``data:`` URI for an ``<img>``.

    Inline, so that the PDF needs no route to fetch images from and the print
    shop gets vector graphics that scale without blurring.
    """
    svg = barcode.get("code128", code, writer=SVGWriter()).render(
        {"module_height": 12.0, "quiet_zone": 2.0, "write_text": False}
    )
    return "data:image/svg+xml;base64," + base64.b64encode(svg).decode()
