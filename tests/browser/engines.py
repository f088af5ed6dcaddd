"""One small driver over two browser engines, so a phone test runs the same assertions on both.

- ``chromium``: Debian's Chromium through Playwright (the engine of Android WeChat's XWeb and most
  Android browsers).
- ``webkit``: Debian's WebKitGTK through Selenium and ``WebKitWebDriver`` under Xvfb (the engine of every
  iPhone browser, WeChat's in-app browser included). Its window cannot be narrower than about 447 CSS px,
  so "phone width" there is 447 px.
- ``chromium-legacy``: Chromium with the newer DOM APIs removed before any script runs
  (``replaceChildren``, ``<dialog>``'s ``showModal``, ``IntersectionObserver``, ``Promise.prototype.finally``,
  service workers):
  what older WeChat kernels (Chrome 61 / Safari 11 era) lack.

Scripts are function bodies in both engines: ``return …`` gives a value, ``arguments[0]`` the first
argument. Every assertion message starts with the engine's name.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path
from typing import Any

WEBKIT_DRIVER = shutil.which("WebKitWebDriver") or "/usr/bin/WebKitWebDriver"
MINIBROWSER = "/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser"
ENGINES = ("chromium", "webkit", "chromium-legacy")

IPHONE_WECHAT = ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
                 "Mobile/15E148 MicroMessenger/8.0.50(0x1800323d) NetType/WIFI Language/zh_CN")
ANDROID_WECHAT = ("Mozilla/5.0 (Linux; Android 13; V2218A Build/TP1A.220624.014; wv) AppleWebKit/537.36 (KHTML, like "
                  "Gecko) Version/4.0 Chrome/116.0.0.0 Mobile Safari/537.36 XWEB/1160117 MMWEBSDK/20240404 "
                  "MMWEBID/1234 MicroMessenger/8.0.49.2600(0x28003133) WeChat/arm64 Weixin NetType/WIFI "
                  "Language/zh_CN ABI/arm64")
IPHONE_SAFARI = ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
                 "Version/17.5 Mobile/15E148 Safari/604.1")

LEGACY = """
delete Element.prototype.replaceChildren;
delete Document.prototype.replaceChildren;
if (window.HTMLDialogElement) {
  delete HTMLDialogElement.prototype.showModal;
  delete HTMLDialogElement.prototype.close;
}
delete window.IntersectionObserver;
delete Promise.prototype.finally;
try { delete Navigator.prototype.serviceWorker; } catch (e) {}
"""


class EngineError(AssertionError):
    pass


class Driver:
    name: str
    width: int

    def open(self, url: str) -> None: ...
    def js(self, body: str, *args: Any) -> Any: ...
    def click(self, selector: str) -> None: ...
    def close(self) -> None: ...

    def check(self, condition: bool, what: str) -> None:
        if not condition:
            raise EngineError(f"[{self.name}] {what}")

    def wait(self, body: str, *args: Any, what: str, timeout: float = 30.0) -> Any:
        """Poll ``body`` until it returns something truthy (never read a state once)."""
        deadline = time.monotonic() + timeout
        value = None
        while time.monotonic() < deadline:
            try:
                value = self.js(body, *args)
            except Exception as error:  # a navigation in progress: try again
                value = None
                last = error
            else:
                last = None
            if value:
                return value
            time.sleep(0.2)
        raise EngineError(f"[{self.name}] timed out after {timeout:.0f} s waiting for: {what}"
                          + (f" (last error: {last})" if last else f" (last value: {value!r})"))

    def type_composed(self, selector: str, text: str) -> None:
        """Type Chinese as an input method commits it: composition events around the text, one input
        event marked isComposing, then compositionend (pinyin 'fa shao' → 发烧)."""
        self.js("""
            var input = document.querySelector(arguments[0]);
            input.focus();
            input.dispatchEvent(new CompositionEvent("compositionstart", {bubbles: true, data: ""}));
            input.value = arguments[1];
            input.dispatchEvent(new InputEvent("input", {bubbles: true, isComposing: true, data: arguments[1]}));
            input.dispatchEvent(new CompositionEvent("compositionend", {bubbles: true, data: arguments[1]}));
            input.dispatchEvent(new InputEvent("input", {bubbles: true, isComposing: false, data: arguments[1]}));
        """, selector, text)


class ChromiumDriver(Driver):
    def __init__(self, context, name: str = "chromium", width: int = 360) -> None:
        self.name = name
        self.width = width
        self.context = context
        self.page = context.new_page()

    def open(self, url: str) -> None:
        self.page.goto(url, wait_until="load")

    def js(self, body: str, *args: Any) -> Any:
        return self.page.evaluate("(args) => (function () { " + body + " }).apply(null, args)", list(args))

    def click(self, selector: str) -> None:
        self.page.click(selector)

    def close(self) -> None:
        self.page.close()


class WebKitDriver(Driver):
    def __init__(self, display: str, user_agent: str | None = None, width: int = 447, height: int = 740) -> None:
        from selenium import webdriver
        from selenium.webdriver.webkitgtk.options import Options
        from selenium.webdriver.webkitgtk.service import Service

        self.name = "webkit"
        options = Options()
        if user_agent:
            # MiniBrowser takes WebKitSettings on its command line; with a binary the browserName must match.
            options.binary_location = MINIBROWSER
            options.add_argument("--automation")
            options.add_argument(f"--user-agent={user_agent}")
        environment = {**os.environ, "DISPLAY": display}
        service = Service(executable_path=WEBKIT_DRIVER, env=environment)
        self.driver = webdriver.WebKitGTK(options=options, service=service)
        self.driver.set_window_size(width, height)
        self.width = self.driver.execute_script("return window.innerWidth")
        self.driver.set_script_timeout(60)
        self.driver.set_page_load_timeout(90)

    def open(self, url: str) -> None:
        self.driver.get(url)

    def js(self, body: str, *args: Any) -> Any:
        return self.driver.execute_script(body, *args)

    def click(self, selector: str) -> None:
        from selenium.common.exceptions import ElementNotInteractableException
        from selenium.webdriver.common.by import By

        element = self.driver.find_element(By.CSS_SELECTOR, selector)
        self.driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", element)
        try:
            element.click()
        except ElementNotInteractableException:
            # WebKitWebDriver 2.50 refuses some visible buttons (a button inside a wrapping <nav> row: its
            # interactability check fails although the element is displayed and on screen); the page gets the
            # same click event from the element itself.
            self.driver.execute_script("arguments[0].click()", element)

    def close(self) -> None:
        self.driver.quit()


class Xvfb:
    """A private X display for WebKitGTK (``-displayfd`` picks a free number)."""

    def __init__(self) -> None:
        read, write = os.pipe()
        self.process = subprocess.Popen(["Xvfb", "-displayfd", str(write), "-screen", "0", "1280x1024x24",
                                         "-nolisten", "tcp"], pass_fds=(write,), stdout=subprocess.DEVNULL,
                                        stderr=subprocess.DEVNULL)
        os.close(write)
        with os.fdopen(read) as pipe:
            number = pipe.readline().strip()
        if not number:
            self.process.kill()
            raise RuntimeError("Xvfb did not start: run `make system-deps` (apt-get install xvfb)")
        self.display = f":{number}"

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)


def webkit_missing() -> str | None:
    for path, package in ((WEBKIT_DRIVER, "webkit2gtk-driver"), (shutil.which("Xvfb") or "/usr/bin/Xvfb", "xvfb")):
        if not Path(path).exists():
            return f"{path} not found: run `make system-deps` (apt-get install {package})"
    return None
