"""Steps the care browser tests share: logging in, filling a consultation, signing the pad,
starting and charting a session on a touch screen (counting the effort), watching a page for
script and server errors."""

from playwright.sync_api import expect

from mesoclinic.conftest import PASSWORD
from mesoclinic.security.tests.browser import pass_second_factor

LOCAL_MINUTE = "%Y-%m-%dT%H:%M"  # what an <input type=datetime-local> takes


def watch(page, errors: list) -> None:
    """Collect uncaught exceptions, script errors and server errors (5xx) on `page` into
    `errors`. (A refused form answers 400 on purpose: not counted.)"""

    def on_console(message):
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            errors.append(f"console: {message.text}")

    page.on("pageerror", lambda exc: errors.append(f"pageerror: {exc}"))
    page.on("console", on_console)
    page.on("response", lambda r: r.status >= 500 and errors.append(f"{r.status} {r.url}"))


def log_in(page, base_url, user):
    page.context.clear_cookies()
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    pass_second_factor(page, user.username)
    expect(page.get_by_role("heading", name="Your clinics")).to_be_visible()


def fill_consultation(page, *, pregnant=False):
    """Answer the form for melasma treated with TXA; the live card follows each change."""
    page.get_by_label("Indication").select_option(label="Melasma")
    page.get_by_label("Concerns, in the patient's words").fill("Brown patches on both cheeks.")
    for question in ("pregnant", "breastfeeding", "may_become_pregnant"):
        answer = "Yes" if question == "pregnant" and pregnant else "No"
        page.locator(f"#id_{question}").get_by_label(answer, exact=True).check()
    page.locator("#id_planned_ingredients").get_by_label("Tranexamic acid").check()
    page.get_by_label("Fitzpatrick skin type (direct entry)").select_option(label="IV")


def sign(page):
    """Two strokes across the pad with the mouse (pointer events, as a finger would)."""
    pad = page.locator("#signature-pad")
    pad.scroll_into_view_if_needed()  # the mouse works in viewport coordinates
    box = pad.bounding_box()
    for stroke in ([(0.1, 0.7), (0.25, 0.3), (0.4, 0.75), (0.55, 0.35)], [(0.6, 0.8), (0.9, 0.4)]):
        points = [
            (box["x"] + fx * box["width"], box["y"] + fy * box["height"]) for fx, fy in stroke
        ]
        page.mouse.move(*points[0])
        page.mouse.down()
        for x, y in points[1:]:
            page.mouse.move(x, y, steps=8)
        page.mouse.up()


class Effort:
    """What the practitioner does on the charting page, counted as a tablet makes them do it:
    a tap is one click; answering a radio is a tap and a field; typing into a field is a tap
    (to focus it) and a field; a native select is two taps (open, choose) and a field."""

    def __init__(self):
        self.clicks = 0
        self.fields = 0
        self.keystrokes = 0

    def tap(self, locator):
        locator.tap()
        self.clicks += 1

    def answer(self, locator):
        locator.tap()
        expect(locator).to_be_checked()
        self.clicks += 1
        self.fields += 1

    def type(self, locator, text):
        locator.tap()
        locator.fill(text)
        self.clicks += 1
        self.fields += 1
        self.keystrokes += len(text)

    def choose(self, locator, text):
        value = locator.locator("option", has_text=text).get_attribute("value")
        locator.select_option(value)
        self.clicks += 2
        self.fields += 1

    def report(self, label):
        # A generous hand-timing: 3 s per tap, plus 1 s per character typed.
        seconds = 3 * self.clicks + self.keystrokes
        print(
            f"\n[{label}] charting on the tablet: {self.clicks} clicks/taps, "
            f"{self.fields} fields typed or selected, {self.keystrokes} characters typed "
            f"(≈ {seconds} s at 3 s a tap and 1 s a character)"
        )
        return seconds


def start_in_browser(page, effort, *, pregnant):
    """Before the needle, on the start page: answer today's two questions and start (the
    safety gate is checked there)."""
    effort.answer(page.locator("#id_pregnant_today").get_by_label("Yes" if pregnant else "No"))
    effort.answer(page.locator("#id_breastfeeding_today").get_by_label("No"))
    effort.tap(page.get_by_role("button", name="Start session"))


def chart_in_browser(page, effort, *, volume="2", zones=("forehead", "cheek_right", "cheek_left")):
    """Chart the session on the open charting page as a practitioner would on the tablet:
    pick the lot and type the volume if the plan's differ, tap the zones on the map, type the
    number of points, and save. Technique, depth, needle and times keep the protocol's
    defaults."""
    line = page.locator("fieldset.session-line").first
    # The first line starts from the plan (its volume; the lot when only one fits): touch it
    # only when it differs.
    if "TXA-A1" not in line.get_by_label("Lot").locator("option:checked").inner_text():
        effort.choose(line.get_by_label("Lot"), "TXA-A1")
    if line.get_by_label("mL").input_value() not in (volume, f"{volume}.00"):
        effort.type(line.get_by_label("mL"), volume)
    zone_map = page.locator("[data-zone-map]")
    for zone in zones:
        # A finger lands on the drawn zone (the middle of the whole button, label and leader
        # line included, can be blank canvas).
        effort.tap(zone_map.locator(f"[data-zone={zone}] .zone-shape"))
        expect(zone_map.locator(f"[data-zone={zone}]")).to_have_attribute("aria-pressed", "true")
        expect(line.locator(f"input[value={zone}]")).to_be_checked()
    effort.type(page.get_by_label("Injection points"), "40")
