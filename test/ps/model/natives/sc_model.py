"""sc.exe delete <name> (https://learn.microsoft.com/windows-server/administration/windows-commands/sc-delete):
"[SC] DeleteService SUCCESS", or "[SC] OpenService FAILED 1060:" / "[SC] DeleteService FAILED 1072:"
with the error text, exit code = the Win32 error. sc.exe writes in the console's code page (ASCII here)."""
import sys

import hostmodel as hm


def main():
    argv = sys.argv[1:]
    state = hm.load()
    hm.record_call(state, "sc.exe", argv)
    if len(argv) != 2 or argv[0].lower() != "delete":
        hm.fail_unmodelled("sc.exe " + " ".join(argv))
    error = hm.delete_service(state, argv[1])
    hm.save(state)
    if error is None:
        hm.write_out("[SC] DeleteService SUCCESS\n", sys.stdout, "ascii")
        sys.exit(0)
    if "does not exist" in error:
        hm.write_out("[SC] OpenService FAILED 1060:\n\n%s\n\n" % error, sys.stdout, "ascii")
        sys.exit(1060)
    hm.write_out("[SC] DeleteService FAILED 1072:\n\n%s\n\n" % error, sys.stdout, "ascii")
    sys.exit(1072)
