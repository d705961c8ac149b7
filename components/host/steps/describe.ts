/**
 * One line per host step saying what it does on the host, for people reading the offline plan. Read
 * from the same data the step renderers use (the configuration, the NSSM parameters, the managed
 * `.env` keys, the firewall rule name, the health URL), so the line and the script cannot disagree.
 */
import type { HostConfig, NovaConfig } from "../../types";
import { dotenvPath, entryPointPath, stderrLogPath } from "../paths";
import { MIN_WINDOWS_BUILD } from "./preflight";
import { MANAGED_KEYS } from "./dotenv";
import { CloudflareRanges, firewallGroup, firewallRuleName } from "./firewall";
import { healthUrl } from "./health";
import { tlsPaths } from "./certificate";
import type { HostStepInputs, StepName } from "./index";
import { nssmParameters } from "./service";

/** `path` relative to `dir` when inside it (`.venv\Scripts\python.exe`), else as is. */
function under(dir: string, path: string): string {
    const prefix = dir.endsWith("\\") ? dir : `${dir}\\`;
    return path.toLowerCase().startsWith(prefix.toLowerCase()) ? path.slice(prefix.length) : path;
}

function nssmParameter(cfg: NovaConfig, name: string): string {
    const found = nssmParameters(cfg).find(([n]) => n === name);
    if (!found) throw new Error(`no NSSM parameter ${name}`);
    return found[1];
}

function count(n: number, one: string, many = `${one}s`): string {
    return `${n} ${n === 1 ? one : many}`;
}

function rangeCount(ranges: CloudflareRanges): string {
    const n = ranges.ipv4.length + ranges.ipv6.length;
    return n > 0 ? ` (${n})` : "";
}

const DESCRIBE: { readonly [S in StepName]: (cfg: NovaConfig, host: HostConfig, inputs: HostStepInputs) => string } = {
    preflight: (cfg) => {
        const svc = cfg.service;
        const files = [under(svc.appDirectory, svc.pythonExe), under(svc.appDirectory, entryPointPath(svc))].join(", ");
        return `checks Windows build >= ${MIN_WINDOWS_BUILD}, ${svc.appDirectory} with ${files}, port ${cfg.appPort} free or held by ${svc.name}; changes nothing`;
    },
    tools: (cfg) => {
        const tools = [`NSSM ${cfg.tools.nssm.version}`, ...(cfg.ingressMode === "tunnel" ? [`cloudflared ${cfg.tools.cloudflared.version}`] : [])];
        return `${tools.join(" and ")} under %ProgramFiles%\\nova-infra, downloaded only when the installed file differs, SHA-256 verified before use`;
    },
    dotenv: (cfg) => {
        const extra = Object.keys(cfg.appEnv).length;
        return `${[...MANAGED_KEYS].join(", ")}${extra > 0 ? ` and ${count(extra, "nova:appEnv key")}` : ""} in ${dotenvPath(cfg.service)}, other lines kept, backup before a change, readable by SYSTEM and Administrators only`;
    },
    service: (cfg) => {
        const s = cfg.service;
        const rotateMb = Number(nssmParameter(cfg, "AppRotateBytes")) / (1024 * 1024);
        const restartS = Number(nssmParameter(cfg, "AppRestartDelay")) / 1000;
        const secrets = cfg.appSecretEnvKeys.length;
        return [
            `${s.name} via NSSM ${cfg.tools.nssm.version}`,
            cfg.ingressMode === "direct"
                ? `${under(s.appDirectory, s.pythonExe)} -m uvicorn ${s.appModule} over TLS on port ${cfg.appPort} in ${s.appDirectory}`
                : `${under(s.appDirectory, s.pythonExe)} ${s.entryPoint} in ${s.appDirectory}`,
            `automatic start, restarted ${restartS} s after an exit`,
            `logs in ${s.logDirectory} rotated at ${rotateMb} MB`,
            secrets > 0 ? `${count(secrets, "secret variable")} (${[...cfg.appSecretEnvKeys].sort().join(", ")})` : "no secret variables",
        ].join(", ");
    },
    cloudflared: (cfg) => `tunnel connector service Cloudflared (cloudflared ${cfg.tools.cloudflared.version}) installed with the tunnel token (secret, sent on stdin, compared as a hash), kept running`,
    firewall: (cfg, _host, inputs) =>
        cfg.ingressMode === "direct"
            ? `inbound TCP ${cfg.appPort} from Cloudflare's IP ranges${rangeCount(inputs.cloudflare)} only, rule ${firewallRuleName(cfg)}; other rules of group "${firewallGroup(cfg)}" removed; the guide's rules on the port disabled`
            : `no inbound rule (tunnel mode: outbound only); any rule of group "${firewallGroup(cfg)}" removed; the guide's rules on the port disabled`,
    "certificate-request": (cfg) =>
        `P-256 key and certificate request in ${tlsPaths(cfg.service).directory} (the key never leaves the host; SYSTEM and Administrators only), a new pair each renewal period`,
    certificate: (cfg) =>
        `the Cloudflare Origin CA certificate (${cfg.originTls.certificateDays} days) for ${cfg.hostname} in ${tlsPaths(cfg.service).certificate}` +
        (cfg.originTls.aop ? `, and Cloudflare's origin-pull CA in ${tlsPaths(cfg.service).originPullCa} (Authenticated Origin Pulls)` : ""),
    health: (cfg) => `waits up to ${cfg.healthTimeoutSeconds} s for ${healthUrl(cfg)} to answer 200, after any change of an earlier step; else fails naming the service's state and ${stderrLogPath(cfg.service)}`,
};

/** `<step>: <what it does on the host>`. */
export function describeHostStep(name: StepName, cfg: NovaConfig, host: HostConfig, inputs: HostStepInputs): string {
    if (host.detached) return `${name}: runs nothing (the host is detached)`;
    return `${name}: ${DESCRIBE[name](cfg, host, inputs)}`;
}

/** How the host is reached: `PPZ@192.0.2.10:22 over ssh`. */
export function describeHost(host: HostConfig): string {
    const https = host.transport === "winrm" ? (host.winrmAllowHttp ? " (HTTP)" : " (HTTPS)") : "";
    return `${host.user}@${host.address}:${host.port} over ${host.transport}${https}${host.detached ? ", detached: its steps run nothing" : ""}`;
}
