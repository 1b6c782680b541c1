#!/usr/bin/python3
# STAND-IN (host-in-a-box test only) for programs the box cannot run for real: Loki, Tempo and Grafana are AGPL,
# so this project never builds or downloads them; the OpenTelemetry Collector until an oracle build of it exists.
# It takes their place under their own rendered units: it accepts their command lines, exits 0 for their
# config-check modes (the sync's validators), and otherwise answers their health and /metrics endpoints on their
# ports until stopped. It proves nothing about those programs or their configs.
import http.server
import os
import re
import sys
import threading

NAME = os.environ.get("LGTM_STANDIN_FOR") or os.path.basename(sys.argv[0]).split("-")[0]
ARGS = sys.argv[1:]
CHECK_FLAGS = {"-verify-config", "-config.verify", "validate"}
HEALTH = {"loki": ("/ready", 3100), "tempo": ("/ready", 3200), "grafana": ("/api/health", 3000), "otelcol": ("/", 13133)}
# Ports it also answers /metrics on (the collector's own telemetry port).
EXTRA_PORTS = {"otelcol": [8888]}

if ARGS[:1] == ["cli"]:
    print(f"program-standin: {NAME}: 'cli {' '.join(ARGS[1:3])}' accepted without doing anything (stand-in)")
    sys.exit(0)

if CHECK_FLAGS & set(ARGS):
    print(f"program-standin: {NAME}: config check accepted without checking (stand-in)")
    sys.exit(0)

path, port = HEALTH[NAME]
for arg in ARGS:
    if arg.startswith("--config="):
        try:
            found = re.search(r"^\s*http_port\s*=\s*(\d+)", open(arg.split("=", 1)[1]).read(), re.M)
            port = int(found.group(1)) if found else port
        except OSError:
            pass


class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        if self.path.split("?")[0] in (path, "/metrics"):
            body = f"# HELP lgtm_hostbox_standin A stand-in answers for this program.\n# TYPE lgtm_hostbox_standin gauge\nlgtm_hostbox_standin{{program=\"{NAME}\"}} 1\n".encode()
            if self.path.split("?")[0] == path:
                body = b'{"database":"ok","standin":true}\n' if NAME == "grafana" else b"ready\n"
            self.send_response(200)
            # Prometheus 3 refuses a scrape without a Content-Type.
            self.send_header("content-type", "text/plain; version=0.0.4" if self.path.startswith("/metrics") else "text/plain")
            self.send_header("content-length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        else:
            self.send_error(404)

    def log_message(self, *_):
        pass


print(f"program-standin: {NAME}: answering {path} and /metrics on 127.0.0.1:{port} (stand-in, not the real program)", flush=True)
for extra in EXTRA_PORTS.get(NAME, []):
    threading.Thread(target=http.server.ThreadingHTTPServer(("127.0.0.1", extra), Handler).serve_forever, daemon=True).start()
http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler).serve_forever()
