/** Shared by the tests of windowsHostService*.test.ts: their fixtures and helpers. */
import { beforeAll } from "vitest";
import { splitStdin, stdinDocument } from "../../components/host/bootstrap";
import { renderHostStep } from "../../components/host/steps";
import { boundScripts } from "../../components/host/stepBound";
import type { StepName } from "../../components/host/steps";
import type { HostConfig } from "../../components/types";
import { CLOUDFLARE_IP_RANGES_SNAPSHOT, OFFLINE_TUNNEL_TOKEN } from "../../scripts/shared/planning/offlineFixtures";
import type { RecordedResource } from "../../scripts/shared/planning/mockRuntime";
import type { Plan } from "../../scripts/shared/planning/plan";
import { one } from "../support/harness";
import { isSecretWire, revealWire } from "../../scripts/shared/planning/redact";
import { initPowerShellParser } from "../support/powershellParse";

beforeAll(initPowerShellParser);

export const REMOTE = "command:remote:Command";
export const LOCAL = "command:local:Command";
export const COMPONENT = "nova:host:WindowsHostService";

export const SSH_KEY = "fake-openssh-private-key:hostsvc-ssh-key-Q7zX";
export const WINRM_PASSWORD = "hostsvc-winrm-Pa55-Q7zX";
export const ANTHROPIC = "hostsvc-anthropic-Q7zX";
export const OPENAI = "hostsvc-openai-Q7zX";
export const SECRETS = {
    "nova:sshPrivateKey": SSH_KEY,
    "nova:winrmPassword": WINRM_PASSWORD,
    "nova:appSecretEnv": JSON.stringify({ ANTHROPIC_API_KEY: ANTHROPIC, OPENAI_API_KEY: OPENAI }),
};
export const CLEAR = [SSH_KEY, "hostsvc-ssh-key-Q7zX", WINRM_PASSWORD, ANTHROPIC, OPENAI, OFFLINE_TUNNEL_TOKEN];
export const SNAPSHOT = { ipv4: [...CLOUDFLARE_IP_RANGES_SNAPSHOT.ipv4Cidrs], ipv6: [...CLOUDFLARE_IP_RANGES_SNAPSHOT.ipv6Cidrs] };

export const TUNNEL_STEPS: StepName[] = ["preflight", "tools", "dotenv", "service", "cloudflared", "firewall", "health"];
export const DIRECT_STEPS: StepName[] = ["preflight", "tools", "dotenv", "certificate-request", "certificate", "service", "firewall", "health"];
export const WITH_DELETE: StepName[] = ["preflight", "tools", "dotenv", "certificate-request", "service", "cloudflared", "firewall"];
/** The health step's stdin ends with a digest of the earlier steps' stdin. */
export const DIGEST_LINE = /# after earlier steps [0-9a-f]{64}\n$/;

export const isSecret = isSecretWire;
export const reveal = revealWire;
/** The wire value with every secret-marked part removed, and every plain `stdin` unpacked (so a scan reads the scripts). */
export function withoutSecrets(v: unknown): unknown {
    if (isSecret(v)) return "(secret)";
    if (Array.isArray(v)) return v.map(withoutSecrets);
    if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, k === "stdin" && typeof x === "string" ? stdinDocument(x) : withoutSecrets(x)]));
    return v;
}
export function commands(p: Plan): RecordedResource[] {
    return p.run.resources.filter((r) => r.type === REMOTE || r.type === LOCAL);
}
export function stepsOf(p: Plan, host: string): RecordedResource[] {
    const parent = one(p, COMPONENT, host).urn;
    return commands(p).filter((r) => r.parent === parent);
}
export function hostOf(p: Plan, name: string): HostConfig {
    const host = p.config.hosts.find((h) => h.name === name);
    if (!host) throw new Error(`no host ${name}`);
    return host;
}
/** The step's scripts as its command carries them: the create bounded by nova:stepTimeoutSeconds on the host. */
export function scriptsOf(p: Plan, host: string, step: StepName) {
    return boundScripts(renderHostStep(step, p.config, hostOf(p, host), { cloudflare: SNAPSHOT }), { host, step, seconds: p.config.stepTimeoutSeconds });
}
/** The create script of a stdin document. */
export function scriptOfStdin(stdin: string): string {
    return splitStdin(stdin).create.replace(DIGEST_LINE, "");
}
