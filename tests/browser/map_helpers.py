"""Pointing at a region on a Leaflet map. Leaflet animates its zoom after load and after each
drill-down, so a shape's place on screen moves for a moment; a click aimed while it moves lands
on a neighbour. These helpers wait until the shape has stopped moving, then point at it."""

from tests.browser.waiting import wait_until

SETTLE_MS = 250

_STILL = """([selector, ms]) => new Promise((resolve) => {
    const shape = document.querySelector(selector);
    if (!shape || document.querySelector(".leaflet-zoom-anim")) return resolve(false);
    const before = JSON.stringify(shape.getBoundingClientRect());
    setTimeout(() => resolve(JSON.stringify(shape.getBoundingClientRect()) === before), ms);
})"""


def region_shape(page, adcode):
    selector = f"path.geodata-region-{adcode}"
    wait_until(page, _STILL, [selector, SETTLE_MS])
    return page.locator(selector)


def click_region(page, adcode):
    region_shape(page, adcode).click()


def hover_region(page, adcode):
    region_shape(page, adcode).hover()
