/**
 * The re-run defects of the host steps, executed under pwsh: the rendered script text runs with
 * stand-ins for the Windows service, registry, CIM and web cmdlets it calls (test/support/pwsh.ts).
 * The programs are built while the tests are collected and run in one pwsh before them
 * (test/support/pwshBatch.ts); each test reads its programs' results.
 */
import { expect, it } from "vitest";
import { LOADER_TEXT, hostStdin } from "../../../../components/host/bootstrap";
import { renderHostStep } from "../../../../components/host/steps";
import type { NovaConfig } from "../../../../components/types";
import { CLOUDFLARE_IPV4, CLOUDFLARE_IPV6, FAKE_SECRETS, prodConfig, sshHost } from "../../../support/fixtures/configs";
import { describePwsh, runPwsh, stepJson, stepProgram } from "../../../support/pwsh";
import { pwshQueue } from "../../../support/pwshBatch";

const inputs = { cloudflare: { ipv4: CLOUDFLARE_IPV4, ipv6: CLOUDFLARE_IPV6 } };
const create = (step: Parameters<typeof renderHostStep>[0], cfg: NovaConfig = prodConfig) => renderHostStep(step, cfg, sshHost, inputs).create;

/**
 * Services as the SCM shows them: `Start-Service` throws on a Paused or pending service (PowerShell's
 * DoStartService), Stop-Service stops a Running or Paused one; a pending state lasts `Pending` reads.
 * Every control call and sleep is logged in `$global:Calls`.
 */
const SERVICES = String.raw`$global:Calls = New-Object System.Collections.Generic.List[string]
$global:Svc = @{}
$global:Pending = @{}
function Get-Service([string]$Name, $ErrorAction) {
  if (-not $global:Svc.ContainsKey($Name)) { if ([string]$ErrorAction -eq 'SilentlyContinue') { return $null }; throw ('Cannot find any service with service name ' + $Name) }
  $status = $global:Svc[$Name]
  if ($global:Pending.ContainsKey($Name) -and $global:Pending[$Name].Count -gt 0) { $status = $global:Pending[$Name][0]; $global:Pending[$Name] = @($global:Pending[$Name] | Select-Object -Skip 1) }
  return [pscustomobject]@{ Name = $Name; Status = $status }
}
function Start-Service([string]$Name) {
  $global:Calls.Add('start ' + $Name)
  if (@('Stopped', 'Running') -notcontains $global:Svc[$Name]) { throw ("Service '" + $Name + "' cannot be started due to the following error: Cannot start service " + $Name) }
  $global:Svc[$Name] = 'Running'
}
function Stop-Service([string]$Name, [switch]$Force, $ErrorAction) { $global:Calls.Add('stop ' + $Name); Write-Warning ('Waiting for service ' + $Name + ' to stop...'); $global:Svc[$Name] = 'Stopped' }
function Restart-Service([string]$Name, [switch]$Force) { $global:Calls.Add('restart ' + $Name); Write-Warning ('Waiting for service ' + $Name + ' to start...'); if ($global:Svc[$Name] -eq 'Paused') { throw 'cannot restart a paused service' }; $global:Svc[$Name] = 'Running' }
function Start-Sleep([int]$Seconds) { $global:Calls.Add('sleep ' + $Seconds) }
`;
const ENV = String.raw`$env:ProgramFiles = 'C:\Program Files'
$env:ProgramData = 'C:\ProgramData'
$env:TEMP = 'C:\Temp'
function Join-Path([string]$Path, [string]$ChildPath) { return ($Path.TrimEnd('\') + '\' + $ChildPath) }`;
const SHOW = String.raw`Write-Output ('CALLS ' + (ConvertTo-Json -Compress -InputObject @($global:Calls)))`;

function calls(stdout: string): string[] {
    const line = stdout.split("\n").find((l) => l.startsWith("CALLS "));
    if (!line) throw new Error(`no CALLS line in ${stdout}`);
    return JSON.parse(line.slice(6));
}

const queue = pwshQueue();

/** Queues a program, printing the logged calls after the JSON line, or (from a trap, after the param line) on failure; gives its result. */
function run(program: string) {
    const trap = `trap { ${SHOW}; [Console]::Error.WriteLine($_.Exception.Message); exit 1 }`;
    const [param, ...rest] = program.replace(/\n(Write-NovaJson \(\[ordered\]@\{ step = '[a-z]+'; changed = @\(\$NovaChanged\) \}\))\n/, `\n$1\n${SHOW}\n`).split("\n");
    return queue([param, trap, ...rest].join("\n"));
}

describePwsh("1. paused and pending services", () => {
    const paused = ["", "$NovaChanged.Add('AppParameters')"].map((changed) => run(stepProgram(create("service"), `${SERVICES}\n$global:Svc['NOVA-Backend'] = 'Paused'\n${changed}`, [], ENV)));
    it("the service step stops and starts a Paused service (NSSM throttling) instead of failing, changed or not", () => {
        for (const result of paused) {
            const r = result();
            expect(r.stderr).toBe("");
            expect(calls(r.stdout)).toEqual(["stop NOVA-Backend", "start NOVA-Backend"]);
            expect(stepJson(r.stdout).changed).toContain("restarted");
        }
    });

    const pendingRun = run(stepProgram(create("service"), `${SERVICES}\n$global:Svc['NOVA-Backend'] = 'Stopped'\n$global:Pending['NOVA-Backend'] = @('StopPending', 'StopPending')`, [], ENV));
    const unchangedRun = run(stepProgram(create("service"), `${SERVICES}\n$global:Svc['NOVA-Backend'] = 'Running'`, [], ENV));
    it("the service step waits out StopPending before starting, and restarts a Running service only on a change", () => {
        const pending = pendingRun();
        expect(pending.stderr).toBe("");
        expect(calls(pending.stdout)).toEqual(["sleep 1", "sleep 1", "start NOVA-Backend"]);
        const unchanged = unchangedRun();
        expect(calls(unchanged.stdout)).toEqual([]);
        expect(stepJson(unchanged.stdout).changed).toEqual([]);
    });

    const dotenv = run(stepProgram(create("dotenv"), `${SERVICES}\n$global:Svc['NOVA-Backend'] = 'Paused'\n$NovaChanged.Add('content')`, [], ENV));
    it("the dotenv step restarts a Paused service when it rewrote .env", () => {
        const r = dotenv();
        expect(r.stderr).toBe("");
        expect(calls(r.stdout)).toEqual(["stop NOVA-Backend", "start NOVA-Backend"]);
        expect(stepJson(r.stdout).changed).toEqual(["content", "service-restarted"]);
    });
});

describePwsh("2. a failing health check", () => {
    const cfg = { ...prodConfig, healthTimeoutSeconds: 0 };
    const standIns = [
        SERVICES,
        "$global:Svc['NOVA-Backend'] = 'Paused'",
        "function Invoke-WebRequest { throw (New-Object System.Exception 'Unable to connect to the remote server') }",
        "function Get-Content { return @('Traceback: ANTHROPIC_API_KEY=sk-ant-LEAKED-IN-LOG') }",
    ].join("\n");
    const health = run(stepProgram(create("health", cfg), standIns, ["http"], ENV));
    it("names the URL, the last answer, the service state and the log files, and quotes no log content", () => {
        const r = health();
        expect(r.status).toBe(1);
        expect(r.stderr.trim()).toBe(
            "http://127.0.0.1:8000/health did not answer 200 within 0 s (last answer: no answer: Unable to connect to the remote server; " +
                "service NOVA-Backend is Paused); see C:\\Users\\PPZ\\NOVA-SERVER\\logs\\service-error.log and C:\\Users\\PPZ\\NOVA-SERVER\\logs\\service.log on the host",
        );
    });
});

/** The registry key of a service (ImagePath, ObjectName) and Win32_Service.Change, logged. */
const SERVICE_KEY = String.raw`$global:Key = @{ ImagePath = '"C:\nssm\win64\nssm.exe"'; ObjectName = 'NT SERVICE\NOVA-Backend' }
function Get-Item([string]$LiteralPath) { $o = [pscustomobject]@{ Path = $LiteralPath }; $o | Add-Member ScriptMethod GetValue { param($n, $d, $opt) if ($global:Key.ContainsKey($n)) { $global:Key[$n] } else { $d } }; return $o }
function Get-CimInstance { return [pscustomobject]@{ Name = 'NOVA-Backend' } }
function Invoke-CimMethod($InputObject, [string]$MethodName, [hashtable]$Arguments) {
  foreach ($k in @($Arguments.Keys | Sort-Object)) { $global:Calls.Add($MethodName + ' ' + $k + '=' + $Arguments[$k]) }
  return [pscustomobject]@{ ReturnValue = 0 }
}`;

describePwsh("3. the service's ImagePath and account", () => {
    const imagePath = run(stepProgram(create("service"), `${SERVICES}\n${SERVICE_KEY}\n$global:Svc['NOVA-Backend'] = 'Running'`, ["guide:image-path", "account"], ENV));
    it("points the guide's service (C:\\nssm\\win64\\nssm.exe) at our pinned nssm.exe through the SCM, then restarts it", () => {
        const r = imagePath();
        expect(r.stderr).toBe("");
        expect(calls(r.stdout)).toEqual(['Change PathName="C:\\Program Files\\nova-infra\\nssm\\nssm.exe"', "stop NOVA-Backend", "start NOVA-Backend"]);
        expect(stepJson(r.stdout).changed).toEqual(["guide:image-path", "restarted"]);
    });

    const key = SERVICE_KEY.replace(`'"C:\\nssm\\win64\\nssm.exe"'`, `'c:\\program files\\nova-infra\\nssm\\nssm.exe'`).replace("'NT SERVICE\\NOVA-Backend'", "'LocalSystem'");
    const account = run(stepProgram(create("service"), `${SERVICES}\n${key}\n$global:Svc['NOVA-Backend'] = 'Running'`, ["guide:image-path", "account"], ENV));
    it("runs the guide's LocalSystem service as its virtual account, and leaves a matching ImagePath (quoted or not, any case) alone", () => {
        const r = account();
        expect(r.stderr).toBe("");
        // no StartPassword: NULL, as a virtual account needs (ChangeServiceConfigW)
        expect(calls(r.stdout)).toEqual(["Change StartName=NT SERVICE\\NOVA-Backend", "stop NOVA-Backend", "start NOVA-Backend"]);
        expect(stepJson(r.stdout).changed).toEqual(["account", "restarted"]);
    });
});

describePwsh("4. downloads", () => {
    const dir = "/tmp";
    const retried = (() => {
        const standIns = String.raw`${SERVICES}
$global:Failures = 2
function Invoke-WebRequest([switch]$UseBasicParsing, [string]$Uri, [string]$OutFile, [int]$TimeoutSec) {
  $global:Calls.Add('get ' + $Uri)
  if ($global:Failures -gt 0) { $global:Failures--; throw (New-Object System.Exception 'The remote server returned an error: (503) Server Unavailable.') }
  [System.IO.File]::WriteAllText($OutFile, 'payload')
}
$path = Join-Path '${dir}' ('nova-dl-' + [guid]::NewGuid().ToString('n'))
$sha = (Get-FileHash -InputStream ([System.IO.MemoryStream]::new([System.Text.Encoding]::UTF8.GetBytes('payload')))).Hash.ToLowerInvariant()
Save-NovaVerifiedDownload -Url 'https://nssm.cc/ci/nssm.zip' -Expected $sha -Path $path.Replace('\', '/')
Remove-Item -LiteralPath $path.Replace('\', '/')`;
        return run(stepProgram(create("tools"), standIns, [], ENV));
    })();
    it("retry with a doubling, bounded backoff and succeed when the server recovers", () => {
        const r = retried();
        expect(r.stderr).toBe("");
        expect(calls(r.stdout)).toEqual(["get https://nssm.cc/ci/nssm.zip", "sleep 2", "get https://nssm.cc/ci/nssm.zip", "sleep 4", "get https://nssm.cc/ci/nssm.zip"]);
    });

    const gaveUp = (() => {
        const standIns = String.raw`${SERVICES}
function Invoke-WebRequest([switch]$UseBasicParsing, [string]$Uri, [string]$OutFile, [int]$TimeoutSec) { $global:Calls.Add('get'); throw (New-Object System.Exception 'The remote server returned an error: (503) Server Unavailable.') }
function Save-NovaTestProbe { }
$NovaNssmMarker = '/nonexistent/marker'`;
        const script = create("tools");
        // The nssm check's fix downloads first: the marker is missing, so the fix runs.
        return run(stepProgram(script, `${standIns}\nfunction Test-Path { return $false }\nfunction Remove-Item { }`, ["nssm"], ENV));
    })();
    it("give up after six attempts (about a minute) naming the URL and the mirror keys", () => {
        const r = gaveUp();
        expect(r.status).toBe(1);
        expect(r.stderr.trim()).toBe(
            "download of https://nssm.cc/ci/nssm-2.24-101-g897c7ad.zip failed 6 times (last error: The remote server returned an error: (503) Server Unavailable.); " +
                "a server without Internet access can use a mirror: nova:nssmUrl (with nova:nssmSha256)",
        );
        expect(calls(r.stdout)).toEqual(["get", "sleep 2", "get", "sleep 4", "get", "sleep 8", "get", "sleep 16", "get", "sleep 30", "get"]);
    });

    const upgrade = (() => {
        const standIns = String.raw`${SERVICES}
$global:Svc['NOVA-Backend'] = 'Running'
function Test-Path { return $false }
function Save-NovaVerifiedDownload { $global:Calls.Add('download') }
function Expand-Archive { }
function Get-ChildItem { return [pscustomobject]@{ FullName = 'C:\Temp\nssm\win64\nssm.exe' } }
function Install-NovaFile([string]$Source, [string]$Target) { $global:Calls.Add('install ' + $Target) }
function Set-Content { }
function Get-NovaFileHash { return 'abc' }
function Remove-Item([string]$LiteralPath) { if ($LiteralPath -like '*.old') { $global:Calls.Add('remove ' + $LiteralPath) } }`;
        return run(stepProgram(create("tools"), standIns, ["nssm"], ENV));
    })();
    it("an NSSM upgrade restarts the running service on the new nssm.exe and removes the renamed old one", () => {
        const r = upgrade();
        expect(r.stderr).toBe("");
        expect(calls(r.stdout)).toEqual([
            "download",
            "install C:\\Program Files\\nova-infra\\nssm\\nssm.exe",
            "stop NOVA-Backend",
            "start NOVA-Backend",
            "remove C:\\Program Files\\nova-infra\\nssm\\nssm.exe.old",
        ]);
        expect(stepJson(r.stdout).changed).toEqual(["service-restarted", "nssm"]);
    });
});

/** cloudflared's service: its Win32_Service PathName, and the native calls. */
const TUNNEL = (pathName: string) => String.raw`${SERVICES}
$global:Svc['Cloudflared'] = 'Running'
$NovaSecrets = [pscustomobject]@{ tunnelToken = '${FAKE_SECRETS.tunnelToken}' }
function Get-CimInstance { return [pscustomobject]@{ Name = 'Cloudflared'; PathName = '${pathName}' } }
function Invoke-NovaNative([string]$FilePath, [string[]]$Arguments, [switch]$HideOutput) { $global:Calls.Add('native ' + $Arguments[0] + ' ' + $Arguments[1]); return '' }
function Write-NovaTokenFile([string]$Token) { $global:Calls.Add('write token file') }
function Get-NovaTokenFileHash { return 'old' }
function Remove-NovaEventLogKey { }`;
const OURS = "\"C:\\Program Files\\nova-infra\\cloudflared\\cloudflared.exe\" tunnel run --token-file C:\\ProgramData\\cloudflared\\token";

describePwsh("5. the tunnel token and the connector", () => {
    const rotated = (() => {
        return run(stepProgram(create("cloudflared"), TUNNEL(OURS), ["token"], ENV));
    })();
    it("a new token is rotated by rewriting the token file and restarting, without uninstalling the service", () => {
        const r = rotated();
        expect(r.stderr).toBe("");
        expect(calls(r.stdout)).toEqual(["write token file", "stop Cloudflared", "start Cloudflared"]);
        expect(stepJson(r.stdout).changed).toEqual(["token"]);
        expect(r.stdout).not.toContain(FAKE_SECRETS.tunnelToken);
    });

    const reinstall = (() => {
        // The guide's service: the uninstall leaves it marked for deletion (a handle is open).
        const standIns = `${TUNNEL("C:\\Program Files\\cloudflared\\cloudflared.exe")}\nfunction Test-Path { return $true }`;
        return run(stepProgram(create("cloudflared"), standIns, ["image-path"], ENV));
    })();
    it("a reinstall waits, bounded, for a service marked for deletion and then says what holds it", () => {
        const r = reinstall();
        expect(r.status).toBe(1);
        expect(r.stderr.trim()).toBe(
            "service Cloudflared is marked for deletion and still exists after 60 s: close what holds it open (services.msc, Event Viewer, Task Manager) or reboot, then run again",
        );
        const log = calls(r.stdout);
        expect(log.slice(0, 2)).toEqual(["stop Cloudflared", "native service uninstall"]);
        expect(log.filter((c) => c === "sleep 1")).toHaveLength(60);
        expect(log).not.toContain("native service install");
    });

    const replaceFails = (() => {
        const standIns = String.raw`${TUNNEL(OURS)}
function Save-NovaVerifiedDownload { }
function Get-NovaFileHash { return 'old' }
function Install-NovaFile { throw 'The process cannot access the file because it is being used by another process.' }`;
        return run(stepProgram(create("tools"), standIns, ["cloudflared"], ENV));
    })();
    it("the tools step starts cloudflared again when replacing its exe fails", () => {
        const r = replaceFails();
        expect(r.status).toBe(1);
        expect(r.stderr.trim()).toBe("The process cannot access the file because it is being used by another process.");
        expect(calls(r.stdout)).toEqual(["stop Cloudflared", "start Cloudflared"]);
    });
});

describePwsh("6. failure messages", () => {
    it("carry no CLIXML warning stream: stderr holds the one-line message only", () => {
        // Stop-Service warns "Waiting for service ... to stop" before the replacement fails.
        const standIns = String.raw`${TUNNEL(OURS)}
function Save-NovaVerifiedDownload { }
function Get-NovaFileHash { return 'old' }
function Install-NovaFile { throw 'The process cannot access the file because it is being used by another process.' }`;
        const r = runPwsh(LOADER_TEXT, hostStdin(stepProgram(create("tools"), standIns, ["cloudflared"], ENV)));
        expect(r.status).toBe(1);
        expect(r.stderr).toBe("The process cannot access the file because it is being used by another process.\n");
        expect(r.stdout).toBe("");
    });
});
