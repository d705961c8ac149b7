/**
 * A detached host (`nova:hosts[].detached: true`): the way forward when a host cannot be reached. Its
 * step commands keep their names, types and order (so the state matches) but carry no create, update,
 * delete or stdin: @pulumi/command's Update runs `update`, else `create`, only when set, and its Delete
 * runs `delete` only when set (provider/pkg/provider/remote/commandController.go), so `pulumi up` and
 * `pulumi destroy` complete without dialling the host.
 */
import { describe, expect, it } from "vitest";
import { NovaConfigError } from "../../components/config/parse";
import type { RecordedResource } from "../../scripts/shared/planning/mockRuntime";
import type { Plan } from "../../scripts/shared/planning/plan";
import { revealWire } from "../../scripts/shared/planning/redact";
import { REAL_ACCOUNT_ID } from "../support/fixtures/siteValues";
import { one, plan, runRaw, stackWith } from "../support/harness";

const SECRETS = { "nova:sshPrivateKey": "fake-key-detached-Z9", "nova:winrmPassword": "fake-password-detached-Z9", "nova:appSecretEnv": '{"ANTHROPIC_API_KEY":"a-Z9","OPENAI_API_KEY":"o-Z9"}' };
const PROD_HOST = { name: "rondot", address: "192.0.2.10", transport: "ssh", user: "PPZ", hostKey: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIReplaceWithTheKeyFromSshKeyscanOfTheServer" };
const STAGING_HOST = { name: "staging", address: "198.51.100.20", transport: "winrm", user: "Administrator" };

function children(p: Plan, host: string): RecordedResource[] {
    const parent = one(p, "nova:host:WindowsHostService", host).urn;
    return p.run.resources.filter((r) => r.parent === parent);
}

/** The host's step commands, in registration order. */
function steps(p: Plan, host: string): RecordedResource[] {
    return children(p, host).filter((r) => r.type.startsWith("command:"));
}

/** The host's children that are not step commands. */
function others(p: Plan, host: string): string[] {
    return children(p, host)
        .filter((r) => !r.type.startsWith("command:"))
        .map((r) => `${r.type}::${r.name}`);
}

describe("a detached host", () => {
    it.each([
        ["prod", PROD_HOST, "command:remote:Command"],
        ["staging", STAGING_HOST, "command:local:Command"],
    ] as const)("%s: keeps every step's name, type and order, with nothing to run", async (stack, host, type) => {
        const attached = await plan(stack, { "nova:hosts": JSON.stringify([host]) }, SECRETS);
        const detached = await plan(stack, { "nova:hosts": JSON.stringify([{ ...host, detached: true }]) }, SECRETS);
        const before = steps(attached, host.name);
        const after = steps(detached, host.name);
        expect(after.map((r) => [r.type, r.urn])).toEqual(before.map((r) => [r.type, r.urn]));
        expect(after.every((r) => r.type === type)).toBe(true);
        for (const r of before) expect(Object.keys(r.inputs)).toEqual(expect.arrayContaining(["create", "update", "stdin"]));
        for (const r of after) {
            const { connection, environment, ...rest } = r.inputs;
            expect(rest).toEqual({ addPreviousOutputInEnv: false, logging: "stdout" });
            // The connection stays (the provider requires it) and stays secret.
            if (type === "command:remote:Command") expect(revealWire<{ host: string }>(connection).host).toBe(host.address);
            else expect((environment as Record<string, unknown>).NOVA_WINRM_HOST).toBe(host.address);
        }
        // Outputs stay secret and the steps stay ordered, as for any host.
        expect(after.map((r) => r.additionalSecretOutputs?.slice(0, 2))).toEqual(after.map(() => ["stdout", "stderr"]));
        expect(after.slice(1).map((r, i) => r.dependencies.includes(after[i].urn))).toEqual(after.slice(1).map(() => true));
        // It prints no CSR, so it gets no new Origin CA certificate (direct mode's only other child).
        const certificate = stack === "staging" ? [`cloudflare:index/originCaCertificate:OriginCaCertificate::${host.name}-origin-certificate`] : [];
        expect(others(attached, host.name)).toEqual(certificate);
        expect(others(detached, host.name)).toEqual([]);
    });

    it("leaves the other hosts as they are", async () => {
        const other = { ...PROD_HOST, name: "other", address: "192.0.2.11" };
        const p = await plan("prod", { "nova:hosts": JSON.stringify([{ ...PROD_HOST, detached: true }, other]) }, SECRETS);
        expect(steps(p, "rondot").every((r) => r.inputs.create === undefined)).toBe(true);
        expect(steps(p, "other").every((r) => typeof r.inputs.create === "string")).toBe(true);
    });

    it("is a boolean: anything else fails before any resource is registered, naming the key", async () => {
        const { error, resources } = await runRaw(stackWith("prod", { "nova:accountId": REAL_ACCOUNT_ID, "nova:hosts": JSON.stringify([{ ...PROD_HOST, detached: "yes" }]) }, SECRETS));
        expect(error).toBeInstanceOf(NovaConfigError);
        expect((error as NovaConfigError).problems).toEqual([expect.stringMatching(/^nova:hosts.*detached/)]);
        expect((error as NovaConfigError).problems[0]).toContain('expected true or false (default false); true when the host is gone for good: its steps then run nothing on update or delete, got "yes"');
        expect(resources.filter((r) => r.custom)).toEqual([]);
    });

    it("false is the same as absent", async () => {
        const p = await plan("prod", { "nova:hosts": JSON.stringify([{ ...PROD_HOST, detached: false }]) }, SECRETS);
        expect(p.config.hosts[0].detached).toBeUndefined();
        expect(steps(p, "rondot").every((r) => typeof r.inputs.create === "string")).toBe(true);
    });
});
