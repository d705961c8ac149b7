/**
 * The host half of drift detection: for each host, the audit script of every step (the same renderers
 * that produce the create scripts), the stdin document carrying it with only the secrets that step reads
 * (and the same for its create script, which a repair runs), and the parsing of the one JSON line an
 * audit prints.
 */
import { hostStdin } from "../../../components/host/bootstrap";
import { healthStdin, secretsDocument, stepSecretKeys, stepStdin, type StepSecretValues } from "../../../components/host/commands";
import { boundScripts } from "../../../components/host/stepBound";
import type { CloudflareRanges } from "../../../components/host/steps/firewall";
import { renderHostSteps, type StepName } from "../../../components/host/steps";
import { validateStack, zoneStacksDir } from "../../../components/config";
import type { HostConfig, NovaConfig } from "../../../components/types";
import type { RemoteTarget } from "../remote/types";

/** Secret values the scripts compare against (never printed: those items show `(hidden)`). */
export type AuditSecrets = StepSecretValues;

/**
 * The secrets document of one step, exactly as `pulumi up` sends it (components/host/commands.ts):
 * only the entries its scripts read (create and audit read the same ones), in sorted order; undefined
 * when it reads none, or when a value is missing (the script then says which secret was not supplied).
 */
export function stepSecrets(step: StepName, cfg: NovaConfig, secrets: AuditSecrets): Record<string, string> | undefined {
    const keys = stepSecretKeys(step, cfg);
    if (keys.length === 0) return undefined;
    try {
        return secretsDocument(keys, secrets);
    } catch {
        return undefined;
    }
}

export interface AuditJob {
    readonly host: HostConfig;
    readonly step: StepName;
    /** The stdin document of the audit for `bootstrapCommand()`. */
    readonly stdin: string;
    /** The stdin document of the step's create script with the same secrets (run by a repair only). */
    readonly createStdin: string;
    /** The secret values in both documents, to mask in any text shown from the host. */
    readonly secretValues: readonly string[];
}

/** Every audit to run for `cfg`, host by host, steps in run order. */
export function auditJobs(cfg: NovaConfig, cloudflare: CloudflareRanges, secrets: AuditSecrets): AuditJob[] {
    // A detached host is given up (nova:hosts[].detached): the program no longer manages it.
    return cfg.hosts.filter((host) => host.detached !== true).flatMap((host) => {
        // The health step's create stdin carries the digest of the earlier steps' (healthStdin).
        const earlier: string[] = [];
        return renderHostSteps(cfg, host, { cloudflare }).map((s) => {
            const doc = stepSecrets(s.name, cfg, secrets);
            // What `pulumi up` sends (components/windowsHostService.ts): the create with its bound line, the delete after it.
            const scripts = boundScripts(s.scripts, { host: host.name, step: s.name, seconds: cfg.stepTimeoutSeconds });
            const createStdin = s.name === "health" ? healthStdin(scripts, earlier) : stepStdin(scripts, doc);
            earlier.push(createStdin);
            return {
                host,
                step: s.name,
                stdin: hostStdin(s.scripts.audit, doc),
                createStdin,
                secretValues: Object.values(doc ?? {}).filter((v) => v.length > 0),
            };
        });
    });
}

/** `text` with every secret value replaced by `[secret]` (error text from a host may quote a value). */
export function maskSecrets(text: string, secretValues: readonly string[]): string {
    return [...secretValues].sort((a, b) => b.length - a.length).reduce((t, v) => t.split(v).join("[secret]"), text);
}

export interface AuditItem {
    readonly item: string;
    readonly desired: string;
    readonly actual: string;
    readonly ok: boolean;
}

const asText = (v: unknown): string => (v === null || v === undefined ? "" : typeof v === "string" ? v : JSON.stringify(v));

/**
 * The items of an audit's output: the last line that is a JSON object for `step`. Throws when there is
 * none or it is malformed (the audit did not run to its end).
 */
export function parseAuditOutput(step: string, stdout: string): AuditItem[] {
    const lines = stdout.split(/\r?\n/).map((l) => l.trim()).filter((l) => l.startsWith("{"));
    for (const line of lines.reverse()) {
        let doc: unknown;
        try {
            doc = JSON.parse(line);
        } catch {
            continue;
        }
        const d = doc as { step?: unknown; items?: unknown };
        if (d.step !== step) continue;
        // ConvertTo-Json renders a one-element array as the element itself in some PowerShell versions.
        const items = Array.isArray(d.items) ? d.items : d.items && typeof d.items === "object" ? [d.items] : null;
        if (items === null) throw new Error(`audit ${step}: "items" is not a list`);
        return items.map((raw, i) => {
            const it = raw as Record<string, unknown>;
            if (typeof it.item !== "string" || typeof it.ok !== "boolean") throw new Error(`audit ${step}: item ${i} lacks "item" or "ok"`);
            return { item: it.item, desired: asText(it.desired), actual: asText(it.actual), ok: it.ok };
        });
    }
    throw new Error(`audit ${step}: no result line in the output`);
}

/** Where and how to connect to `host`, with its credential (private key or password). */
export function remoteTarget(host: HostConfig, credential: string, readFile: (path: string) => string): RemoteTarget {
    if (host.transport === "ssh") {
        if (host.hostKey === undefined) throw new Error(`host ${host.name}: no hostKey configured`);
        return { transport: "ssh", host: host.address, port: host.port, user: host.user, hostKey: host.hostKey, privateKey: credential };
    }
    return {
        transport: "winrm",
        host: host.address,
        port: host.port,
        user: host.user,
        password: credential,
        allowHttp: host.winrmAllowHttp,
        auth: host.winrmAuth ?? "negotiate",
        ...(host.winrmCaFile !== undefined ? { caPem: readFile(host.winrmCaFile) } : {}),
    };
}

/**
 * The validated configuration of a stack from its stack-file values and its decrypted ones, with the raw
 * reader the audits take their secrets and credentials from. `root`: the directory of its stack file,
 * whose other stack files it is checked against (zone ownership).
 */
export function decryptedStack(
    stack: string,
    values: Readonly<Record<string, string>>,
    secretValues: Readonly<Record<string, string>>,
    root: string,
): { cfg: NovaConfig; raw: (key: string) => string | undefined } {
    const merged = { ...values, ...secretValues };
    const raw = (key: string): string | undefined => merged[`nova:${key}`];
    return { cfg: validateStack(raw, stack, undefined, zoneStacksDir(root)), raw };
}

/**
 * The audit jobs of a stack and how to reach each host, from its validated configuration and its raw
 * (decrypted) values: the app's secret environment and each host's credential are read from `raw`.
 */
export function stackAudits(
    cfg: NovaConfig,
    raw: (key: string) => string | undefined,
    cloudflare: CloudflareRanges,
    tunnelToken: string | undefined,
    readFile: (path: string) => string,
): { jobs: AuditJob[]; targetFor: (host: HostConfig) => RemoteTarget } {
    const appSecretEnv = JSON.parse(raw("appSecretEnv") ?? "{}") as Record<string, string>;
    const jobs = auditJobs(cfg, cloudflare, {
        appSecretEnv: Object.fromEntries(cfg.appSecretEnvKeys.map((k) => [k, appSecretEnv[k] ?? ""])),
        ...(tunnelToken !== undefined ? { tunnelToken } : {}),
    });
    return { jobs, targetFor: (h) => remoteTarget(h, raw(h.credentialKey) ?? "", readFile) };
}
