"""Steps the care browser tests share: logging in, filling a consultation, signing the pad,
watching a page for script and server errors."""

from playwright.sync_api import expect

from mesoclinic.conftest import PASSWORD

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
