#!/usr/bin/env bash
# Installs what the OpenAPI tool checks need on a fresh machine: Debian's chromium and, in
# .venv, openapi-spec-validator, schemathesis, playwright (driving the system chromium) and
# the Swagger UI / ReDoc builds of drf-spectacular-sidecar, websockets (the WebSocket client tests), prometheus-client
# (its text-format parser reads /metrics), opentelemetry-proto (the OTLP receiver) and h2 (httpx speaks HTTP/2 with it); Debian's
# nginx (the proxy tests put one in front of the app), openssl (their test certificates) and
# nghttp2-client (nghttp shows the HTTP/2 frames: GOAWAY; h2load for the figures).
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v chromium >/dev/null 2>&1 || [ ! -x /usr/sbin/nginx ] || [ ! -x /usr/bin/nghttp ] || ! command -v openssl >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium nginx-light openssl nghttp2-client >/dev/null
fi
if [ ! -x .venv/bin/python ]; then python3 -m venv .venv; fi
.venv/bin/pip install -q --disable-pip-version-check -r Tests/Tools/requirements.txt
