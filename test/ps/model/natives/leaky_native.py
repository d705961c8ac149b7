"""A native program that fails and prints what it was given: every argument and the value of each
environment variable named in NOVA_LEAK_VARIABLES (comma-separated), on stdout and on stderr, then
exits 3. It stands for a real program that quotes its input in its error text (cloudflared echoing a
malformed token, a Python traceback showing a setting): the step must mask those values.
NOVA_LEAK_FORM says how it prints each value: `raw` (default, line breaks as given), `base64` (of its
UTF-8), `url` (percent-encoded, RFC 3986 unreserved characters kept) or `last-line` (only the last line
of a multi-line value)."""
import base64
import os
import sys
import urllib.parse


def form(value):
    how = os.environ.get("NOVA_LEAK_FORM", "raw")
    if how == "base64":
        return base64.b64encode(value.encode("utf-8")).decode("ascii")
    if how == "url":
        return urllib.parse.quote(value, safe="")
    if how == "last-line":
        return value.splitlines()[-1]
    return value


shown = sys.argv[1:] + [form(os.environ.get(n, "")) for n in os.environ.get("NOVA_LEAK_VARIABLES", "").split(",") if n]
sys.stdout.write("stdout: given %s\n" % " ".join(shown))
sys.stderr.write("stderr: failed with %s\n" % " ".join(shown))
sys.exit(3)
