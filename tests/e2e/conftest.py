"""End-to-end browser tests: marked ``e2e``; they need Playwright and Debian's /usr/bin/chromium."""


def pytest_configure(config):
    config.addinivalue_line("markers", "e2e: end-to-end browser tests (Playwright + /usr/bin/chromium)")
