/**
 * Runs the registered policies on fake resource arguments, the way the engine calls them, and turns
 * the mock runtime's wire-form inputs into what @pulumi/policy hands a validation (secrets unwrapped).
 */
import type {
    PolicyResource,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationArgs,
    StackValidationPolicy,
} from "@pulumi/policy";
import { bootstrapCommand, buildStdin, deleteBootstrapCommand } from "../../components/host/bootstrap";
import { renderHostStep } from "../../components/host/steps";
import type { CloudflareRanges } from "../../components/host/steps/firewall";
import type { NovaConfig } from "../../components/types";
import { policies } from "../../policy/policies";
import { CLOUDFLARE_IP_RANGES_SNAPSHOT } from "../../scripts/shared/planning/offlineFixtures";
import { sshHost } from "../support/fixtures/configs";

const SIG = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
const RESOURCE_SIG = "5cf8f73096256a8f31e491e813e4eb8e";
const UNKNOWN_VALUE = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** Wire form → policy view: secrets become their plaintext (as @pulumi/policy presents them). */
export function policyView(value: unknown, path = ""): unknown {
    if (value === UNKNOWN_VALUE) throw new Error(`unknown value at ${path || "."}`);
    if (Array.isArray(value)) return value.map((v, i) => policyView(v, `${path}[${i}]`));
    if (value && typeof value === "object") {
        const obj = value as Record<string, unknown>;
        if (obj[SIG] === SECRET_SIG) return policyView(obj.value, path);
        if (obj[SIG] === RESOURCE_SIG) return obj.urn;
        return Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, policyView(v, `${path}.${k}`)]));
    }
    return value;
}

export function policyNamed<T extends ResourceValidationPolicy | StackValidationPolicy>(name: string): T {
    const found = policies.find((p) => p.name === name);
    if (!found) throw new Error(`no policy ${name}`);
    return found as T;
}

const notUsed = (): never => {
    throw new Error("not used by these policies");
};

function fakeResource(type: string, props: Record<string, unknown>, name = "r"): PolicyResource {
    const urn = `urn:pulumi:test::nova::${type}::${name}`;
    return { type, props, urn, name, opts: { protect: false, ignoreChanges: [], aliases: [], customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 }, additionalSecretOutputs: [] }, dependencies: [], propertyDependencies: {}, isType: notUsed, asType: notUsed } as unknown as PolicyResource;
}

/** Messages a resource policy reports for one fake resource. */
export async function resourceViolations(name: string, type: string, props: Record<string, unknown>, config: Record<string, unknown> = {}): Promise<string[]> {
    const policy = policyNamed<ResourceValidationPolicy>(name);
    const out: string[] = [];
    const report: ReportViolation = (message) => out.push(message);
    const validate = policy.validateResource;
    const list = Array.isArray(validate) ? validate : [validate];
    const r = fakeResource(type, props);
    const args = { ...r, getConfig: () => config, notApplicable: notUsed } as unknown as ResourceValidationArgs;
    for (const v of list) if (v) await v(args, report);
    return out;
}

/** Messages (with urns) a stack policy reports for fake resources. */
export async function stackViolations(name: string, resources: { type: string; props: Record<string, unknown>; name?: string }[]): Promise<{ message: string; urn?: string }[]> {
    const policy = policyNamed<StackValidationPolicy>(name);
    const out: { message: string; urn?: string }[] = [];
    const args = { resources: resources.map((r, i) => fakeResource(r.type, r.props, r.name ?? `r${i}`)), getConfig: notUsed, notApplicable: notUsed } as unknown as StackValidationArgs;
    await policy.validateStack(args, (message, urn) => out.push({ message, urn }));
    return out;
}

const HOST_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFakeHostKeyForTests";
export const RANGES: CloudflareRanges = { ipv4: CLOUDFLARE_IP_RANGES_SNAPSHOT.ipv4Cidrs, ipv6: CLOUDFLARE_IP_RANGES_SNAPSHOT.ipv6Cidrs };

/** Props of a remote command that runs `script` the way the host steps do. */
export function command(script: string, extra: { secrets?: Record<string, string>; logging?: string; hostKey?: string | null; deleteScript?: string } = {}) {
    const connection: Record<string, unknown> = { host: "203.0.113.10", port: 22, user: "Administrator", privateKey: "PRIVATE" };
    if (extra.hostKey !== null) connection.hostKey = extra.hostKey ?? HOST_KEY;
    return {
        connection,
        create: bootstrapCommand(),
        ...(extra.deleteScript ? { delete: deleteBootstrapCommand() } : {}),
        stdin: buildStdin(script, extra.secrets, extra.deleteScript),
        ...(extra.logging ? { logging: extra.logging } : {}),
    };
}

/** One host step's scripts for `cfg` over ssh, with Cloudflare's recorded ranges. */
export const step = (name: Parameters<typeof renderHostStep>[0], cfg: NovaConfig, ranges = RANGES) => renderHostStep(name, cfg, sshHost, { cloudflare: ranges });
