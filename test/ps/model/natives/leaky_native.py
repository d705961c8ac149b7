"""A native program that fails and prints what it was given: every argument and the value of each
environment variable named in NOVA_LEAK_VARIABLES (comma-separated), on stdout and on stderr, then
exits 3. It stands for a real program that quotes its input in its error text (cloudflared echoing a
malformed token, a Python traceback showing a setting): the step must mask those values."""
import os
import sys

shown = sys.argv[1:] + [os.environ.get(n, "") for n in os.environ.get("NOVA_LEAK_VARIABLES", "").split(",") if n]
sys.stdout.write("stdout: given %s\n" % " ".join(shown))
sys.stderr.write("stderr: failed with %s\n" % " ".join(shown))
sys.exit(3)
