# Run by `./mkt run` inside `odoo-bin shell` (``env`` is given), after base and
# before accounting: the demo company is a German wholesaler booking in EUR, so
# that installing accounting picks the German chart of accounts (l10n_de).
# Run again once the suite is installed: Odoo's demo data of modules installed
# later renames the company (stock) and adds sample companies.
import base64
import io

from PIL import Image, ImageDraw, ImageFont

from odoo.tools import file_path


def demo_logo():
    """A simple logo, drawn the same on every machine (Odoo's own Lato font):
    the letters and documents show it instead of the "Your logo" placeholder."""
    green, gold = (46, 83, 57), (201, 162, 39)
    image = Image.new("RGB", (600, 160), "white")
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle((0, 0, 160, 160), radius=28, fill=green)
    font = file_path("web/static/fonts/lato/Lato-Bol-webfont.ttf")
    draw.text(
        (80, 82), "FW", fill="white", font=ImageFont.truetype(font, 84), anchor="mm"
    )
    draw.text((190, 30), "Feinkost Welt", fill=green, font=ImageFont.truetype(font, 62))
    draw.rectangle((192, 112, 580, 118), fill=gold)
    stream = io.BytesIO()
    image.save(stream, format="PNG")
    return base64.b64encode(stream.getvalue())


euro = env.ref("base.EUR")  # noqa: F821
euro.active = True
company = env.ref("base.main_company")  # noqa: F821
if company.currency_id != euro:
    # Not again once accounting books in it: the currency is then fixed.
    company.currency_id = euro
company.write(
    {
        "name": "Feinkost Welt GmbH",
        "street": "Großer Burstah 12",
        "zip": "20457",
        "city": "Hamburg",
        "country_id": env.ref("base.de").id,  # noqa: F821
        "email": "info@feinkost-welt.example.com",
        "phone": "+49 40 1234567",
        "website": "https://www.feinkost-welt.example",
        # Printed in the footer of German documents ("HRB Nr:").
        "company_registry": "123456 (Amtsgericht Hamburg)",
        "logo": demo_logo(),
    }
)
if "mkt.demo.data" in env:  # noqa: F821
    env["mkt.demo.data"]._archive_sample_companies()  # noqa: F821
env.cr.commit()  # noqa: F821
