import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parsePlanArgs } from "../../../scripts/plan/main";
import { renderTree } from "../../../scripts/plan/planText";
import { planCache, ROOT } from "../../support/harness";
import type { Plan } from "../../../scripts/shared/planning/plan";
import { withStdinUnpacked } from "../../support/stdin";

const KNOWN = {
    "nova:sshPrivateKey": "fake-openssh-private-key:known-ssh-key-0xK3Y",
    "nova:winrmPassword": "known-winrm-Passw0rd!",
    "nova:appSecretEnv": JSON.stringify({ ANTHROPIC_API_KEY: "known-anthropic-s3cret", OPENAI_API_KEY: "known-openai-s3cret" }),
    "cloudflare:apiToken": "known-cloudflare-t0ken",
};
const CLEAR = ["known-ssh-key-0xK3Y", "known-winrm-Passw0rd!", "known-anthropic-s3cret", "known-openai-s3cret", "offline-fixture-tunnel-token", "known-cloudflare-t0ken"];

/** Each offline plan (a stack, with `KNOWN` or not) is made once for the file: the tests only read it. */
const planOnce = planCache();
const plan = (stack: string, _overrides: Record<string, never> = {}, secrets?: typeof KNOWN): Promise<Plan> => planOnce(stack, secrets);

function runPlanCli(args: string[]): { status: number | null; stdout: string; stderr: string } {
    const r = spawnSync(process.execPath, [join(ROOT, "node_modules/ts-node/dist/bin.js"), "--transpile-only", join(ROOT, "scripts/plan/main.ts"), ...args], { cwd: ROOT, encoding: "utf8", timeout: 60_000 });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe("offline plan", () => {
    for (const stack of ["prod", "staging"]) {
        it(`renders ${stack} as the JSON contract: every resource with urn, type, name, parent, inputs, dependencies, options`, async () => {
            const { document } = await plan(stack);
            expect(document.stack).toBe(stack);
            expect(document.resources.length).toBeGreaterThan(1);
            const urns = new Set(document.resources.map((r) => r.urn));
            for (const r of document.resources) {
                const keys = ["dependencies", "inputs", "name", "options", "parent", "type", "urn"];
                expect(Object.keys(r).sort()).toEqual(r.summary === undefined ? keys : [...keys, "summary"].sort());
                expect(Object.keys(r.options).sort()).toEqual(["additionalSecretOutputs", "deleteBeforeReplace", "dependsOn", "ignoreChanges", "protect"]);
                for (const d of [...r.dependencies, ...r.options.dependsOn]) expect(urns.has(d)).toBe(true);
                for (const d of r.options.dependsOn) expect(r.dependencies).toContain(d);
                if (r.type === "pulumi:pulumi:Stack") expect(r.parent).toBeNull();
                else expect(urns.has(r.parent as string)).toBe(true);
            }
            expect(JSON.parse(JSON.stringify(document))).toEqual(document);
        });
    }

    it("lists the required secrets a committed stack file cannot hold, as [secret] placeholders", async () => {
        const { document } = await plan("prod");
        expect(document.secretsToSet).toEqual([
            { key: "nova:sshPrivateKey", command: "pulumi config set --secret nova:sshPrivateKey < ~/.ssh/nova_admin_ed25519" },
            { key: "nova:appSecretEnv.ANTHROPIC_API_KEY", command: "pulumi config set --secret --path 'nova:appSecretEnv.ANTHROPIC_API_KEY'" },
            { key: "nova:appSecretEnv.OPENAI_API_KEY", command: "pulumi config set --secret --path 'nova:appSecretEnv.OPENAI_API_KEY'" },
            { key: "cloudflare:apiToken", command: "pulumi config set --secret cloudflare:apiToken" },
        ]);
        expect(renderTree(document)).toContain("to set with `pulumi config set --secret`");
        const { document: staging } = await plan("staging");
        expect(staging.secretsToSet.map((s) => s.key)).toEqual(["nova:winrmPassword", "nova:appSecretEnv.ANTHROPIC_API_KEY", "nova:appSecretEnv.OPENAI_API_KEY", "cloudflare:apiToken"]);
    });

    it("names no set secret as missing", async () => {
        const { document } = await plan("prod", {}, KNOWN);
        expect(document.secretsToSet).toEqual([]);
    });

    for (const stack of ["prod", "staging"]) {
        it(`prints no secret value in clear (${stack}, tree and JSON)`, async () => {
            const p = await plan(stack, {}, KNOWN);
            const text = `${renderTree(p.document)}\n${JSON.stringify(withStdinUnpacked(p.document))}`;
            for (const secret of CLEAR) expect(text).not.toContain(secret);
            // They did reach the resources (in the engine's wire form, marked secret): redaction removed them.
            const wire = JSON.stringify(withStdinUnpacked(p.run.resources.map((r) => r.inputs)));
            const used = stack === "prod" ? ["known-ssh-key-0xK3Y", "known-anthropic-s3cret", "offline-fixture-tunnel-token"] : ["known-winrm-Passw0rd!", "known-openai-s3cret"];
            for (const secret of used) expect(wire).toContain(secret);
            expect(text).toContain('"[secret]"');
            expect(text).toContain("Write-NovaJson");
        });
    }

    it("parses its arguments strictly", () => {
        expect(parsePlanArgs([])).toEqual({ json: false });
        expect(parsePlanArgs(["--stack", "staging", "--json", "--out", "x"])).toEqual({ stack: "staging", json: true, out: "x" });
        expect(parsePlanArgs(["-s", "staging", "--out=x"])).toEqual({ stack: "staging", json: false, out: "x" });
        expect(() => parsePlanArgs(["--bogus"])).toThrow('unknown option "--bogus"');
        expect(() => parsePlanArgs(["--stack"])).toThrow("--stack: expects a value (NAME)");
        expect(() => parsePlanArgs(["--out", "--json"])).toThrow("--out: expects a value (DIR)");
        expect(() => parsePlanArgs(["--out="])).toThrow("--out: expects a value (DIR), got an empty string");
        expect(() => parsePlanArgs(["--json=yes"])).toThrow('--json: takes no value (got "yes")');
        expect(() => parsePlanArgs(["--json", "--json"])).toThrow("--json: given twice");
        expect(() => parsePlanArgs(["staging"])).toThrow('unexpected argument "staging"');
    });

    it("runs from the command line: tree, --json, --out, and a clear error for a bad stack", () => {
        const tree = runPlanCli([]);
        expect(tree.status).toBe(0);
        expect(tree.stdout).toMatch(/^stack prod: \d+ resources/);
        expect(tree.stdout).toContain("nova:host:WindowsHostService  rondot");
        expect(tree.stdout).not.toContain("\x1b["); // not a terminal: no colours

        const json = runPlanCli(["--stack", "staging", "--json"]);
        expect(json.status).toBe(0);
        expect(JSON.parse(json.stdout).stack).toBe("staging");

        const out = mkdtempSync(join(tmpdir(), "nova-plan-"));
        const written = runPlanCli(["--out", out]);
        expect(written.status).toBe(0);
        expect(readdirSync(out).sort()).toEqual([".nova-generated-files", "cloudflared-config.yml", "hosts", "plan.json"]);
        expect(readdirSync(join(out, "hosts"))).toEqual(["rondot"]);
        const yml = readFileSync(join(out, "cloudflared-config.yml"), "utf8");
        expect(yml).toContain("hostname: nova-rondot.itspirit.ovh");
        expect(yml).toContain("service: http://127.0.0.1:8000");
        expect(yml).toContain("service: http_status:404");
        expect(JSON.parse(readFileSync(join(out, "plan.json"), "utf8")).stack).toBe("prod");

        const missing = runPlanCli(["--stack", "nope"]);
        expect(missing.status).toBe(1);
        expect(missing.stderr).toContain("no stack file");
        expect(missing.stderr).toContain("Pulumi.nope.yaml");
    }, 240_000);

    /**
     * What the Pulumi CLI's Node language host does with a TypeScript project
     * (@pulumi/pulumi/cmd/run/run.js): ts-node.register with the project's tsconfig, transpileOnly from
     * PULUMI_NODEJS_TRANSPILE_ONLY or else from tsconfig's noCheck, then require the program.
     */
    function loadLikePulumi(transpileOnlyEnv?: "true" | "false"): { stdout: string; stderr: string } {
        const register = `
            const ts = require("typescript");
            const cfg = ts.readConfigFile("tsconfig.json", ts.sys.readFile).config;
            const env = process.env.PULUMI_NODEJS_TRANSPILE_ONLY;
            const transpileOnly = env ? env === "true" : cfg.compilerOptions.noCheck;
            require("ts-node").register({ compiler: "typescript", transpileOnly, project: "tsconfig.json", skipProject: false, compilerOptions: {} });
            process.stderr.write("transpileOnly=" + transpileOnly + "\\n");
            require("./scripts/plan/main.ts").main(["--json"]).then((code) => { process.exitCode = code; });`;
        const r = spawnSync(process.execPath, ["-e", register], {
            cwd: ROOT,
            encoding: "utf8",
            timeout: 120_000,
            env: { ...process.env, PULUMI_NODEJS_TRANSPILE_ONLY: transpileOnlyEnv ?? "" },
        });
        expect(r.status).toBe(0);
        return { stdout: r.stdout, stderr: r.stderr };
    }

    it("loads index.ts through ts-node as the Pulumi CLI's language host does (no type check: tsconfig noCheck)", () => {
        const { stdout, stderr } = loadLikePulumi();
        expect(stderr).toContain("transpileOnly=true");
        const doc = JSON.parse(stdout);
        expect(doc.resources.map((r: { type: string }) => r.type)).toContain("nova:host:WindowsHostService");
    }, 120_000);

    it("loads index.ts through ts-node with type checking too (PULUMI_NODEJS_TRANSPILE_ONLY=false)", () => {
        const { stdout, stderr } = loadLikePulumi("false");
        expect(stderr).toContain("transpileOnly=false");
        const doc = JSON.parse(stdout);
        expect(doc.resources.map((r: { type: string }) => r.type)).toContain("nova:host:WindowsHostService");
    }, 120_000);
});
