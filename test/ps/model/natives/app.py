"""The NOVA app as the model runs it when the NSSM service starts: a real HTTP server on 127.0.0.1
(never another address) answering GET /health with 200 {"status":"ok"}; `--behaviour crash` exits at
once with a traceback-like line on its stderr log, as a backend missing a dependency does.

`--app-parameters` is the service's NSSM AppParameters. When it runs uvicorn (direct mode:
`-m uvicorn <module> ... --ssl-certfile F --ssl-keyfile F [--ssl-cert-reqs 2 --ssl-ca-certs F]`), the
app serves TLS as uvicorn does with those options (uvicorn/config.py create_ssl_context: an
SSLContext(PROTOCOL_TLS_SERVER) with load_cert_chain(certfile, keyfile), verify_mode = cert_reqs,
load_verify_locations(ca_certs) and set_ciphers(ciphers)); files it cannot load make it exit at once, as uvicorn does. Any other
uvicorn option that changes what it serves is not modelled and fails loudly."""
import argparse
import http.server
import json
import os
import ssl
import sys

import hostmodel

# uvicorn options the host steps pass and what the model does with them (the rest fail loudly).
UVICORN_VALUE_OPTIONS = {"--host", "--port", "--forwarded-allow-ips", "--ssl-certfile", "--ssl-keyfile", "--ssl-cert-reqs", "--ssl-ca-certs", "--ssl-ciphers"}
UVICORN_FLAGS = {"--proxy-headers"}


def split_command_line(text):
    """Arguments of a Windows command line as the CRT splits them (CommandLineToArgvW rules): 2n
    backslashes before a quote are n backslashes and the quote opens or closes, 2n+1 are n and a literal
    quote, other backslashes are literal (https://learn.microsoft.com/cpp/c-language/parsing-c-command-line-arguments)."""
    words, word, quoted, has_word, i = [], "", False, False, 0
    while i < len(text):
        c = text[i]
        if c == "\\":
            n = 0
            while i < len(text) and text[i] == "\\":
                n += 1
                i += 1
            if i < len(text) and text[i] == '"':
                word += "\\" * (n // 2)
                if n % 2:
                    word += '"'
                    i += 1
            else:
                word += "\\" * n
            has_word = True
            continue
        if c == '"':
            quoted = not quoted
            has_word = True
        elif c in " \t" and not quoted:
            if has_word:
                words.append(word)
            word, has_word = "", False
        else:
            word += c
            has_word = True
        i += 1
    if has_word:
        words.append(word)
    return words


def uvicorn_options(parameters):
    """The options of a `-m uvicorn <module> ...` AppParameters text; None when it is not uvicorn."""
    words = split_command_line(parameters or "")
    if words[:2] != ["-m", "uvicorn"]:
        return None
    options, rest = {}, words[3:]
    while rest:
        word = rest.pop(0)
        if word in UVICORN_FLAGS:
            options[word] = True
        elif word in UVICORN_VALUE_OPTIONS and rest:
            options[word] = rest.pop(0)
        else:
            hostmodel.fail_unmodelled("uvicorn option %r" % word)
    return options


def tls_context(options):
    if "--ssl-certfile" not in options:
        return None
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(hostmodel.to_unix(options["--ssl-certfile"]), hostmodel.to_unix(options["--ssl-keyfile"]))
    context.verify_mode = ssl.VerifyMode(int(options.get("--ssl-cert-reqs", "0")))
    # uvicorn/main.py: --ssl-ciphers defaults to "TLSv1" (OpenSSL's TLS 1.0 suites: in TLS 1.2 only the
    # CBC-SHA ones; TLS 1.3 suites are set apart and unaffected)
    context.set_ciphers(options.get("--ssl-ciphers", "TLSv1"))
    if "--ssl-ca-certs" in options:
        context.load_verify_locations(hostmodel.to_unix(options["--ssl-ca-certs"]))
    return context


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
    p.add_argument("--app-parameters", default="")
    a = p.parse_args()
    options = uvicorn_options(a.app_parameters) or {}
    log = sys.stderr   # NSSM's AppStderr file (the model starts the app with it as stderr)
    if a.behaviour == "crash":
        log.write("Traceback (most recent call last):\n  File \"main.py\", line 3, in <module>\nModuleNotFoundError: No module named 'fastapi'\n")
        log.flush()
        sys.exit(1)
    try:
        context = tls_context(options)
    except (OSError, ssl.SSLError) as e:
        log.write("Traceback (most recent call last):\n  File \"uvicorn/config.py\", in load\n%s: %s\n" % (type(e).__name__, e))
        log.flush()
        sys.exit(1)
    server = http.server.HTTPServer(("127.0.0.1", a.port), Handler)
    scheme = "http"
    if context is not None:
        server.socket = context.wrap_socket(server.socket, server_side=True)
        scheme = "https"
    log.write("INFO:     Uvicorn running on %s://127.0.0.1:%d (environment keys: %s)\n" % (scheme, a.port, ",".join(sorted(k for k in os.environ if k.endswith("_API_KEY")))))
    log.flush()
    if a.ready:
        open(a.ready, "w").close()
    server.serve_forever()


main()
