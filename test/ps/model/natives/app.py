"""The NOVA app as the model runs it when the NSSM service starts: a real HTTP server on 127.0.0.1
(never another address) answering GET /health with 200 {"status":"ok"}; `--behaviour crash` exits at
once with a traceback-like line on its stderr log, as a backend missing a dependency does."""
import argparse
import http.server
import json
import os
import sys


class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        if self.path == "/health":
            body = json.dumps({"status": "ok"}).encode()
            self.send_response(200)
        else:
            body = b'{"detail":"Not Found"}'
            self.send_response(404)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--behaviour", default="healthy")
    p.add_argument("--ready")
    a = p.parse_args()
    log = sys.stderr   # NSSM's AppStderr file (the model starts the app with it as stderr)
    if a.behaviour == "crash":
        log.write("Traceback (most recent call last):\n  File \"main.py\", line 3, in <module>\nModuleNotFoundError: No module named 'fastapi'\n")
        log.flush()
        sys.exit(1)
    server = http.server.HTTPServer(("127.0.0.1", a.port), Handler)
    log.write("INFO:     Uvicorn running on http://127.0.0.1:%d (environment keys: %s)\n" % (a.port, ",".join(sorted(k for k in os.environ if k.endswith("_API_KEY")))))
    log.flush()
    if a.ready:
        open(a.ready, "w").close()
    server.serve_forever()


main()
