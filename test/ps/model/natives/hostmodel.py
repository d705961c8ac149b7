"""Shared state of the host model for the native programs (nssm.exe, cloudflared.exe, sc.exe).

The state document is the one the PowerShell side keeps (test/ps/model/State.ps1): registry keys by
lower-case path, services by lower-case name. A native is called synchronously by the script under
test, so the two sides never write at once.
"""
import json
import os
import re
import sys
import time

ROOT = os.environ.get("NOVA_MODEL_ROOT")
SERVICES = "HKLM:\\SYSTEM\\CurrentControlSet\\Services"


def fail_unmodelled(what):
    sys.stderr.write("model: %s not modelled\n" % what)
    sys.exit(99)


def state_path():
    if not ROOT:
        fail_unmodelled("a native program outside a model sandbox (NOVA_MODEL_ROOT unset)")
    return os.path.join(ROOT, "state.json")


def load():
    with open(state_path(), encoding="utf-8") as f:
        return json.load(f)


def save(state):
    with open(state_path(), "w", encoding="utf-8") as f:
        json.dump(state, f, indent=1)


def record_call(state, program, argv):
    """Every native call is logged with its argv (tests check that secrets never reach a command line
    other than where the real program needs them). A fault a test sets, `hangs: {program: seconds}`,
    makes that program hang (a real one waiting on a lock, the SCM, the network) after the call is
    recorded and saved: the step bound's test (test/stepTimeout.ssh.test.ts)."""
    state.setdefault("calls", []).append({"program": program, "argv": argv})
    seconds = state.get("hangs", {}).get(program)
    if seconds:
        save(state)
        time.sleep(seconds)
        fail_unmodelled("%s hung for %s s and was not stopped" % (program, seconds))


def to_unix(path):
    """C:\\a\\b -> <sandbox>/C/a/b (the C: drive of the sandbox)."""
    if len(path) > 2 and path[1] == ":" and path[2] in "\\/" and path[0].upper() == "C":
        return os.path.join(ROOT, "C", path[3:].replace("\\", "/"))
    fail_unmodelled("path %r" % path)


def to_windows(unix):
    prefix = os.path.join(ROOT, "C") + "/"
    unix = os.path.abspath(unix)
    if not unix.startswith(prefix):
        fail_unmodelled("a program outside the sandbox's C: (%s)" % unix)
    return "C:\\" + unix[len(prefix):].replace("/", "\\")


def key(state, path):
    return state["registry"].get(path.lower())


def new_key(state, path):
    parts = path.split("\\")
    for i in range(2, len(parts) + 1):
        p = "\\".join(parts[:i])
        state["registry"].setdefault(p.lower(), {"Path": p, "Values": {}, "Acl": None})
    return state["registry"][path.lower()]


def remove_key(state, path):
    lower = path.lower()
    for k in [k for k in state["registry"] if k == lower or k.startswith(lower + "\\")]:
        del state["registry"][k]


def set_value(state, path, name, kind, data):
    k = key(state, path)
    if k is None:
        fail_unmodelled("writing %s to missing key %s" % (name, path))
    k["Values"][name.lower()] = {"Name": name, "Kind": kind, "Data": data}


def get_value(state, path, name):
    k = key(state, path)
    if k is None:
        return None
    v = k["Values"].get(name.lower())
    return None if v is None else v


def service(state, name):
    return state["services"].get(name.lower())


def create_service(state, name, image_path, display_name, start=2):
    """CreateService: ERROR_SERVICE_EXISTS (1073) for an existing service, ERROR_SERVICE_MARKED_FOR_DELETE
    (1072) for one marked for deletion (CreateService docs). Returns None on success or the error text."""
    existing = service(state, name)
    if existing is not None:
        if existing.get("MarkedForDeletion"):
            return "The specified service has been marked for deletion."
        return "The specified service already exists."
    state["services"][name.lower()] = {"Name": name, "Status": "Stopped", "Pid": 0, "MarkedForDeletion": False, "Handles": 0, "CrashPending": False}
    k = SERVICES + "\\" + name
    new_key(state, k)
    set_value(state, k, "Type", "DWord", 16)
    set_value(state, k, "Start", "DWord", start)
    set_value(state, k, "ErrorControl", "DWord", 1)
    set_value(state, k, "ImagePath", "ExpandString", image_path)
    set_value(state, k, "DisplayName", "String", display_name)
    set_value(state, k, "ObjectName", "String", "LocalSystem")
    return None


def delete_service(state, name):
    """DeleteService: the service is removed at once when it is stopped and no handle is open;
    otherwise it is marked for deletion (DeleteService docs). Returns None or the error text."""
    svc = service(state, name)
    if svc is None:
        return "The specified service does not exist as an installed service."
    if svc.get("MarkedForDeletion"):
        return "The specified service has been marked for deletion."
    if svc["Status"] != "Stopped" or int(svc.get("Handles", 0)) > 0:
        svc["MarkedForDeletion"] = True
        return None
    del state["services"][name.lower()]
    remove_key(state, SERVICES + "\\" + name)
    return None


def write_out(text, stream, encoding):
    """Writes text with CRLF line ends (CRT text mode translates \\n) in the program's encoding."""
    data = text.replace("\r\n", "\n").replace("\n", "\r\n")
    if encoding == "ascii" and any(ord(c) > 127 for c in data):
        fail_unmodelled("non-ASCII output in CRT text mode (no console)")
    stream.buffer.write(data.encode({"utf-16": "utf-16-le", "utf-8": "utf-8", "ascii": "ascii"}[encoding]))
    stream.buffer.flush()


# --- service processes (the same tree and app as Process.ps1 Start-ModelServiceProcess) ---

def _new_pid(state):
    state["nextPid"] = int(state["nextPid"]) + 4
    return state["nextPid"]


def _add_process(state, name, parent, real_pid=0, port=0):
    import time
    pid = _new_pid(state)
    ticks = int((time.time() + 62135596800) * 10_000_000) + pid   # .NET DateTime ticks, as Process.ps1
    state["processes"][str(pid)] = {"ProcessId": pid, "ParentProcessId": parent, "Name": name, "Created": ticks,
                                    "RealPid": real_pid, "Alive": True, "Port": port}
    return pid


def _param(state, name, value):
    v = get_value(state, SERVICES + "\\" + name + "\\Parameters", value)
    return None if v is None else v["Data"]


def start_nssm_service(state, svc):
    """Starts the application of an NSSM service as the SCM + NSSM would: the .env's APP_PORT, NSSM's
    AppStdout/AppStderr as its output (io.cpp), AppEnvironmentExtra in its environment. Returns the
    status the start ends in (Running, or Paused when the app exits at once: service.cpp throttle_restart)."""
    import subprocess
    import time
    image = get_value(state, SERVICES + "\\" + svc["Name"], "ImagePath")["Data"]
    if not image.rstrip('"').lower().endswith("nssm.exe"):
        fail_unmodelled("starting %s (%s) from a native program" % (svc["Name"], image))
    app_dir = _param(state, svc["Name"], "AppDirectory") or ""
    port = 8000
    env_file = to_unix(app_dir.rstrip("\\") + "\\.env")
    if os.path.exists(env_file):
        for line in open(env_file, encoding="utf-8"):
            key, _, value = line.partition("=")
            if key.strip() == "APP_PORT" and value.strip().isdigit():
                port = int(value.strip())
    parameters = _param(state, svc["Name"], "AppParameters") or ""
    # direct mode runs uvicorn with its own --port (app.py reads the rest of AppParameters)
    match = re.match(r"^-m uvicorn .*--port (\d+)", parameters)
    if match:
        port = int(match.group(1))
    out = _param(state, svc["Name"], "AppStdout")
    err = _param(state, svc["Name"], "AppStderr")
    nssm_pid = _add_process(state, "nssm.exe", 636)
    launcher = _add_process(state, "python.exe", nssm_pid)
    ready = os.path.join(ROOT, "app-ready-%d" % launcher)
    env = dict(os.environ, NOVA_APP_OUT=to_unix(out) if out else "/dev/null", NOVA_APP_ERR=to_unix(err) if err else "/dev/null")
    for line in (_param(state, svc["Name"], "AppEnvironmentExtra") or []):
        key, _, value = line.partition("=")
        env[key] = value
    app = os.path.join(os.path.dirname(os.path.abspath(__file__)), "app.py")
    proc = subprocess.Popen(["/bin/sh", "-c", 'exec /usr/bin/python3 -S "$@" </dev/null >>"$NOVA_APP_OUT" 2>>"$NOVA_APP_ERR"', "app", app,
                             "--port", str(port), "--behaviour", state["app"]["behaviour"], "--ready", ready, "--app-parameters", parameters],
                            env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.time() + 10
    while not os.path.exists(ready) and proc.poll() is None and time.time() < deadline:
        time.sleep(0.02)
    _add_process(state, "python.exe", launcher, proc.pid, port)
    state["app"]["processes"] = list(state["app"].get("processes") or []) + [proc.pid]
    svc["Pid"] = nssm_pid
    svc["CrashPending"] = False
    svc["Status"] = "Paused" if not os.path.exists(ready) else "Running"
    return svc["Status"]


def add_event(state, source, entry_type, message):
    """An Application event log entry, as EventLog.ps1 Add-ModelEvent keeps it."""
    import time
    log = [e for e in (state.get("eventLog") or []) if e is not None]
    index = int(log[-1]["Index"]) + 1 if log else 1
    log.append({"Index": index, "Source": source, "EntryType": entry_type, "Message": message,
                "Written": int((time.time() + 62135596800) * 10_000_000)})
    state["eventLog"] = log


# cloudflared started with no arguments runs in service mode (main.go L198-214, handleServiceMode):
# config.FindOrCreateConfigPath (config/configuration.go L123-152 at d1df798) uses the first of
# ~/.cloudflared, ~/.cloudflare-warp, ~/cloudflare-warp holding config.yml or config.yaml (~ of LocalSystem:
# its profile), else creates DefaultConfigPath: %ProgramFiles(x86)%\\cloudflared\\config.yml when that
# folder exists (CFDPATH unset), else a relative "config.yml", i.e. in the service's working directory,
# %SystemRoot%\\System32; its content is Root{LogDirectory} (model.go L28, omitempty).
SYSTEM_PROFILE = "C:\\Windows\\System32\\config\\systemprofile"


def cloudflared_service_config(state):
    for d in (".cloudflared", ".cloudflare-warp", "cloudflare-warp"):
        for f in ("config.yml", "config.yaml"):
            if os.path.exists(to_unix("%s\\%s\\%s" % (SYSTEM_PROFILE, d, f))):
                return
    x86 = "C:\\Program Files (x86)\\cloudflared"
    if os.path.isdir(to_unix(x86)):
        path, text = x86 + "\\config.yml", "logDirectory: %s\n" % x86
    else:
        path, text = "C:\\Windows\\System32\\config.yml", "{}\n"
    os.makedirs(os.path.dirname(to_unix(path)), exist_ok=True)
    with open(to_unix(path), "w", encoding="utf-8") as f:
        f.write(text)


def start_cloudflared_service(state, svc):
    """As Process.ps1 starts a cloudflared service: no process (the edge is out of reach), Running, the
    two entries Execute writes (windows_service.go), and service mode's config.yml for a bare exe."""
    image = get_value(state, SERVICES + "\\" + svc["Name"], "ImagePath")["Data"]
    svc["Pid"] = _add_process(state, "cloudflared.exe", 636)
    svc["Status"] = "Running"
    add_event(state, "Cloudflared", "Information", "Cloudflared service starting")
    add_event(state, "Cloudflared", "Information", "Cloudflared service arguments: [%s]" % image.replace('"', ""))
    if re.fullmatch(r'"[^"]*"', image.strip()):
        cloudflared_service_config(state)


def stop_service(state, svc):
    """Stops the service's process tree; a service marked for deletion goes once stopped and unhandled."""
    import signal
    ids = {int(svc.get("Pid") or 0)}
    changed = True
    while changed:
        changed = False
        for p in state["processes"].values():
            if int(p["ParentProcessId"]) in ids and int(p["ProcessId"]) not in ids:
                ids.add(int(p["ProcessId"]))
                changed = True
    for pid in ids:
        p = state["processes"].pop(str(pid), None)
        if p and p.get("RealPid"):
            try:
                os.kill(int(p["RealPid"]), signal.SIGTERM)
            except ProcessLookupError:
                pass
    svc["Pid"] = 0
    svc["Status"] = "Stopped"
    if svc.get("MarkedForDeletion") and int(svc.get("Handles", 0)) == 0:
        del state["services"][svc["Name"].lower()]
        remove_key(state, SERVICES + "\\" + svc["Name"])
