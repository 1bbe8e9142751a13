#!/usr/bin/env python3
"""Opens an app's Swagger UI page in a headless Chromium and checks what it rendered.

    docs_in_browser.py BASE_URL [--screenshot FILE] [--login USER PASSWORD]
                       [--try GET /path EXPECTED_STATUS [--param NAME=VALUE]...]

Prints a JSON report: the operations the document lists, the operations the page shows
(from the rendered DOM: Swagger UI gives each one the id `operations-<tag>-<operationId>`),
and, with --try, the status Swagger UI's "Try it out" / "Execute" got back. Exits 1 when an
operation is missing or the status differs. Used by Tests/ApusTests/OpenAPIToolTests.swift.
"""
import argparse
import json
import sys
import urllib.request

from playwright.sync_api import sync_playwright


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("base_url")
    parser.add_argument("--docs", default="/docs")
    parser.add_argument("--openapi", default="/openapi.json")
    parser.add_argument("--screenshot")
    parser.add_argument("--try", dest="try_it", nargs=3, metavar=("METHOD", "PATH", "STATUS"))
    parser.add_argument("--param", action="append", default=[], metavar="NAME=VALUE", help="a parameter for --try")
    parser.add_argument("--login", nargs=2, metavar=("USERNAME", "PASSWORD"),
                        help="log in first with Swagger UI's OAuth2 password flow (the Authorize dialog)")
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    args = parser.parse_args()

    document = json.load(urllib.request.urlopen(args.base_url + args.openapi, timeout=10))
    expected = []
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            tag = (operation.get("tags") or ["default"])[0]
            expected.append(f"operations-{tag}-{operation['operationId']}")

    report = {"expected": expected}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=args.chromium, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1280, "height": 1400})
        page.goto(args.base_url + args.docs)
        page.wait_for_selector(".opblock", timeout=15000)
        shown = page.eval_on_selector_all(".opblock[id]", "nodes => nodes.map(n => n.id)")
        report["shown"] = shown
        report["title"] = page.title()
        if args.screenshot:
            page.screenshot(path=args.screenshot)
        if args.login:
            username, password = args.login
            page.locator("button.authorize").first.click()
            page.locator("#oauth_username").fill(username)
            page.locator("#oauth_password").fill(password)
            page.locator(".auth-btn-wrapper button.authorize").first.click()
            outcome = page.locator(".auth-container h6:text-is('Authorized'), .auth-container .errors").first
            outcome.wait_for(timeout=15000)
            report["authorized"] = page.locator(".auth-container h6:text-is('Authorized')").count() > 0
            page.locator(".auth-btn-wrapper button.btn-done").first.click()
        if args.try_it:
            method, path, status = args.try_it
            block = page.locator(f".opblock-{method.lower()}:has(.opblock-summary-path[data-path='{path}'])").first
            block.locator(".opblock-summary").click()
            block.locator("button.try-out__btn").click()
            for assignment in args.param:
                name, value = assignment.split("=", 1)
                block.locator(f"tr[data-param-name='{name}'] input").fill(value)
            block.locator("button.execute").click()
            cell = block.locator(".live-responses-table tr.response .response-col_status").first
            cell.wait_for(timeout=15000)
            report["tried"] = {"method": method, "path": path, "status": cell.inner_text().strip(),
                               "body": block.locator(".live-responses-table .microlight").first.inner_text()}
        browser.close()

    print(json.dumps(report, indent=2))
    missing = [op for op in expected if op not in report["shown"]]
    if missing:
        print("missing operations: " + ", ".join(missing), file=sys.stderr)
        return 1
    if args.login and not report["authorized"]:
        print("the Authorize dialog did not log in", file=sys.stderr)
        return 1
    if args.try_it and report["tried"]["status"] != args.try_it[2]:
        print(f"Try it out answered {report['tried']['status']}, expected {args.try_it[2]}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
