"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
const node_child_process_1 = require("node:child_process");
const node_fs_1 = require("node:fs");
const node_os_1 = require("node:os");
const node_path_1 = require("node:path");
const vitest_1 = require("vitest");
const plan_1 = require("../scripts/plan");
const planText_1 = require("../scripts/lib/planText");
const harness_1 = require("./harness");
const KNOWN = {
    "nova:sshPrivateKey": "-----BEGIN OPENSSH PRIVATE KEY-----known-ssh-key-0xK3Y",
    "nova:winrmPassword": "known-winrm-Passw0rd!",
    "nova:appSecretEnv": JSON.stringify({ ANTHROPIC_API_KEY: "known-anthropic-s3cret", OPENAI_API_KEY: "known-openai-s3cret" }),
};
const CLEAR = ["known-ssh-key-0xK3Y", "known-winrm-Passw0rd!", "known-anthropic-s3cret", "known-openai-s3cret", "offline-fixture-tunnel-token"];
function runPlanCli(args) {
    const r = (0, node_child_process_1.spawnSync)(process.execPath, [(0, node_path_1.join)(harness_1.ROOT, "node_modules/ts-node/dist/bin.js"), "--transpile-only", (0, node_path_1.join)(harness_1.ROOT, "scripts/plan.ts"), ...args], { cwd: harness_1.ROOT, encoding: "utf8", timeout: 60_000 });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
(0, vitest_1.describe)("offline plan", () => {
    for (const stack of ["prod", "staging"]) {
        (0, vitest_1.it)(`renders ${stack} as the JSON contract: every resource with urn, type, name, parent, inputs`, async () => {
            const { document } = await (0, harness_1.plan)(stack);
            (0, vitest_1.expect)(document.stack).toBe(stack);
            (0, vitest_1.expect)(document.resources.length).toBeGreaterThan(1);
            const urns = new Set(document.resources.map((r) => r.urn));
            for (const r of document.resources) {
                (0, vitest_1.expect)(Object.keys(r).sort()).toEqual(["inputs", "name", "parent", "type", "urn"]);
                if (r.type === "pulumi:pulumi:Stack")
                    (0, vitest_1.expect)(r.parent).toBeNull();
                else
                    (0, vitest_1.expect)(urns.has(r.parent)).toBe(true);
            }
            (0, vitest_1.expect)(JSON.parse(JSON.stringify(document))).toEqual(document);
        });
    }
    (0, vitest_1.it)("lists the required secrets a committed stack file cannot hold, as [secret] placeholders", async () => {
        const { document } = await (0, harness_1.plan)("prod");
        (0, vitest_1.expect)(document.secretsToSet).toEqual([
            { key: "nova:sshPrivateKey", command: "pulumi config set --secret nova:sshPrivateKey <value>" },
            { key: "nova:appSecretEnv.ANTHROPIC_API_KEY", command: "pulumi config set --secret --path 'nova:appSecretEnv.ANTHROPIC_API_KEY' <value>" },
            { key: "nova:appSecretEnv.OPENAI_API_KEY", command: "pulumi config set --secret --path 'nova:appSecretEnv.OPENAI_API_KEY' <value>" },
        ]);
        (0, vitest_1.expect)((0, planText_1.renderTree)(document)).toContain("to set with `pulumi config set --secret`");
        const { document: staging } = await (0, harness_1.plan)("staging");
        (0, vitest_1.expect)(staging.secretsToSet.map((s) => s.key)).toEqual(["nova:winrmPassword", "nova:appSecretEnv.ANTHROPIC_API_KEY", "nova:appSecretEnv.OPENAI_API_KEY"]);
    });
    (0, vitest_1.it)("names no set secret as missing", async () => {
        const { document } = await (0, harness_1.plan)("prod", {}, KNOWN);
        (0, vitest_1.expect)(document.secretsToSet).toEqual([]);
    });
    for (const stack of ["prod", "staging"]) {
        (0, vitest_1.it)(`prints no secret value in clear (${stack}, tree and JSON)`, async () => {
            const p = await (0, harness_1.plan)(stack, {}, KNOWN);
            const text = `${(0, planText_1.renderTree)(p.document)}\n${JSON.stringify(p.document)}`;
            for (const secret of CLEAR)
                (0, vitest_1.expect)(text).not.toContain(secret);
        });
    }
    (0, vitest_1.it)("parses its arguments strictly", () => {
        (0, vitest_1.expect)((0, plan_1.parsePlanArgs)([])).toEqual({ stack: "prod", json: false });
        (0, vitest_1.expect)((0, plan_1.parsePlanArgs)(["--stack", "staging", "--json", "--out", "x"])).toEqual({ stack: "staging", json: true, out: "x" });
        (0, vitest_1.expect)(() => (0, plan_1.parsePlanArgs)(["--bogus"])).toThrow(/unknown argument "--bogus"/);
        (0, vitest_1.expect)(() => (0, plan_1.parsePlanArgs)(["--stack"])).toThrow(/--stack: expected a stack name/);
    });
    (0, vitest_1.it)("runs from the command line: tree, --json, --out, and a clear error for a bad stack", () => {
        const tree = runPlanCli([]);
        (0, vitest_1.expect)(tree.status).toBe(0);
        (0, vitest_1.expect)(tree.stdout).toMatch(/^stack prod: \d+ resources/);
        (0, vitest_1.expect)(tree.stdout).toContain("nova:host:WindowsHostService  rondot");
        const json = runPlanCli(["--stack", "staging", "--json"]);
        (0, vitest_1.expect)(json.status).toBe(0);
        (0, vitest_1.expect)(JSON.parse(json.stdout).stack).toBe("staging");
        const out = (0, node_fs_1.mkdtempSync)((0, node_path_1.join)((0, node_os_1.tmpdir)(), "nova-plan-"));
        const written = runPlanCli(["--out", out]);
        (0, vitest_1.expect)(written.status).toBe(0);
        (0, vitest_1.expect)((0, node_fs_1.readdirSync)(out).sort()).toEqual(["cloudflared-config.yml", "plan.json"]);
        const yml = (0, node_fs_1.readFileSync)((0, node_path_1.join)(out, "cloudflared-config.yml"), "utf8");
        (0, vitest_1.expect)(yml).toContain("hostname: nova-rondot.itspirit.ovh");
        (0, vitest_1.expect)(yml).toContain("service: http://127.0.0.1:8000");
        (0, vitest_1.expect)(yml).toContain("service: http_status:404");
        (0, vitest_1.expect)(JSON.parse((0, node_fs_1.readFileSync)((0, node_path_1.join)(out, "plan.json"), "utf8")).stack).toBe("prod");
        const missing = runPlanCli(["--stack", "nope"]);
        (0, vitest_1.expect)(missing.status).toBe(1);
        (0, vitest_1.expect)(missing.stderr).toContain("no stack file");
        (0, vitest_1.expect)(missing.stderr).toContain("Pulumi.nope.yaml");
    });
    (0, vitest_1.it)("loads index.ts through ts-node with type checking, as the Pulumi CLI's Node language host does", () => {
        const stdout = (0, node_child_process_1.execFileSync)(process.execPath, [(0, node_path_1.join)(harness_1.ROOT, "node_modules/ts-node/dist/bin.js"), (0, node_path_1.join)(harness_1.ROOT, "scripts/plan.ts"), "--json"], {
            cwd: harness_1.ROOT,
            encoding: "utf8",
            timeout: 120_000,
        });
        const doc = JSON.parse(stdout);
        (0, vitest_1.expect)(doc.resources.map((r) => r.type)).toContain("nova:host:WindowsHostService");
    }, 120_000);
});
