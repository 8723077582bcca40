#!/usr/bin/env python3
"""Take the user guide's screenshots from the running demo.

Start the demo (``./mkt run``), then, from the project folder::

    .venv/bin/python tools/screenshots.py            # every screen
    .venv/bin/python tools/screenshots.py --list     # the screens and their files
    .venv/bin/python tools/screenshots.py promotion-form order-code-refused

The PNGs go to ``docs/images/`` (``--out``), one per screen, named after it.
Each screen is opened by its URL in Debian's headless ``chromium``, driven over
the DevTools protocol (``websocket-client``), logged in as admin, in German, at a
fixed window size; the picture is taken once the web client is idle (no request
pending, no loading indicator, the page unchanged for a moment), as Odoo's tours
wait. Records are found by what does not change with the wording of the demo
(promotion codes, program flags, segments), so the screenshots can be taken
again after the demo's names or translations changed.

A few screens need a situation the demo does not hold ready (a quotation of a
voucher customer, a wrong code typed on an order): the script creates a draft
quotation for them and deletes it afterwards. Nothing else is written, except
the admin's language while it runs when it is not German (set back at the end).

Exit status 0 when every screen was taken; 1 with a message naming the screen
otherwise; 2 when the server cannot be reached or the login fails.
"""

import argparse
import base64
import contextlib
import http.cookiejar
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import websocket

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = ROOT / "docs" / "images"

# Counts the requests in flight and the last change of the page, so that "idle"
# means what it means for Odoo's tours: nothing loading, nothing moving.
IDLE_PROBE = """
(() => {
    window.__mktPending = 0;
    window.__mktLastChange = Date.now();
    const send = XMLHttpRequest.prototype.send;
    XMLHttpRequest.prototype.send = function (...args) {
        window.__mktPending++;
        this.addEventListener("loadend", () => window.__mktPending--, { once: true });
        return send.apply(this, args);
    };
    const fetch = window.fetch;
    window.fetch = function (...args) {
        window.__mktPending++;
        return fetch.apply(this, args).finally(() => window.__mktPending--);
    };
    new MutationObserver(() => (window.__mktLastChange = Date.now())).observe(
        document, { subtree: true, childList: true, attributes: true, characterData: true }
    );
})();
"""

IDLE_CHECK = """
(() => {
    if (document.readyState !== "complete") return "loading";
    if (%(web_client)d && !(window.odoo && odoo.isReady)) return "starting";
    if (window.__mktPending > 0) return "rpc";
    const busy = ".o_loading_indicator, .o_blockUI, .o-main-components-container .o_loading";
    if (document.querySelector(busy)) return "indicator";
    if (Date.now() - window.__mktLastChange < %(quiet)d) return "changing";
    return "idle";
})()
"""

# What the web client shows when something went wrong.
ERROR_CHECK = """
(() => {
    const dialog = document.querySelector(".o_error_dialog");
    if (dialog) return dialog.innerText.slice(0, 600);
    const danger = document.querySelector(
        ".o_notification.border-danger, .o_notification_bar.bg-danger"
    );
    if (danger) return danger.innerText.slice(0, 600);
    return "";
})()
"""


class ScreenshotError(Exception):
    """A screen could not be taken; the message says which and why."""


class ServerUnreachable(Exception):
    """No Odoo answers at the URL, or the login is refused."""


# ----------------------------------------------------------------------
# The Odoo server (JSON-RPC, to find records and to set up a situation)
# ----------------------------------------------------------------------


class Server:
    def __init__(self, url, db):
        self.url = url.rstrip("/")
        self.db = db
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies)
        )
        self.uid = None
        self.lang = "en_US"
        self.company_id = None

    def rpc(self, route, params):
        request = urllib.request.Request(
            self.url + route,
            data=json.dumps(
                {"jsonrpc": "2.0", "method": "call", "id": 1, "params": params}
            ).encode(),
            headers={"Content-Type": "application/json"},
        )
        try:
            with self.opener.open(request, timeout=120) as response:
                answer = json.load(response)
        except (urllib.error.URLError, ConnectionError, TimeoutError) as error:
            raise ServerUnreachable(
                f"No Odoo server answers at {self.url} ({error}). Start the demo "
                "first (./mkt run, with the same MKT_DB and MKT_HTTP_PORT) or pass "
                "--url and --db."
            ) from error
        if answer.get("error"):
            data = answer["error"].get("data") or {}
            raise ScreenshotError(
                f"{route}: {data.get('message') or answer['error'].get('message')}"
            )
        return answer["result"]

    def login(self, login, password):
        try:
            result = self.rpc(
                "/web/session/authenticate",
                {"db": self.db, "login": login, "password": password},
            )
        except ScreenshotError as error:
            raise ServerUnreachable(
                f"Cannot log in to database {self.db!r} at {self.url} as {login!r}: "
                f"{str(error).rstrip('.')}. Is it the demo database (--db, MKT_DB)?"
            ) from error
        self.uid = result["uid"]
        self.company_id = result["user_companies"]["current_company"]
        return self.session_id

    @property
    def session_id(self):
        for cookie in self.cookies:
            if cookie.name == "session_id":
                return cookie.value
        raise ServerUnreachable("The server gave no session cookie.")

    def call(self, model, method, *args, **kwargs):
        # Names and labels in the language of the screenshots.
        # Records of the company the web client shows (admin may see others).
        kwargs.setdefault(
            "context", {"lang": self.lang, "allowed_company_ids": [self.company_id]}
        )
        return self.rpc(
            f"/web/dataset/call_kw/{model}/{method}",
            {"model": model, "method": method, "args": list(args), "kwargs": kwargs},
        )

    def find(self, model, domain, order="id", what=None):
        """The id of the first record of ``domain``; a clear error when none."""
        ids = self.call(model, "search", domain, order=order, limit=1)
        if not ids:
            raise ScreenshotError(
                f"The demo has no {what or model} ({domain}). Is this the demo "
                "database of ./mkt run?"
            )
        return ids[0]

    def xmlid(self, xmlid):
        module, name = xmlid.split(".")
        found = self.call(
            "ir.model.data",
            "search_read",
            [("module", "=", module), ("name", "=", name)],
            ["res_id"],
        )
        if not found:
            raise ScreenshotError(f"Unknown XML id {xmlid}: is the add-on installed?")
        return found[0]["res_id"]


# ----------------------------------------------------------------------
# Headless Chromium over the DevTools protocol
# ----------------------------------------------------------------------


class Browser:
    def __init__(self, executable, width, height, lang, verbose=False):
        self.executable = executable
        self.width = width
        self.height = height
        self.lang = lang
        self.verbose = verbose
        self.process = None
        self.profile = None
        self.socket = None
        self.next_id = 0
        self.exceptions = []
        self.current_height = height

    def start(self):
        self.profile = tempfile.mkdtemp(prefix="mkt-screenshots-")
        command = [
            self.executable,
            "--headless=new",
            "--remote-debugging-port=0",
            f"--user-data-dir={self.profile}",
            f"--window-size={self.width},{self.height}",
            f"--lang={self.lang.replace('_', '-')}",
            "--no-first-run",
            "--no-default-browser-check",
            "--disable-gpu",
            "--disable-extensions",
            "--disable-dev-shm-usage",
            "--hide-scrollbars",
            "--force-device-scale-factor=1",
            "--font-render-hinting=none",
            "about:blank",
        ]
        if os.geteuid() == 0:
            command.insert(1, "--no-sandbox")  # Chromium refuses root otherwise
        self.process = subprocess.Popen(
            command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        port_file = Path(self.profile) / "DevToolsActivePort"
        deadline = time.monotonic() + 30
        while not port_file.exists() or not port_file.read_text().strip():
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise ScreenshotError(f"{self.executable} did not start.")
            time.sleep(0.1)
        port = port_file.read_text().split()[0]
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list") as answer:
            targets = json.load(answer)
        page = next(target for target in targets if target["type"] == "page")
        self.socket = websocket.create_connection(
            page["webSocketDebuggerUrl"], timeout=60, suppress_origin=True
        )
        self.send("Page.enable")
        self.send("Runtime.enable")
        self.send("Page.addScriptToEvaluateOnNewDocument", source=IDLE_PROBE)
        self.resize()
        return self

    def close(self):
        if self.socket:
            with contextlib.suppress(Exception):
                self.send("Browser.close")
            self.socket.close()
        if self.process:
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
        if self.profile:
            shutil.rmtree(self.profile, ignore_errors=True)

    def send(self, method, **params):
        self.next_id += 1
        message_id = self.next_id
        self.socket.send(
            json.dumps({"id": message_id, "method": method, "params": params})
        )
        while True:
            message = json.loads(self.socket.recv())
            if message.get("id") == message_id:
                if "error" in message:
                    raise ScreenshotError(f"{method}: {message['error']['message']}")
                return message.get("result", {})
            if message.get("method") == "Runtime.exceptionThrown":
                details = message["params"]["exceptionDetails"]
                text = (details.get("exception") or {}).get("description") or details[
                    "text"
                ]
                self.exceptions.append(text.splitlines()[0])

    def evaluate(self, expression):
        result = self.send(
            "Runtime.evaluate",
            expression=expression,
            awaitPromise=True,
            returnByValue=True,
        )
        if "exceptionDetails" in result:
            details = result["exceptionDetails"]
            raise ScreenshotError(
                (details.get("exception") or {}).get("description") or details["text"]
            )
        return result["result"].get("value")

    def resize(self, height=None):
        self.send(
            "Emulation.setDeviceMetricsOverride",
            width=self.width,
            height=height or self.height,
            deviceScaleFactor=1,
            mobile=False,
        )
        self.current_height = height or self.height

    def set_cookie(self, url, name, value):
        self.send("Network.setCookie", url=url, name=name, value=value)

    def navigate(self, url):
        self.exceptions.clear()
        self.send("Page.navigate", url=url)

    def wait_idle(
        self, what, timeout=60, quiet=600, web_client=True, check_errors=True
    ):
        deadline = time.monotonic() + timeout
        state = None
        while time.monotonic() < deadline:
            time.sleep(0.2)
            try:
                state = self.evaluate(
                    IDLE_CHECK % {"quiet": quiet, "web_client": int(web_client)}
                )
            except ScreenshotError:
                state = "navigating"  # the page changed under the evaluation
            error = (
                self.evaluate(ERROR_CHECK) if state == "idle" and check_errors else ""
            )
            if error:
                raise ScreenshotError(
                    f"{what}: the web client shows an error:\n{error}"
                )
            if state == "idle":
                if self.exceptions:
                    raise ScreenshotError(
                        f"{what}: JavaScript error: {self.exceptions[0]}"
                    )
                return
        raise ScreenshotError(
            f"{what}: the page did not become idle within {timeout} s (last: {state})."
        )

    def wait_for(self, selector, what, timeout=30):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.evaluate(f"!!document.querySelector({json.dumps(selector)})"):
                return
            time.sleep(0.2)
        raise ScreenshotError(
            f"{what}: {selector!r} did not appear within {timeout} s."
        )

    def click(self, selector, what):
        self.wait_for(selector, what)
        self.evaluate(f"document.querySelector({json.dumps(selector)}).click()")

    def click_row(self, list_selector, text, what):
        """Click the first cell of the list row that shows ``text``."""
        self.wait_for(f"{list_selector} .o_data_row", what)
        found = self.evaluate(
            f"""(() => {{
                const list = {json.dumps(list_selector)};
                const rows = document.querySelectorAll(list + " .o_data_row");
                const row = [...rows].find((r) => r.innerText.includes({json.dumps(text)}));
                if (!row) return false;
                row.querySelector("td.o_data_cell:not(.o_handle_cell)").click();
                return true;
            }})()"""
        )
        if not found:
            raise ScreenshotError(f"{what}: no row {text!r} in {list_selector}.")

    def fill(self, selector, text, what):
        """Type into an input the way a user does: the value, then leave the field."""
        self.wait_for(selector, what)
        self.evaluate(
            f"""(() => {{
                const input = document.querySelector({json.dumps(selector)});
                input.focus();
                input.value = {json.dumps(text)};
                input.dispatchEvent(new Event("input", {{ bubbles: true }}));
                input.dispatchEvent(new Event("change", {{ bubbles: true }}));
            }})()"""
        )

    def hover(self, selector, what):
        self.wait_for(selector, what)
        box = self.evaluate(
            f"""(() => {{
                const element = document.querySelector({json.dumps(selector)});
                element.scrollIntoView({{ block: "center" }});
                const rect = element.getBoundingClientRect();
                return [rect.x + rect.width / 2, rect.y + rect.height / 2];
            }})()"""
        )
        self.send("Input.dispatchMouseEvent", type="mouseMoved", x=box[0], y=box[1])

    def click_at(self, x, y):
        """A real mouse click at a point (closes menus as a user's click does)."""
        for event in ("mousePressed", "mouseReleased"):
            self.send(
                "Input.dispatchMouseEvent",
                type=event,
                x=x,
                y=y,
                button="left",
                clickCount=1,
            )

    def scroll_to(self, selector, what, block="start"):
        self.wait_for(selector, what)
        self.evaluate(
            f"document.querySelector({json.dumps(selector)})"
            f".scrollIntoView({{block: {json.dumps(block)}}})"
        )

    def screenshot(self, path, clip_selector=None, margin=8):
        params = {"format": "png", "captureBeyondViewport": False}
        if clip_selector:
            box = self.evaluate(
                f"""(() => {{
                    const rect = document.querySelector({json.dumps(clip_selector)})
                        .getBoundingClientRect();
                    return [rect.x, rect.y, rect.width, rect.height];
                }})()"""
            )
            x, y = max(box[0] - margin, 0), max(box[1] - margin, 0)
            params["clip"] = {
                "x": x,
                "y": y,
                "width": min(box[2] + 2 * margin, self.width - x),
                "height": min(box[3] + 2 * margin, self.current_height - y),
                "scale": 1,
            }
        data = base64.b64decode(self.send("Page.captureScreenshot", **params)["data"])
        path.write_bytes(shrink_png(data))


def shrink_png(data):
    """Fewer colours, same look: screenshots of forms need no more than 256.

    Pillow comes with Odoo; without it the PNG stays as Chromium made it.
    """
    try:
        from PIL import Image
    except ImportError:
        return data
    image = Image.open(io.BytesIO(data)).convert("RGB")
    small = image.quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=0)
    out = io.BytesIO()
    small.save(out, format="PNG", optimize=True)
    return out.getvalue() if out.tell() < len(data) else data


# ----------------------------------------------------------------------
# The screens
# ----------------------------------------------------------------------

SCREENS = {}


def screen(name, description):
    """Register a screen of the guide; ``name`` is also its file name."""

    def register(function):
        SCREENS[name] = (description, function)
        return function

    return register


class Session:
    """What a screen function works with: the server, the browser, the output."""

    def __init__(self, server, browser, out, verbose):
        self.server = server
        self.browser = browser
        self.out = out
        self.verbose = verbose
        self.name = None
        self.cleanup = []
        self.menus = {}

    def open(self, path, wait_selector=None):
        """Open a web client URL (``/odoo/...``) and wait until it is idle."""
        self.browser.navigate(self.server.url + path)
        if wait_selector:
            self.browser.wait_for(wait_selector, self.name)
        self.idle()
        if "/web/login" in self.browser.evaluate("location.pathname"):
            raise ScreenshotError(f"{self.name}: the session was refused (login page).")

    def open_report(self, path):
        """A QWeb report as HTML (what the PDF shows, without wkhtmltopdf)."""
        self.browser.navigate(self.server.url + path)
        self.browser.wait_for("main, .page, .article", self.name)
        self.browser.wait_idle(self.name, web_client=False)

    def open_action(
        self,
        xmlid,
        record_id=None,
        view_type=None,
        wait_selector=None,
        app="mkt_scoring.mkt_menu_root",
    ):
        """Open a window action (a record of it with ``record_id``) inside the
        app ``app`` (a menu XML id): Marketing, unless the users of the screen
        work in another app (order entry: Sales)."""
        path = f"/odoo/action-{xmlid}"
        if record_id:
            path += f"/{record_id}"
        query = {"menu_id": self.menu_id(app)}
        if view_type:
            query["view_type"] = view_type
        path += "?" + urllib.parse.urlencode(query)
        self.open(path, wait_selector or ".o_action_manager .o_view_controller")

    def menu_id(self, xmlid):
        if xmlid not in self.menus:
            self.menus[xmlid] = self.server.xmlid(xmlid)
        return self.menus[xmlid]

    def tab(self, page_name, scroll=True):
        """Open a notebook page of the form (by its ``name`` in the view) and,
        unless ``scroll`` is false, bring it up into the window."""
        self.browser.click(f'.o_notebook .nav-link[name="{page_name}"]', self.name)
        if scroll:
            self.browser.scroll_to(".o_notebook", self.name)
        self.idle()

    def pivot_group(self, axis, text, field_name):
        """Group the pivot header showing ``text`` (``axis``: thead or tbody) by
        ``field_name``, as a user does with "Add Custom Group"; an open header is
        closed first."""
        script = f"""(() => {{
            const cells = [...document.querySelectorAll(
                ".o_pivot {axis} th.o_pivot_header_cell_opened, "
                + ".o_pivot {axis} th.o_pivot_header_cell_closed"
            )];
            const cell = cells.find((c) => c.innerText.trim().includes({json.dumps(text)}));
            if (!cell) return "missing";
            cell.click();
            return cell.classList.contains("o_pivot_header_cell_opened") ? "closed" : "menu";
        }})()"""
        state = self.browser.evaluate(script)
        if state == "closed":
            self.idle()
            state = self.browser.evaluate(script)
        if state != "menu":
            raise ScreenshotError(f"{self.name}: no pivot header {text!r}.")
        select = ".o-dropdown--menu select.o_add_custom_group_menu"
        self.browser.wait_for(select, self.name)
        self.browser.evaluate(
            f"""(() => {{
                const select = document.querySelector({json.dumps(select)});
                select.value = {json.dumps(field_name)};
                select.dispatchEvent(new Event("change", {{ bubbles: true }}));
            }})()"""
        )
        self.idle()
        self.browser.click_at(self.browser.width - 20, self.browser.current_height - 20)
        self.idle()

    def idle(self, quiet=600, expect_dialog=False):
        self.browser.wait_idle(self.name, quiet=quiet, check_errors=not expect_dialog)

    def shot(self, clip_selector=None, suffix="", height=None):
        """Save the window (or the element ``clip_selector``) as the screen's PNG;
        ``height`` makes the window taller for this picture (long forms)."""
        path = self.out / f"{self.name}{suffix}.png"
        # No blinking cursor in the picture.
        self.browser.evaluate("document.activeElement && document.activeElement.blur()")
        if height:
            self.browser.resize(height=height)
            self.idle()
        try:
            self.browser.screenshot(path, clip_selector)
        finally:
            if height:
                self.browser.resize()
        if self.verbose:
            print(f"  {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")
        return path

    def temporary(self, model, values):
        """A record for one screen, deleted when the screen is done."""
        record_id = self.server.call(model, "create", values)
        self.cleanup.append((model, record_id))
        return record_id

    def clean(self):
        while self.cleanup:
            model, record_id = self.cleanup.pop()
            with contextlib.suppress(ScreenshotError):
                if model == "sale.order":
                    self.server.call(model, "action_cancel", [record_id])
                self.server.call(model, "unlink", [record_id])


def promotion_id(session, code):
    return session.server.find(
        "mkt.promotion", [("code", "=", code)], what=f"promotion action {code}"
    )


def quotation_lines(session, minimum, skip_product_ids=()):
    """Order lines of demo articles worth at least ``minimum`` (list prices)."""
    products = session.server.call(
        "product.product",
        "search_read",
        [
            ("default_code", "=like", "FW-%"),
            ("list_price", ">=", 15),
            ("id", "not in", list(skip_product_ids)),
        ],
        ["list_price"],
        order="default_code",
        limit=6,
    )
    lines, total = [], 0.0
    for product in products:
        lines.append((0, 0, {"product_id": product["id"], "product_uom_qty": 2}))
        total += 2 * product["list_price"]
        if total >= minimum:
            return lines
    raise ScreenshotError(f"The demo articles do not add up to {minimum}.")


# -- Promotions ---------------------------------------------------------


@screen("promotion-form", "The autumn catalog K26: products and planning")
def promotion_form(session):
    session.open_action(
        "mkt_promotions.mkt_promotion_action", promotion_id(session, "K26")
    )
    session.tab("products", scroll=False)
    session.shot(height=1200)


@screen("promotion-benefits", "The November newsletter NL-NOV: its benefits")
def promotion_benefits(session):
    session.open_action(
        "mkt_promotions.mkt_promotion_action", promotion_id(session, "NL-NOV")
    )
    session.tab("benefits")
    session.shot()


@screen("promotion-gift", "K26: the gift benefit with its tiers (dialog)")
def promotion_gift(session):
    session.open_action(
        "mkt_promotions.mkt_promotion_action", promotion_id(session, "K26")
    )
    session.tab("benefits")
    labels = session.server.call(
        "mkt.promotion.benefit",
        "fields_get",
        ["benefit_type"],
        attributes=["selection"],
    )["benefit_type"]["selection"]
    gift = dict(labels)["gift"]  # in the user's language, as the list shows it
    session.browser.click_row('div[name="benefit_ids"]', gift, session.name)
    session.browser.wait_for(".modal .o_form_view", session.name)
    session.idle()
    session.shot()
    session.browser.click(".modal .btn-close", session.name)


@screen("order-with-code", "A K26 quotation: special prices, gift, the Q")
def order_with_code(session):
    promotion = promotion_id(session, "K26")
    order = session.server.find(
        "sale.order",
        [("mkt_promotion_id", "=", promotion), ("state", "=", "draft")],
        what="K26 quotation",
    )
    session.open_action(
        "sale.action_quotations_with_onboarding", order, app="sale.sale_menu_root"
    )
    session.shot(height=1180)


@screen("order-code-refused", "A code refused at order entry (NL-NOV for a company)")
def order_code_refused(session):
    # The newsletter action is for private customers: a company quoting it is
    # refused with the reason, and the order keeps its previous code.
    company = session.server.find(
        "res.partner",
        [("is_company", "=", True), ("customer_rank", ">", 0), ("mkt_score", ">", 0)],
        what="business customer",
    )
    order = session.temporary(
        "sale.order",
        {"partner_id": company, "order_line": quotation_lines(session, 60)},
    )
    session.open_action(
        "sale.action_quotations_with_onboarding", order, app="sale.sale_menu_root"
    )
    session.browser.fill('div[name="mkt_promotion_code"] input', "nl-nov", session.name)
    session.browser.wait_for(".modal .modal-content", session.name)
    session.idle(expect_dialog=True)
    session.shot()
    session.browser.click(".modal .modal-footer .btn-primary", session.name)
    session.idle()
    session.browser.click(".o_form_button_cancel", session.name)
    session.idle()


@screen(
    "promotion-control", "Promotion control: planned against actual, K26 per product"
)
def promotion_control(session):
    session.open_action("mkt_promotions.mkt_promotion_report_action", view_type="pivot")
    k26 = session.server.call(
        "mkt.promotion", "read", [promotion_id(session, "K26")], ["display_name"]
    )[0]["display_name"]
    session.pivot_group("tbody", k26, "product_id")
    session.shot()


# -- Customer quality -----------------------------------------------------


@screen("score-criteria", "The scoring catalog (Punktekatalog)")
def score_criteria(session):
    session.open_action("mkt_scoring.mkt_score_criterion_action", view_type="list")
    session.shot()


@screen("score-criterion-form", "A criterion of the scoring catalog with its bands")
def score_criterion_form(session):
    criterion = session.server.find(
        "mkt.score.criterion", [("metric", "=", "revenue")], what="revenue criterion"
    )
    session.open_action("mkt_scoring.mkt_score_criterion_action", criterion)
    session.shot()


@screen("customer-quality", "A customer with the Q and its tooltip")
def customer_quality(session):
    best = session.server.call(
        "mkt.customer.score",
        "search_read",
        [("partner_id.is_company", "=", False)],
        ["partner_id"],
        order="score desc, id",
        limit=1,
    )
    if not best:
        raise ScreenshotError("no customer is scored: run the scoring first.")
    partner = best[0]["partner_id"][0]
    session.open_action("account.res_partner_action_customer", partner)
    session.tab("mkt_quality")
    session.browser.hover(".o_form_sheet .o_mkt_quality_q", session.name)
    session.browser.wait_for(".o_popover .o_mkt_quality_q_tooltip", session.name)
    session.idle()
    session.shot()


@screen("quality-analysis", "Quality analysis in 100-point intervals, analysed")
def quality_analysis(session):
    session.open_action(
        "mkt_scoring.mkt_score_analysis_action", wait_selector=".o_form_view"
    )
    session.browser.click('button[name="action_compute"]', session.name)
    session.browser.wait_for(
        '.o_field_widget[name="line_ids"] .o_data_row', session.name
    )
    session.idle()
    session.shot()


@screen("segment-form", "A segment: ready-made criteria and live count")
def segment_form(session):
    segment = session.server.find(
        "mkt.segment", [("zip_from", "!=", False)], what="segment by postcode"
    )
    session.open_action("mkt_scoring.mkt_segment_action", segment)
    session.shot()


# -- Campaigns ---------------------------------------------------------------


def reference_campaign(session):
    return session.server.find(
        "mkt.campaign",
        [("is_template", "=", False), ("state", "=", "running")],
        what="running campaign",
    )


@screen("campaign-funnel", "The running campaign: its funnel")
def campaign_funnel(session):
    session.open_action(
        "mkt_campaign_flow.mkt_campaign_action", reference_campaign(session)
    )
    session.tab("funnel")
    session.shot()


@screen("campaign-from-template", "A campaign created from the template, in draft")
def campaign_from_template(session):
    campaign = session.server.find(
        "mkt.campaign",
        [
            ("is_template", "=", False),
            ("template_id", "!=", False),
            ("state", "=", "draft"),
        ],
        what="draft campaign from a template",
    )
    session.open_action("mkt_campaign_flow.mkt_campaign_action", campaign)
    session.tab("steps", scroll=False)
    session.shot(height=1180)


@screen("campaign-step", "A step of the template: after the parent, 4 to 5 days later")
def campaign_step(session):
    template = session.server.find(
        "mkt.campaign", [("is_template", "=", True)], what="campaign template"
    )
    step = session.server.find(
        "mkt.campaign.activity",
        [
            ("campaign_id", "=", template),
            ("activity_type", "=", "email"),
            ("trigger", "=", "parent"),
            ("window_end_number", ">", 0),
        ],
        what="email step with a delay window",
    )
    session.open_action("mkt_campaign_flow.mkt_campaign_action", template)
    session.tab("steps")
    name = session.server.call("mkt.campaign.activity", "read", [step], ["name"])[0]
    session.browser.click_row('div[name="activity_ids"]', name["name"], session.name)
    session.browser.wait_for(".modal .o_form_view", session.name)
    session.idle()
    session.shot()
    session.browser.click(".modal .btn-close", session.name)


@screen("campaign-participant", "A participant: current step, reference barcode")
def campaign_participant(session):
    participant = session.server.find(
        "mkt.campaign.participant",
        [("campaign_id", "=", reference_campaign(session)), ("responded", "=", True)],
        what="participant who responded",
    )
    session.open_action(
        "mkt_campaign_flow.mkt_campaign_participant_action", participant
    )
    session.shot()


def letter_participant(session):
    """The first participant the catalog letter is meant for (printed or due)."""
    letter = session.server.call(
        "mkt.campaign.trace",
        "search_read",
        [
            ("campaign_id", "=", reference_campaign(session)),
            ("activity_id.activity_type", "=", "letter"),
            ("state", "in", ("scheduled", "processed")),
        ],
        ["participant_id"],
        order="id",
        limit=1,
    )
    if not letter:
        raise ScreenshotError("the campaign has no catalog letter step to show.")
    return letter[0]["participant_id"][0]


@screen("campaign-scan", "Scan Letter Replies: a reply card and a wrong code")
def campaign_scan(session):
    # The reply card of a catalog-letter participant and a code that does not
    # exist. The first run registers that reply in the demo, as staff would;
    # later runs show it as scanned before.
    barcode = session.server.call(
        "mkt.campaign.participant", "read", [letter_participant(session)], ["barcode"]
    )[0]["barcode"]
    session.open_action(
        "mkt_campaign_flow.mkt_campaign_action", reference_campaign(session)
    )
    session.browser.click(
        '.o_form_statusbar button[name="action_open_scan"]', session.name
    )
    session.browser.wait_for(".modal .o_form_view", session.name)
    codes = f"{barcode}\nMKT999999999"
    session.browser.fill('.modal div[name="codes"] textarea', codes, session.name)
    session.idle()
    session.browser.click('.modal button[name="action_register"]', session.name)
    session.browser.wait_for('.modal div[name="result"]', session.name)
    session.idle()
    session.shot()
    session.browser.click(".modal .btn-close", session.name)


@screen("campaign-call", "A follow-up call to make, with its result buttons")
def campaign_call(session):
    call = session.server.find(
        "mkt.campaign.trace",
        [
            ("campaign_id", "=", reference_campaign(session)),
            ("activity_id.activity_type", "=", "phone"),
            ("state", "=", "processed"),
            ("call_result", "=", False),
        ],
        what="open follow-up call",
    )
    session.open_action("mkt_campaign_flow.mkt_campaign_trace_action", call)
    session.shot()


# -- Vouchers ------------------------------------------------------------------


def segment_voucher(session):
    return session.server.find(
        "loyalty.program",
        [("mkt_segment_id", "!=", False)],
        what="voucher for a segment",
    )


def welcome_voucher(session):
    program = session.server.call(
        "res.company", "read", [session.server.company_id], ["mkt_welcome_program_id"]
    )[0]["mkt_welcome_program_id"]
    if not program:
        raise ScreenshotError("The demo company has no welcome voucher.")
    return program[0]


@screen("voucher-segment", "The voucher for regular customers: targeting tab")
def voucher_segment(session):
    session.open_action(
        "loyalty.loyalty_program_discount_loyalty_action", segment_voucher(session)
    )
    session.tab("mkt_voucher")
    session.shot()


@screen("order-voucher-offer", "A regular customer's quotation: the voucher offered")
def order_voucher_offer(session):
    program = segment_voucher(session)
    cards = session.server.call(
        "loyalty.card",
        "search_read",
        [("program_id", "=", program), ("points", ">", 0), ("partner_id", "!=", False)],
        ["partner_id"],
        order="id",
        limit=1,
    )
    if not cards:
        raise ScreenshotError(f"{session.name}: no unused code of the voucher left.")
    order = session.temporary(
        "sale.order",
        {
            "partner_id": cards[0]["partner_id"][0],
            "order_line": quotation_lines(session, 120),
        },
    )
    session.open_action(
        "sale.action_quotations_with_onboarding", order, app="sale.sale_menu_root"
    )
    session.browser.wait_for(".o_mkt_voucher_offer", session.name)
    session.shot()


@screen("voucher-welcome", "The welcome voucher with its shared codes")
def voucher_welcome(session):
    session.open_action(
        "loyalty.loyalty_program_discount_loyalty_action", welcome_voucher(session)
    )
    session.tab("mkt_voucher")
    session.shot()


@screen("newsletter-signups", "Newsletter sign-ups of the double opt-in")
def newsletter_signups(session):
    session.open_action("mkt_voucher.mkt_newsletter_subscription_action")
    session.shot()


@screen("voucher-sheet", "The code sheet for the print shop (the PDF, as HTML)")
def voucher_sheet(session):
    cards = session.server.call(
        "loyalty.card",
        "search",
        [("program_id", "=", welcome_voucher(session)), ("partner_id", "=", False)],
        order="id",
        limit=6,
    )
    if not cards:
        raise ScreenshotError("the welcome voucher has no printed codes.")
    ids = ",".join(map(str, cards))
    session.open_report(f"/report/html/mkt_voucher.report_voucher_sheet/{ids}")
    session.shot()


@screen("campaign-letter", "A catalog letter with its reply-card barcode (as HTML)")
def campaign_letter(session):
    participant = letter_participant(session)
    session.open_report(
        f"/report/html/mkt_campaign_flow.report_campaign_letter/{participant}"
    )
    session.shot()


@screen("voucher-redemptions", "Voucher redemptions per voucher")
def voucher_redemptions(session):
    session.open_action("mkt_voucher.mkt_voucher_redemption_report_action")
    session.shot()


# -- Analytics -------------------------------------------------------------------


@screen("dashboard", "The marketing dashboard")
def dashboard(session):
    session.open_action(
        "mkt_analytics.mkt_dashboard_action", wait_selector=".o_action_manager > *"
    )
    session.shot()


@screen("performance", "Performance: revenue, cost and ROI per touch")
def performance(session):
    session.open_action(
        "mkt_analytics.mkt_performance_report_action", view_type="pivot"
    )
    # One row per touch (mailing, campaign, promotion, voucher) by its name.
    total = session.browser.evaluate(
        "document.querySelector('.o_pivot tbody th').innerText.trim()"
    )
    session.pivot_group("tbody", total, "name")
    session.shot()


# ----------------------------------------------------------------------
# Main
# ----------------------------------------------------------------------


def set_language(server, lang):
    """Make the admin speak ``lang``; return the language to restore."""
    installed = server.call("res.lang", "search", [("code", "=", lang)])
    if not installed:
        raise ScreenshotError(
            f"The language {lang} is not active in the database: the demo of "
            "./mkt run has German; activate it in Settings > Languages."
        )
    current = server.call("res.users", "read", [server.uid], ["lang"])[0]["lang"]
    if current != lang:
        server.call("res.users", "write", [server.uid], {"lang": lang})
    server.lang = lang
    return current


def parse_args(argv):
    port = os.environ.get("MKT_HTTP_PORT", "8069")
    parser = argparse.ArgumentParser(
        description="Take the user guide's screenshots from the running demo "
        "(./mkt run).",
    )
    parser.add_argument("screens", nargs="*", help="only these screens (see --list)")
    parser.add_argument("--url", default=f"http://localhost:{port}")
    parser.add_argument("--db", default=os.environ.get("MKT_DB", "mkt_demo"))
    parser.add_argument("--login", default="admin")
    parser.add_argument("--password", default="admin")
    parser.add_argument("--lang", default="de_DE")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--width", type=int, default=1400)
    parser.add_argument("--height", type=int, default=900)
    parser.add_argument("--chromium", default=os.environ.get("CHROMIUM", "chromium"))
    parser.add_argument("--list", action="store_true", help="list the screens")
    parser.add_argument(
        "--keep-going",
        action="store_true",
        help="take the other screens when one fails",
    )
    parser.add_argument("-q", "--quiet", action="store_true")
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    if args.list:
        for name, (description, _function) in SCREENS.items():
            print(f"{name:24} {description}")
        return 0
    unknown = [name for name in args.screens if name not in SCREENS]
    if unknown:
        print(f"Unknown screen(s): {', '.join(unknown)} (see --list)", file=sys.stderr)
        return 1
    executable = shutil.which(args.chromium)
    if not executable:
        print(
            f"{args.chromium} not found: install Debian's chromium (apt-get install "
            "chromium) or pass --chromium.",
            file=sys.stderr,
        )
        return 2
    server = Server(args.url, args.db)
    try:
        session_id = server.login(args.login, args.password)
        previous_lang = set_language(server, args.lang)
    except (ServerUnreachable, ScreenshotError) as error:
        print(error, file=sys.stderr)
        return 2
    args.out.mkdir(parents=True, exist_ok=True)
    browser = Browser(executable, args.width, args.height, args.lang)
    failures = []
    try:
        browser.start()
        browser.set_cookie(server.url, "session_id", session_id)
        session = Session(server, browser, args.out, verbose=not args.quiet)
        for name in args.screens or list(SCREENS):
            description, function = SCREENS[name]
            session.name = name
            if not args.quiet:
                print(f"{name}: {description}")
            try:
                function(session)
            except ScreenshotError as error:
                message = str(error)
                if not message.startswith(name):
                    message = f"{name}: {message}"
                failures.append(message)
                print(f"FAILED {message}", file=sys.stderr)
                if not args.keep_going:
                    break
            finally:
                session.clean()
    except ServerUnreachable as error:
        print(error, file=sys.stderr)
        return 2
    except ScreenshotError as error:
        failures.append(str(error))
        print(f"FAILED {error}", file=sys.stderr)
    finally:
        browser.close()
        if previous_lang != args.lang:
            with contextlib.suppress(Exception):
                server.call("res.users", "write", [server.uid], {"lang": previous_lang})
    if failures:
        print(f"{len(failures)} screen(s) failed.", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
