"""nssm.exe as NSSM 2.24 and 2.24-101-g897c7ad behave (source: github.com/kirillkovalenko/nssm, a
mirror of git.nssm.cc; files named below at commit 897c7ad; messages from messages.mc).

Output encoding (nssm.cpp _tmain, utf8.cpp): 2.24 forces UTF-16 on stdout/stderr (commit 153133a
"Force UTF-16 output", _O_U16TEXT); 2.24-101 switches to UTF-8 (_O_U8TEXT, commit 800ca0c) only
when started from a console (check_console(), console.cpp), otherwise writes in CRT text mode. The
sandbox says whether a console is attached (NOVA_MODEL_CONSOLE: 1 for OpenSSH, 0 for WinRM).
"""
import os
import sys

import hostmodel as hm

PARAMS = "Parameters"
# settings.cpp settings[]: name -> (registry kind, default). Native settings live on the service itself.
APP_SETTINGS = {
    "Application": ("ExpandString", ""), "AppParameters": ("ExpandString", ""), "AppDirectory": ("ExpandString", ""),
    "AppStdout": ("ExpandString", ""), "AppStderr": ("ExpandString", ""),
    "AppRotateFiles": ("DWord", 0), "AppRotateOnline": ("DWord", 0), "AppRotateBytes": ("DWord", 0),
    "AppRestartDelay": ("DWord", 0), "AppThrottle": ("DWord", 1500), "AppStopMethodConsole": ("DWord", 1500),
}
# service.cpp service_status_text / start types (SERVICE_AUTO_START = 2 ...).
START_TYPES = {"SERVICE_AUTO_START": 2, "SERVICE_DEMAND_START": 3, "SERVICE_DISABLED": 4}
STATUS_TEXT = {"Stopped": "SERVICE_STOPPED", "StartPending": "SERVICE_START_PENDING", "Running": "SERVICE_RUNNING",
               "StopPending": "SERVICE_STOP_PENDING", "Paused": "SERVICE_PAUSED"}
# AppExit actions (nssm.h NSSM_EXIT_*, exit_action_strings).
EXIT_ACTIONS = ("Restart", "Ignore", "Exit", "Suicide")


class Nssm:
    def __init__(self, version):
        self.version = version
        if version == "2.24":
            self.encoding = "utf-16"
        elif version == "2.24-101-g897c7ad":
            self.encoding = "utf-8" if os.environ.get("NOVA_MODEL_CONSOLE") == "1" else "ascii"
        else:
            hm.fail_unmodelled("NSSM version " + version)

    def out(self, text):
        hm.write_out(text + "\n", sys.stdout, self.encoding)

    def err(self, text):
        hm.write_out(text + "\n", sys.stderr, self.encoding)

    def no_service(self):
        # NSSM_MESSAGE_OPENSERVICE_FAILED; remove_service returns 3 on it (service.cpp), as do get/set.
        self.err("Can't open service!\nOpenService(): The specified service does not exist as an installed service.")
        return 3

    def run(self, argv, state):
        if not argv:
            hm.fail_unmodelled("nssm without arguments (GUI)")
        cmd = argv[0].lower()
        handler = getattr(self, "cmd_" + cmd, None)
        if handler is None:
            hm.fail_unmodelled("nssm " + cmd)
        return handler(argv[1:], state)

    def params_key(self, name):
        return hm.SERVICES + "\\" + name + "\\" + PARAMS

    def cmd_install(self, args, state):
        if len(args) < 2:
            hm.fail_unmodelled("nssm install without an application (GUI)")
        name, app, rest = args[0], args[1], args[2:]
        # service.cpp install_service: CreateService(name, name, ..., SERVICE_AUTO_START, image = quoted
        # nssm path); on failure NSSM_MESSAGE_CREATESERVICE_FAILED and exit 5.
        exe = hm.to_windows(os.path.abspath(sys.argv[0]))
        image = '"%s"' % exe if " " in exe else exe
        error = hm.create_service(state, name, image, name)
        if error:
            self.err("Error creating service!\nCreateService(): " + error)
            return 5
        # edit_service: Application, AppDirectory (the application's folder when not given), AppParameters, AppExit.
        key = self.params_key(name)
        hm.new_key(state, key)
        hm.set_value(state, key, "Application", "ExpandString", app)
        hm.set_value(state, key, "AppDirectory", "ExpandString", app.rsplit("\\", 1)[0] if "\\" in app else "")
        hm.set_value(state, key, "AppParameters", "ExpandString", " ".join(rest))
        hm.new_key(state, key + "\\AppExit")
        hm.set_value(state, key + "\\AppExit", "", "String", "Restart")
        self.out('Service "%s" installed successfully!' % name)
        return 0

    def cmd_remove(self, args, state):
        if len(args) < 2 or args[1].lower() != "confirm":
            hm.fail_unmodelled("nssm remove without confirm (GUI prompt)")
        error = hm.delete_service(state, args[0])
        if error and "does not exist" in error:
            return self.no_service()
        if error:
            self.err("Error deleting service!")
            return 4
        self.out('Service "%s" removed successfully!' % args[0])
        return 0

    def cmd_status(self, args, state):
        svc = hm.service(state, args[0])
        if svc is None:
            return self.no_service()
        status = svc["Status"]
        if status == "Running" and svc.get("CrashPending"):
            status = "Paused"
        self.out(STATUS_TEXT[status])
        return 0

    def control(self, args, state, control):
        """service.cpp control_service: "<svc>: START|STOP: <FormatMessage text>", exit 0 or 1."""
        svc = hm.service(state, args[0])
        if svc is None:
            return self.no_service()
        name = svc["Name"]
        if svc["Status"] == "Running" and svc.get("CrashPending"):
            svc["Status"], svc["CrashPending"] = "Paused", False
        if control == "START":
            if svc.get("MarkedForDeletion"):
                self.err("%s: START: The specified service has been marked for deletion." % name)
                return 1
            if svc["Status"] != "Stopped":
                self.err("%s: START: An instance of the service is already running." % name)
                return 1
            if hm.start_nssm_service(state, svc) != "Running":
                # await_service_control_response sees SERVICE_PAUSED (the throttled app): NSSM_MESSAGE_BAD_CONTROL_RESPONSE
                self.err("%s: Unexpected status SERVICE_PAUSED in response to START control." % name)
                return 1
        else:
            if svc["Status"] == "Stopped":
                self.err("%s: STOP: The service has not been started." % name)
                return 1
            hm.stop_service(state, svc)
        self.out("%s: %s: The operation completed successfully." % (name, control))
        return 0

    def cmd_start(self, args, state):
        return self.control(args, state, "START")

    def cmd_stop(self, args, state):
        return self.control(args, state, "STOP")

    def setting(self, name, args):
        if name == "AppExit":
            if not args or args[0] != "Default":
                hm.fail_unmodelled("nssm AppExit with a specific exit code")
            return args[1:]
        return args

    def cmd_get(self, args, state):
        name, setting, extra = args[0], args[1], args[2:]
        if hm.service(state, name) is None:
            return self.no_service()
        if setting == "Start":
            start = hm.get_value(state, hm.SERVICES + "\\" + name, "Start")["Data"]
            self.out({v: k for k, v in START_TYPES.items()}[int(start)])
            return 0
        if setting == "AppExit":
            self.setting(setting, extra)
            v = hm.get_value(state, self.params_key(name) + "\\AppExit", "")
            self.out(v["Data"] if v else "Restart")
            return 0
        if setting not in APP_SETTINGS:
            hm.fail_unmodelled("nssm get " + setting)
        v = hm.get_value(state, self.params_key(name), setting)
        self.out(str(v["Data"]) if v else str(APP_SETTINGS[setting][1]))
        return 0

    def cmd_set(self, args, state):
        name, setting, values = args[0], args[1], args[2:]
        if hm.service(state, name) is None:
            return self.no_service()
        if setting == "Start":
            if values[0] not in START_TYPES:
                hm.fail_unmodelled("nssm set Start " + values[0])
            hm.set_value(state, hm.SERVICES + "\\" + name, "Start", "DWord", START_TYPES[values[0]])
        elif setting == "AppExit":
            values = self.setting(setting, values)
            if values[0] not in EXIT_ACTIONS:
                hm.fail_unmodelled("nssm set AppExit Default " + values[0])
            hm.new_key(state, self.params_key(name) + "\\AppExit")
            hm.set_value(state, self.params_key(name) + "\\AppExit", "", "String", values[0])
        elif setting in APP_SETTINGS:
            kind = APP_SETTINGS[setting][0]
            value = " ".join(values)
            if kind == "DWord":
                if not value.isdigit():
                    hm.fail_unmodelled("nssm set %s %r" % (setting, value))
                value = int(value)
            hm.new_key(state, self.params_key(name))
            hm.set_value(state, self.params_key(name), setting, kind, value)
        else:
            hm.fail_unmodelled("nssm set " + setting)
        self.out('Set parameter "%s" for service "%s".' % (setting, name))
        return 0

    def cmd_reset(self, args, state):
        name, setting = args[0], args[1]
        if hm.service(state, name) is None:
            return self.no_service()
        if setting not in APP_SETTINGS:
            hm.fail_unmodelled("nssm reset " + setting)
        k = hm.key(state, self.params_key(name))
        if k is not None:
            k["Values"].pop(setting.lower(), None)
        self.out('Reset parameter "%s" for service "%s" to its default.' % (setting, name))
        return 0


def main(version):
    argv = sys.argv[1:]
    state = hm.load()
    hm.record_call(state, "nssm.exe", argv)
    code = Nssm(version).run(argv, state)
    hm.save(state)
    sys.exit(code)
