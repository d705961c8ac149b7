/**
 * Prepares the PowerShell suites (test/ps/*.Tests.ps1): the fixture artefacts the host model serves
 * in place of the real downloads, and the generated host scripts of both stacks, rendered by the
 * program's own renderer with the tool pins set to the fixtures' SHA-256 (nssmSha256,
 * cloudflaredSha256) and the app on a free loopback port. Also the re-run variants: for each
 * exercised key, the scripts with the key changed and the steps docs/PERFORMANCE.md's table says re-run.
 * Writes `manifest.json` into the folder; the suites read it through $env:NOVA_PS_SUITE.
 * With NOVA_HOST_MODE=real (a Windows runner, docs/HOST-MODEL.md) there are no fixtures: the scripts keep
 * the program's tool pins (the real NSSM and cloudflared, downloaded by the steps themselves).
 */
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { join, resolve } from "node:path";
import { parseNovaConfig } from "../../components/config/parse";
import { stepSecretKeys } from "../../components/host/commands";
import { stepNames } from "../../components/host/steps";
import { BOOTSTRAP_TEXT, bootstrapCommand, SECRETS_SEPARATOR } from "../../components/host/bootstrap";
import { ORIGIN_CERTIFICATE_DOCUMENT_KEY } from "../../components/host/steps/certificate";
import { CLOUDFLARED_DEFAULT, NSSM_DEFAULT } from "../../components/host/toolPins";
import type { NovaConfig } from "../../components/types";
import { hostScriptArtefacts } from "../../scripts/plan/artefacts";
import { readStackFile, type StackConfig } from "../../components/config/stackFile";
import { withValues } from "../../scripts/shared/planning/stackVariants";

const ROOT = resolve(__dirname, "../..");
export const STACKS = ["prod", "staging"] as const;

/** The secret values the scenarios hand the steps (test values; never real keys). */
export const SCENARIO_SECRETS = {
    tunnelToken: "eyJhIjoidGVzdC10dW5uZWwtdG9rZW4tbm90LXJlYWwifQ",
    "env:ANTHROPIC_API_KEY": "sk-ant-test-0000-not-a-real-key",
    "env:OPENAI_API_KEY": "sk-test-1111-not-a-real-key",
} as const;

/**
 * Real mode's tunnel token: well-formed as cloudflared parses one (base64 JSON with the account tag `a`, the
 * tunnel id `t` and the secret `s`: cloudflared's connection.TunnelToken), for a tunnel that does not exist, so the
 * connector starts and only the edge refuses it (docs/HOST-MODEL.md, what real mode asserts for cloudflared).
 */
export const REAL_MODE_TUNNEL_TOKEN = Buffer.from(
    JSON.stringify({ a: "0".repeat(32), t: "00000000-0000-4000-8000-000000000000", s: Buffer.alloc(32).toString("base64") }),
).toString("base64");

/** A key change a scenario applies to a converged host: new values (full keys) and new secrets. */
interface RerunCase {
    readonly key: string;
    readonly values: (cfg: NovaConfig, ports: Ports) => Record<string, string>;
    readonly secrets?: Record<string, string>;
}

interface Ports {
    readonly base: number;
    readonly other: number;
}

const RERUN_CASES: readonly RerunCase[] = [
    { key: "appPort", values: (_c, p) => ({ "nova:appPort": String(p.other) }) },
    { key: "appEnv", values: (c) => ({ "nova:appEnv": JSON.stringify({ ...c.appEnv, FEATURE_FLAG: "on" }) }) },
    { key: "logDirectory", values: (c) => ({ "nova:logDirectory": `${c.service.appDirectory}\\logs-moved` }) },
    { key: "appSecretEnv", values: () => ({}), secrets: { "env:OPENAI_API_KEY": "sk-test-2222-rotated-not-real" } },
];

export interface ScriptFile {
    readonly step: string;
    readonly create: string;
    readonly delete?: string;
    readonly audit: string;
    /** Keys of the secrets document the step reads. */
    readonly secretKeys: readonly string[];
    /** Keys of the stdin document the program fills from another resource (the certificate step's issued certificate). */
    readonly documentKeys: readonly string[];
}

export interface SuiteVariant {
    readonly stack: string;
    readonly transport: string;
    readonly ingressMode: string;
    readonly serviceName: string;
    readonly appDirectory: string;
    readonly pythonExe: string;
    readonly entryPoint: string;
    readonly logDirectory: string;
    readonly appPort: number;
    /** nova:fixFolderAcls: preflight takes non-administrators' write access away from the app folders. */
    readonly fixFolderAcls: boolean;
    /** nova:removeGuideLeftovers: the guide's leftovers the steps only report otherwise are removed. */
    readonly removeGuideLeftovers: boolean;
    readonly steps: readonly ScriptFile[];
}

export interface SuiteManifest {
    /** NOVA_HOST_MODE: model (fixtures served by the host model) or real (the pinned downloads). */
    readonly mode: HostMode;
    readonly fixtures: Record<string, string>;
    readonly sha256: Record<string, string>;
    /** Download URLs of the pinned tools (served by the model from the fixtures). */
    readonly urls: Record<string, string>;
    readonly secrets: Record<string, string>;
    readonly variants: Record<string, SuiteVariant>;
    /** `<stack>:<key>` -> the variant with the key changed, the extra secrets and the steps the table re-runs. */
    readonly reruns: Record<string, { variant: string; secrets: Record<string, string>; stepsRerun: string[] }>;
    /**
     * How a server runs a script (components/host/bootstrap.ts): powershell.exe's arguments, the stdin separator,
     * and the runner a packed stdin starts with (stdin is base64 of the raw deflate of `runner NUL document`).
     */
    readonly bootstrap: { arguments: string; separator: string; runner: string };
}

export type HostMode = "model" | "real";

/** NOVA_HOST_MODE: model (the default) or real; any other value is an error naming what is accepted. */
export function hostMode(value = process.env.NOVA_HOST_MODE): HostMode {
    if (value === undefined || value === "" || value === "model" || value === "real") return value === "real" ? "real" : "model";
    throw new Error(`NOVA_HOST_MODE is '${value}': accepted values are model (the default) and real`);
}

/** A free TCP port on 127.0.0.1 (bound and released). */
export async function freePort(): Promise<number> {
    return new Promise((ok, fail) => {
        const s = createServer();
        s.once("error", fail);
        s.listen(0, "127.0.0.1", () => {
            const port = (s.address() as { port: number }).port;
            s.close(() => ok(port));
        });
    });
}

function sha256(file: string): string {
    return createHash("sha256").update(readFileSync(file)).digest("hex");
}

function configOf(stack: StackConfig): NovaConfig {
    return parseNovaConfig((key) => stack.values[`nova:${key}`], stack.stack);
}

function writeVariant(dir: string, name: string, cfg: NovaConfig): SuiteVariant {
    const host = cfg.hosts[0];
    const files = hostScriptArtefacts(cfg).filter((a) => a.path.startsWith(`hosts/${host.name}/`));
    for (const a of files) {
        const file = join(dir, name, a.path);
        mkdirSync(join(file, ".."), { recursive: true });
        writeFileSync(file, a.content);
    }
    const steps = stepNames(cfg).map((step, i) => {
        const base = join(dir, name, "hosts", host.name, `${String(i + 1).padStart(2, "0")}-${step}`);
        const hasDelete = files.some((f) => f.path.endsWith(`-${step}.delete.ps1`));
        return {
            step,
            create: `${base}.ps1`,
            audit: `${base}.audit.ps1`,
            ...(hasDelete ? { delete: `${base}.delete.ps1` } : {}),
            secretKeys: stepSecretKeys(step, cfg),
            documentKeys: step === "certificate" ? [ORIGIN_CERTIFICATE_DOCUMENT_KEY] : [],
        };
    });
    const svc = cfg.service;
    return {
        stack: cfg.stack, transport: host.transport, ingressMode: cfg.ingressMode, serviceName: svc.name, appDirectory: svc.appDirectory,
        pythonExe: svc.pythonExe, entryPoint: svc.entryPoint, logDirectory: svc.logDirectory, appPort: cfg.appPort, fixFolderAcls: svc.fixFolderAcls,
        removeGuideLeftovers: cfg.removeGuideLeftovers, steps,
    };
}

/**
 * The steps docs/PERFORMANCE.md's generated table says re-run when `key` changes on `stack`
 * (the "steps re-run" column, host prefix removed); undefined when the row is n/a.
 */
export function tableStepsRerun(stack: string, key: string, doc = readFileSync(join(ROOT, "docs/PERFORMANCE.md"), "utf8")): string[] | undefined {
    const section = doc.split(/^### /m).find((s) => s.startsWith(`${stack}\n`));
    if (!section) throw new Error(`docs/PERFORMANCE.md has no rerun table for ${stack}`);
    const row = section.split("\n").find((l) => l.startsWith(`| \`${key}\``));
    if (!row) throw new Error(`docs/PERFORMANCE.md: no row for ${key} in ${stack}`);
    const cells = row.split("|").map((c) => c.trim());
    if (cells[2].startsWith("n/a")) return undefined;
    return cells[4] === "—" ? [] : [...cells[4].matchAll(/`([^`]+)`/g)].map((m) => m[1].replace(/^[^-]+-/, ""));
}

/** The fixture artefacts the host model serves in place of the downloads, and their SHA-256. */
function makeFixtures(dir: string): { fixtures: Record<string, string>; hashes: Record<string, string> } {
    mkdirSync(join(dir, "fixtures"), { recursive: true });
    execFileSync("python3", [join(__dirname, "model/natives/make_fixtures.py"), join(dir, "fixtures")]);
    const fixtures = {
        nssmZip: join(dir, "fixtures/nssm-2.24-101-g897c7ad.zip"),
        cloudflaredExe: join(dir, "fixtures/cloudflared-windows-amd64-2026.9.3.exe"),
        guideNssm: join(dir, "fixtures/guide-nssm-2.24.exe"),
        guideCloudflared: join(dir, "fixtures/guide-cloudflared-2025.8.0.exe"),
    };
    return { fixtures, hashes: Object.fromEntries(Object.entries(fixtures).map(([k, f]) => [k, sha256(f)])) };
}

export async function preparePsSuite(dir: string, mode: HostMode = hostMode()): Promise<SuiteManifest> {
    mkdirSync(dir, { recursive: true });
    const { fixtures, hashes } = mode === "model" ? makeFixtures(dir) : { fixtures: {}, hashes: {} as Record<string, string> };
    // real mode: the program's own pins of NSSM and cloudflared (components/host/toolPins.ts)
    const pins: Record<string, string> = mode === "model" ? { "nova:nssmSha256": hashes.nssmZip } : {};
    const ports = { base: await freePort(), other: await freePort() };
    const variants: Record<string, SuiteVariant> = {};
    const reruns: SuiteManifest["reruns"] = {};
    for (const stackName of STACKS) {
        const stack = withValues(readStackFile(stackName, ROOT), {
            "nova:appPort": String(ports.base),
            // the health step polls this long before it fails: short in the model, so a failing-health scenario
            // is quick; on a runner the real app's start (Python, FastAPI imports) takes seconds
            "nova:healthTimeoutSeconds": mode === "model" ? "5" : "60",
            ...pins,
            ...(stackName === "prod" && mode === "model" ? { "nova:cloudflaredSha256": hashes.cloudflaredExe } : {}),
        });
        const cfg = configOf(stack);
        variants[stackName] = writeVariant(dir, stackName, cfg);
        for (const c of RERUN_CASES) {
            const stepsRerun = tableStepsRerun(stackName, c.key);
            if (stepsRerun === undefined) continue;
            const name = `${stackName}-${c.key}`;
            variants[name] = writeVariant(dir, name, configOf(withValues(stack, c.values(cfg, ports))));
            reruns[`${stackName}:${c.key}`] = { variant: name, secrets: c.secrets ?? {}, stepsRerun };
        }
    }
    const bootstrap = { arguments: bootstrapCommand().replace(/^powershell\.exe /, ""), separator: SECRETS_SEPARATOR, runner: BOOTSTRAP_TEXT };
    const manifest: SuiteManifest = { mode, bootstrap, fixtures, sha256: hashes, urls: { nssm: NSSM_DEFAULT.url, cloudflared: CLOUDFLARED_DEFAULT.url }, secrets: { ...SCENARIO_SECRETS, ...(mode === "real" ? { tunnelToken: REAL_MODE_TUNNEL_TOKEN } : {}) }, variants, reruns };
    writeFileSync(join(dir, "manifest.json"), `${JSON.stringify(manifest, null, 2)}\n`);
    return manifest;
}

if (require.main === module) {
    const out = resolve(process.argv[2] ?? join(ROOT, ".tools/ps-suite"));
    preparePsSuite(out).then(() => process.stdout.write(`${out}\n`), (e: Error) => {
        process.stderr.write(`${e.message}\n`);
        process.exit(1);
    });
}
