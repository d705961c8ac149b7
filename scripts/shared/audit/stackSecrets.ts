/**
 * The decrypted configuration of a stack, for the checks that need secrets (host credentials, the
 * app's secret environment, the tunnel token). A real run asks the Pulumi CLI:
 * `pulumi config --show-secrets --json` and, for the tunnel token (an output of the tunnel component,
 * not a config key), `pulumi stack export --show-secrets`. The parsing is pure and tested; the CLI
 * call is one small function the command takes as a dependency.
 */
import { execFile } from "node:child_process";

export interface StackSecrets {
    /** Full key (`nova:hosts`) to raw string value, secrets decrypted. */
    readonly values: Readonly<Record<string, string>>;
    /** The tunnel connector token from the stack's state, when the stack has one. */
    readonly tunnelToken?: string;
}

export type StackSecretsReader = (stack: string, rootDir: string) => Promise<StackSecrets>;

/**
 * Every secret value of the stack (the app's secret environment, the tunnel token, the API token, the
 * hosts' credentials), to mask in whatever a host or an API answers.
 */
export function stackSecretValues(secrets: StackSecrets, hosts: readonly { readonly credentialKey: string }[]): string[] {
    let app: Record<string, unknown> = {};
    try {
        app = JSON.parse(secrets.values["nova:appSecretEnv"] ?? "{}") as Record<string, unknown>;
    } catch {
        app = {};
    }
    const creds = hosts.map((h) => secrets.values[`nova:${h.credentialKey}`]);
    return [...Object.values(app), secrets.tunnelToken, secrets.values["cloudflare:apiToken"], ...creds].filter((v): v is string => typeof v === "string" && v.length > 0);
}

/** A check could not be made (missing tool, unreachable host, ...): the message says why, plainly. */
export class CannotCheckError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "CannotCheckError";
    }
}

/** `pulumi config --json` output → full key to raw string, the way a program receives it. */
export function configValuesFromJson(text: string): Record<string, string> {
    const doc = JSON.parse(text) as Record<string, { value?: unknown; objectValue?: unknown }>;
    if (!doc || typeof doc !== "object" || Array.isArray(doc)) throw new Error("pulumi config --json: expected an object");
    const values: Record<string, string> = {};
    for (const [key, entry] of Object.entries(doc)) {
        const v = entry?.value ?? entry?.objectValue;
        if (v === undefined || v === null) continue;
        values[key] = typeof v === "string" ? v : JSON.stringify(v);
    }
    return values;
}

const SIG = "4dabf18193072939515e22adb298388d";

/** A state value as plain text: `--show-secrets` exports secrets as `{<sig>, plaintext: "<json>"}`. */
function plain(value: unknown): unknown {
    if (value && typeof value === "object" && SIG in (value as object)) {
        const text = (value as { plaintext?: unknown }).plaintext;
        return typeof text === "string" ? JSON.parse(text) : undefined;
    }
    return value;
}

/** The tunnel token from `pulumi stack export --show-secrets` output (the NovaTunnel component's `token`). */
export function tunnelTokenFromExport(text: string): string | undefined {
    const doc = JSON.parse(text) as { deployment?: { resources?: { type?: string; outputs?: Record<string, unknown> }[] } };
    for (const r of doc.deployment?.resources ?? []) {
        if (r.type !== "nova:tunnel:NovaTunnel") continue;
        const token = plain(r.outputs?.token);
        if (typeof token === "string" && token.length > 0) return token;
    }
    return undefined;
}

/** Runs the Pulumi CLI; rejects with CannotCheckError when it is missing or fails. */
export function runPulumiCli(args: readonly string[], cwd: string, timeoutMs = 120_000): Promise<string> {
    return new Promise((resolve, reject) => {
        execFile("pulumi", [...args], { cwd, timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024, env: { ...process.env, PULUMI_SKIP_UPDATE_CHECK: "true" } }, (err, stdout, stderr) => {
            if (err && (err as NodeJS.ErrnoException).code === "ENOENT") {
                reject(new CannotCheckError("the Pulumi CLI is not installed (no `pulumi` on PATH)"));
            } else if (err) {
                // stderr of `pulumi config` never holds values; the command line holds none either.
                reject(new CannotCheckError(`pulumi ${args[0]} failed: ${String(stderr).trim() || err.message}`));
            } else {
                resolve(String(stdout));
            }
        });
    });
}

/** The real reader: decrypted config and the tunnel token through the Pulumi CLI. */
export async function readStackSecretsWithCli(stack: string, rootDir: string): Promise<StackSecrets> {
    const values = configValuesFromJson(await runPulumiCli(["config", "--show-secrets", "--json", "--stack", stack], rootDir));
    const tunnelToken = tunnelTokenFromExport(await runPulumiCli(["stack", "export", "--show-secrets", "--stack", stack], rootDir));
    return tunnelToken === undefined ? { values } : { values, tunnelToken };
}
