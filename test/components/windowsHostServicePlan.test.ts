import { mkdtempSync, readFileSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { SECRETS_SEPARATOR, splitStdin } from "../../components/host/bootstrap";
import { withStepBound } from "../../components/host/stepBound";
import { OFFLINE_TUNNEL_TOKEN } from "../../scripts/shared/planning/offlineFixtures";
import { redact } from "../../scripts/shared/planning/redact";
import { ROOT, ofType, one, plan, program, stackWith } from "../support/harness";
import { planOffline } from "../../scripts/shared/planning/plan";
import { ownerCovering, withZoneStacksDir } from "../../scripts/shared/planning/zoneOwner";
import { writeArtefacts } from "../../scripts/plan/artefacts";
import { syntaxProblems } from "../support/powershellParse";
import { stdinText, withStdinUnpacked } from "../support/stdin";
import { REMOTE, LOCAL, COMPONENT, ANTHROPIC, SECRETS, CLEAR, TUNNEL_STEPS, DIRECT_STEPS, WITH_DELETE, reveal, withoutSecrets, commands, stepsOf, scriptOfStdin } from "./windowsHostServiceSupport";

describe("secrets and determinism", () => {
    for (const stack of ["prod", "staging"]) {
        it(`${stack}: no secret value in the redacted plan or in any non-secret wire input`, async () => {
            const p = await plan(stack, {}, SECRETS);
            const redacted = JSON.stringify(withStdinUnpacked(p.document));
            const plain = JSON.stringify(p.run.resources.map((r) => withoutSecrets(r.inputs)));
            for (const s of CLEAR) {
                expect(redacted).not.toContain(s);
                expect(plain).not.toContain(s);
            }
            // The values are there, under secret markers: the check above looked at the right data.
            expect(JSON.stringify(withStdinUnpacked(p.run.resources.map((r) => r.inputs)))).toContain(ANTHROPIC);
            expect(plain).toContain("Write-NovaJson");
        });

        it(`${stack}: two plans give byte-identical command inputs`, async () => {
            const sorted = async () => JSON.stringify(commands(await plan(stack, {}, SECRETS)).map((r) => ({ name: r.name, inputs: redact(r.inputs), wire: r.inputs })), (_k, v) =>
                v && typeof v === "object" && !Array.isArray(v) ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, v[k]])) : v,
            );
            expect(await sorted()).toBe(await sorted());
        });
    }

    it.each([
        ["prod", "rondot", ["preflight", "dotenv", "firewall", "health"]],
        ["staging", "staging", ["preflight", "dotenv", "service", "firewall", "health"]],
    ] as const)("%s: changing appPort changes the inputs of exactly the steps whose scripts use the port", async (stack, host, changed) => {
        const a = await plan(stack, {}, SECRETS);
        // A direct-mode guest's new port needs the zone owner to route it: plan against an owner that does.
        const variant = stackWith(stack, { "nova:appPort": "8123" }, SECRETS);
        const b = await withZoneStacksDir(ownerCovering(ROOT, stackWith(stack), variant), () => planOffline(variant, program));
        const differs = stepsOf(a, host)
            .filter((r) => JSON.stringify(r.inputs) !== JSON.stringify(one(b, r.type, r.name).inputs))
            .map((r) => r.name.slice(host.length + 1));
        expect(differs).toEqual([...changed]);
        for (const step of changed) expect(stdinText(one(b, stepsOf(b, host)[0].type, `${host}-${step}`).inputs.stdin)).toContain("8123");
    });
});

describe("several hosts", () => {
    it("gives each host its own component and steps; every connector gets the same tunnel token", async () => {
        const hosts = JSON.stringify([
            { name: "alpha", address: "192.0.2.11", transport: "ssh", user: "PPZ", hostKey: "ssh-ed25519 AAAAalpha" },
            { name: "beta", address: "192.0.2.12", transport: "ssh", user: "Admin", port: 2222, hostKey: "ssh-ed25519 AAAAbeta" },
            { name: "gamma", address: "192.0.2.13", transport: "winrm", user: "Administrator" },
        ]);
        const p = await plan("prod", { "nova:hosts": hosts }, SECRETS);
        expect(ofType(p, COMPONENT).map((r) => r.name)).toEqual(["alpha", "beta", "gamma"]);
        for (const [name, type] of [["alpha", REMOTE], ["beta", REMOTE], ["gamma", LOCAL]] as const) {
            expect(stepsOf(p, name).map((r) => [r.type, r.name])).toEqual(TUNNEL_STEPS.map((s) => [type, `${name}-${s}`]));
            const stdin = stdinText(one(p, type, `${name}-cloudflared`).inputs.stdin);
            expect(JSON.parse(stdin.split(`${SECRETS_SEPARATOR}\n`)[1])).toEqual({ tunnelToken: OFFLINE_TUNNEL_TOKEN });
        }
        expect(reveal<{ port: number; user: string }>(one(p, REMOTE, "beta-tools").inputs.connection)).toMatchObject({ host: "192.0.2.12", port: 2222, user: "Admin" });
        expect(ofType(p, "cloudflare:index/zeroTrustTunnelCloudflared:ZeroTrustTunnelCloudflared")).toHaveLength(1);
    });
});

describe("plan --out host scripts", () => {
    it.each([
        ["prod", "rondot", TUNNEL_STEPS],
        ["staging", "staging", DIRECT_STEPS],
    ] as const)("%s: writes every step's create, delete and audit script, parseable, secret-free, equal to what the commands carry", async (stack, host, names) => {
        const p = await plan(stack, {}, SECRETS);
        const out = mkdtempSync(join(tmpdir(), "nova-hostsvc-"));
        const written = writeArtefacts(p, out);
        const expected = names.flatMap((step, i) => {
            const base = `hosts/${host}/${String(i + 1).padStart(2, "0")}-${step}`;
            return [`${base}.ps1`, ...(WITH_DELETE.includes(step) ? [`${base}.delete.ps1`] : []), `${base}.audit.ps1`];
        });
        expect(written.filter((f) => f.startsWith("hosts/"))).toEqual(expected);
        expect(readdirSync(join(out, "hosts", host)).sort()).toEqual(expected.map((f) => f.split("/")[2]).sort());
        for (const file of expected) {
            const text = readFileSync(join(out, file), "utf8");
            expect(syntaxProblems(text), file).toEqual([]);
            for (const s of CLEAR) expect(text).not.toContain(s);
        }
        names.forEach((step, i) => {
            const base = join(out, "hosts", host, `${String(i + 1).padStart(2, "0")}-${step}`);
            const r = stepsOf(p, host)[i];
            // The review file is the step's script; its command adds the bound line (components/host/stepBound.ts).
            const bound = { host, step, seconds: p.config.stepTimeoutSeconds };
            expect(scriptOfStdin(stdinText(r.inputs.stdin))).toBe(withStepBound(readFileSync(`${base}.ps1`, "utf8"), bound));
            if (WITH_DELETE.includes(step)) expect(splitStdin(stdinText(r.inputs.stdin)).delete).toBe(readFileSync(`${base}.delete.ps1`, "utf8"));
        });
    });
});
