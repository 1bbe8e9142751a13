/// The HTML of the documentation pages, as FastAPI's `fastapi.openapi.docs` writes them.
package enum DocsPages {
    static func swaggerUI(title: String, configuration: DocsConfiguration, openAPIURL: String) -> String {
        let oauth2 =
            configuration.oauth2RedirectURL.map { "oauth2RedirectUrl: window.location.origin + '\(escapeJS($0))',\n" } ?? ""
        return """

            <!DOCTYPE html>
            <html>
            <head>
            <meta name="viewport" content="width=device-width, initial-scale=1.0">
            <link type="text/css" rel="stylesheet" href="\(escapeHTML(configuration.swaggerUICSSURL))">
            <link rel="shortcut icon" href="\(escapeHTML(configuration.faviconURL))">
            <title>\(escapeHTML(title)) - Swagger UI</title>
            </head>
            <body>
            <div id="swagger-ui">
            </div>
            <script src="\(escapeHTML(configuration.swaggerUIJavaScriptURL))"></script>
            <!-- `SwaggerUIBundle` is now available on the page -->
            <script>
            const ui = SwaggerUIBundle({
                url: '\(escapeJS(openAPIURL))',
            "dom_id": "#swagger-ui",
            "layout": "BaseLayout",
            "deepLinking": true,
            "showExtensions": true,
            "showCommonExtensions": true,
            \(oauth2)    presets: [
                SwaggerUIBundle.presets.apis,
                SwaggerUIBundle.SwaggerUIStandalonePreset
                ],
            })
            </script>
            \(Self.reloadScript(configuration, openAPIURL: openAPIURL))</body>
            </html>

            """
    }

    /// With ``DocsConfiguration/reloadsOnChange``: a script that reloads the page when the
    /// document (or the page that stands for it while a build fails) changes.
    static func reloadScript(_ configuration: DocsConfiguration, openAPIURL: String) -> String {
        guard configuration.reloadsOnChange else { return "" }
        return """
            <script>
            (function () {
                let last = null;
                setInterval(async function () {
                    try {
                        const text = await (await fetch('\(escapeJS(openAPIURL))', {cache: 'no-store'})).text();
                        if (last !== null && text !== last) { window.location.reload(); }
                        last = text;
                    } catch (error) {}
                }, 1000);
            })();
            </script>

            """
    }

    static func redoc(title: String, configuration: DocsConfiguration, openAPIURL: String) -> String {
        let fonts =
            configuration.redocUsesGoogleFonts
            ? "<link href=\"https://fonts.googleapis.com/css?family=Montserrat:300,400,700|Roboto:300,400,700\" rel=\"stylesheet\">"
            : ""
        return """

            <!DOCTYPE html>
            <html>
            <head>
            <title>\(escapeHTML(title)) - ReDoc</title>
            <!-- needed for adaptive design -->
            <meta charset="utf-8"/>
            <meta name="viewport" content="width=device-width, initial-scale=1">
            \(fonts)
            <link rel="shortcut icon" href="\(escapeHTML(configuration.faviconURL))">
            <!--
            ReDoc doesn't change outer page styles
            -->
            <style>
              body {
                margin: 0;
                padding: 0;
              }
            </style>
            </head>
            <body>
            <noscript>
                ReDoc requires Javascript to function. Please enable it to browse the documentation.
            </noscript>
            <redoc spec-url="\(escapeHTML(openAPIURL))"></redoc>
            <script src="\(escapeHTML(configuration.redocJavaScriptURL))"> </script>
            \(Self.reloadScript(configuration, openAPIURL: openAPIURL))</body>
            </html>

            """
    }

    /// Swagger UI's OAuth2 redirect page (FastAPI's `get_swagger_ui_oauth2_redirect_html`).
    static let oauth2Redirect = """
        <!doctype html>
        <html lang="en-US">
        <head>
            <title>Swagger UI: OAuth2 Redirect</title>
        </head>
        <body>
        <script>
            'use strict';
            function run () {
                var oauth2 = window.opener.swaggerUIRedirectOauth2;
                var sentState = oauth2.state;
                var redirectUrl = oauth2.redirectUrl;
                var isValid, qp, arr;

                if (/code|token|error/.test(window.location.hash)) {
                    qp = window.location.hash.substring(1).replace('?', '&');
                } else {
                    qp = location.search.substring(1);
                }

                arr = qp.split("&");
                arr.forEach(function (v,i,_arr) { _arr[i] = '"' + v.replace('=', '":"') + '"';});
                qp = qp ? JSON.parse('{' + arr.join() + '}',
                        function (key, value) {
                            return key === "" ? value : decodeURIComponent(value);
                        }
                ) : {};

                isValid = qp.state === sentState;

                if ((
                  oauth2.auth.schema.get("flow") === "accessCode" ||
                  oauth2.auth.schema.get("flow") === "authorizationCode" ||
                  oauth2.auth.schema.get("flow") === "authorization_code"
                ) && !oauth2.auth.code) {
                    if (!isValid) {
                        oauth2.errCb({
                            authId: oauth2.auth.name,
                            source: "auth",
                            level: "warning",
                            message: "Authorization may be unsafe, passed state was changed in server. The passed state wasn't returned from auth server."
                        });
                    }

                    if (qp.code) {
                        delete oauth2.state;
                        oauth2.auth.code = qp.code;
                        oauth2.callback({auth: oauth2.auth, redirectUrl: redirectUrl});
                    } else {
                        let oauthErrorMsg;
                        if (qp.error) {
                            oauthErrorMsg = "["+qp.error+"]: " +
                                (qp.error_description ? qp.error_description+ ". " : "no accessCode received from the server. ") +
                                (qp.error_uri ? "More info: "+qp.error_uri : "");
                        }

                        oauth2.errCb({
                            authId: oauth2.auth.name,
                            source: "auth",
                            level: "error",
                            message: oauthErrorMsg || "[Authorization failed]: no accessCode received from the server."
                        });
                    }
                } else {
                    oauth2.callback({auth: oauth2.auth, token: qp, isValid: isValid, redirectUrl: redirectUrl});
                }
                window.close();
            }

            if (document.readyState !== 'loading') {
                run();
            } else {
                document.addEventListener('DOMContentLoaded', function () {
                    run();
                });
            }
        </script>
        </body>
        </html>
        """

    /// Escapes text for an HTML attribute or element.
    package static func escapeHTML(_ text: String) -> String {
        self.replacing(in: text, ["&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;", "'": "&#x27;"])
    }

    /// Escapes text for a single-quoted JavaScript string inside a script element.
    static func escapeJS(_ text: String) -> String {
        self.replacing(in: text, ["\\": "\\\\", "'": "\\'", "<": "\\u003c", "\n": "\\n"])
    }

    /// `text` with each character found in `replacements` replaced by its value.
    private static func replacing(in text: String, _ replacements: [Character: String]) -> String {
        var result = ""
        for character in text {
            if let replacement = replacements[character] {
                result += replacement
            } else {
                result.append(character)
            }
        }
        return result
    }
}
