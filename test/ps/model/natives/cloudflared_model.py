"""cloudflared.exe (windows-amd64) `--version` and `service install|uninstall`, as the pinned release
behaves. The service code is cmd/cloudflared/windows_service.go (github.com/cloudflare/cloudflared):
installWindowsService refuses an existing service ("service Cloudflared already exists"), creates it
with StartAutomatic, DisplayName "Argo Tunnel agent" and the exe's own path, then installs the event
log source (eventlog.InstallAsEventCreate, which fails when the
HKLM\\SYSTEM\\CurrentControlSet\\Services\\EventLog\\Application\\Cloudflared key exists, deleting the
service again: cloudflared #1615/#1566); uninstallWindowsService deletes the service and the event log
source. From 2026.7.3 the token given to `service install` goes to %ProgramData%\\cloudflared\\token
(SDDL O:BAD:P(A;;FA;;;BA)(A;;FA;;;SY)) and the service runs `tunnel run --token-file <that file>`
(release notes; field notes "Checked 2026-12").
At d1df798 (windows_service.go) install also sets recovery options (configRecoveryOption L464-476: restart
after 20 s, failure count reset after 24 h, actions also on stops with an error) and starts the service,
deleting it when the start fails (L370-374; the deferred removeTokenFile then removes the token file it
wrote, L337-342); uninstall stops a running service first (L397-402) and, after the event log source,
removes %ProgramData%\\cloudflared\\token itself (L414-420, getConfigDir L292-298).
"""
import os
import sys

import hostmodel as hm

EVENTLOG = hm.SERVICES + "\\EventLog\\Application\\Cloudflared"
TOKEN_FILE = "C:\\ProgramData\\cloudflared\\token"
TOKEN_SDDL = "O:BAD:P(A;;FA;;;BA)(A;;FA;;;SY)"


def log(level, msg, **fields):
    # zerolog console output on stderr: "<time> INF <msg> key=value".
    extra = "".join(" %s=%s" % kv for kv in fields.items())
    sys.stderr.write("2026-01-01T00:00:00Z %s %s%s\n" % (level, msg, extra))


def token_file_release(version):
    """2026.7.3 and later keep the token in a file (field notes); earlier ones put it in ImagePath."""
    return tuple(int(p) for p in version.split(".")) >= (2026, 7, 3)


def install(state, args, version):
    if len(args) > 1:
        hm.fail_unmodelled("cloudflared service install with more than a token")
    token = args[0] if args else None
    exe = hm.to_windows(os.path.abspath(sys.argv[0]))
    log("INF", "Installing cloudflared Windows service")
    svc = hm.service(state, "Cloudflared")
    if svc is not None:
        log("ERR", "service already exists", windowsServiceName="Cloudflared")
        return 1, "service Cloudflared already exists"
    # mgr.CreateService(name, exepath, config, args...) quotes the path (syscall.EscapeArg) and appends
    # the arguments: no token -> a locally-managed tunnel run from its config.yml (the guide's way);
    # a token before 2026.7.3 -> `tunnel run --token <token>` in ImagePath; from 2026.7.3 -> --token-file.
    if token is None:
        image = '"%s"' % exe
    elif token_file_release(version):
        image = '"%s" tunnel run --token-file "%s"' % (exe, TOKEN_FILE)
    else:
        image = '"%s" tunnel run --token %s' % (exe, token)
    error = hm.create_service(state, "Cloudflared", image, "Cloudflared agent")
    if error:
        log("ERR", "Cannot install service", windowsServiceName="Cloudflared")
        return 1, error
    if hm.key(state, EVENTLOG) is not None:
        hm.delete_service(state, "Cloudflared")
        log("ERR", "Cannot install event logger", windowsServiceName="Cloudflared")
        return 1, "SetupEventLogSource() failed: Cloudflared registry key already exists"
    hm.new_key(state, EVENTLOG)
    hm.set_value(state, EVENTLOG, "EventMessageFile", "ExpandString", "%SystemRoot%\\System32\\EventCreate.exe")
    hm.set_value(state, EVENTLOG, "TypesSupported", "DWord", 7)
    hm.set_value(state, EVENTLOG, "CustomSource", "DWord", 1)
    wrote_token = token is not None and token_file_release(version)
    if wrote_token:
        path = hm.to_unix(TOKEN_FILE)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8") as f:
            f.write(token)
        state["fileAcls"][TOKEN_FILE.lower()] = {"Protected": True, "Sddl": TOKEN_SDDL, "Rules": [
            {"Sid": "S-1-5-32-544", "Rights": "FullControl", "Type": "Allow"}, {"Sid": "S-1-5-18", "Rights": "FullControl", "Type": "Allow"}]}
    log("INF", "cloudflared agent service is installed", windowsServiceName="Cloudflared")
    # configRecoveryOption (windows_service.go L464-476): SERVICE_CONFIG_FAILURE_ACTIONS with one restart
    # after recoverActionDelay (20 s) and a reset period of failureCountResetPeriod (24 h, L38-39), then
    # SERVICE_CONFIG_FAILURE_ACTIONS_FLAG (actions on stops with an error as well).
    svc = hm.service(state, "Cloudflared")
    svc["FailureActions"] = {"ResetPeriodSeconds": 86400, "Actions": [{"Type": "Restart", "DelayMs": 20000}], "OnNonCrashFailures": True}
    # s.Start(); on an error s.Delete() and "Cannot start service: <error>" (L370-374). A start the test
    # makes fail (Set-ModelCloudflaredStartFailure) is the SCM's ERROR_SERVICE_REQUEST_TIMEOUT (1053).
    if state.get("cloudflaredStartFails"):
        hm.delete_service(state, "Cloudflared")
        if wrote_token:
            os.remove(hm.to_unix(TOKEN_FILE))
            state["fileAcls"].pop(TOKEN_FILE.lower(), None)
        return 1, "Cannot start service: The service did not respond to the start or control request in a timely fashion."
    hm.start_cloudflared_service(state, svc)
    log("INF", "Agent service for cloudflared installed successfully", windowsServiceName="Cloudflared")
    return 0, None


def uninstall(state):
    log("INF", "Uninstalling cloudflared agent service")
    svc = hm.service(state, "Cloudflared")
    if svc is None:
        return 1, "agent service Cloudflared is not installed, so it could not be uninstalled"
    # a running service is stopped first (L397-402)
    if svc["Status"] == "Running":
        log("INF", "Stopping cloudflared agent service", windowsServiceName="Cloudflared")
        hm.stop_service(state, svc)
    error = hm.delete_service(state, "Cloudflared")
    if error:
        log("ERR", "Cannot delete service", windowsServiceName="Cloudflared")
        return 1, error
    log("INF", "cloudflared agent service is uninstalled", windowsServiceName="Cloudflared")
    if hm.key(state, EVENTLOG) is None:
        log("ERR", "Cannot remove event logger", windowsServiceName="Cloudflared")
        return 1, "RemoveEventLogSource() failed: The system cannot find the file specified."
    hm.remove_key(state, EVENTLOG)
    # removeTokenFile(getConfigDir()) (L414-420): %PROGRAMDATA%\\cloudflared\\token, a missing one is no error
    path = hm.to_unix(TOKEN_FILE)
    if os.path.exists(path):
        os.remove(path)
    state["fileAcls"].pop(TOKEN_FILE.lower(), None)
    return 0, None


def main(version):
    argv = sys.argv[1:]
    state = hm.load()
    hm.record_call(state, "cloudflared.exe", argv)
    if argv == ["--version"]:
        # cmd/cloudflared/main.go: "cloudflared version <version> (built <date>)".
        sys.stdout.write("cloudflared version %s (built 2026-09-30-0000 UTC)\n" % version)
        hm.save(state)
        sys.exit(0)
    if len(argv) >= 2 and argv[0] == "service" and argv[1] == "install":
        code, error = install(state, argv[2:], version)
    elif argv == ["service", "uninstall"]:
        code, error = uninstall(state)
    else:
        hm.fail_unmodelled("cloudflared " + " ".join(a if len(a) < 40 else "<long>" for a in argv))
    hm.save(state)
    if error:
        # urfave/cli prints the action's error and exits 1.
        sys.stderr.write("%s\n" % error)
    sys.exit(code)
