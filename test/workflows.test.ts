/**
 * The GitHub workflows of .github/workflows: each is valid against the GitHub workflow schema
 * (@action-validator/core, which carries SchemaStore's github-workflow schema and resolves `needs`),
 * and keeps the project's CI rules: actions pinned to a full commit with the version in a comment,
 * permissions per job (none for the workflow), Pulumi access only through OIDC with a token scoped to one
 * stack, no repository secrets, pull requests on GitHub-hosted runners with the base branch's policy pack.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { validateWorkflow } from "@action-validator/core";
import { beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { windows51Report } from "../analysis/powershell/compat51";
import { initPowerShellGrammar } from "../analysis/powershell/grammar";
import { ROOT } from "./support/harness";

const DIR = join(ROOT, ".github", "workflows");
const files = readdirSync(DIR).filter((f) => /\.ya?ml$/.test(f)).sort();
const read = (file: string) => readFileSync(join(DIR, file), "utf8");

interface Step { name?: string; uses?: string; run?: string; with?: Record<string, unknown>; "working-directory"?: string }
interface Job {
    steps: Step[];
    "runs-on": string;
    if?: string;
    permissions?: Record<string, string>;
    environment?: string | { name: string };
    needs?: string | string[];
    strategy?: { matrix?: { stack?: string[] } };
}
interface Workflow { on: Record<string, unknown>; permissions?: Record<string, string>; jobs: Record<string, Job> }

const workflow = (file: string) => parse(read(file)) as Workflow;

/** Error titles and paths of the schema validation (empty when valid). */
function schemaErrors(text: string): string[] {
    return validateWorkflow(text).errors.map((e) => `${"path" in e ? e.path : ""} ${e.title}${e.detail ? `: ${e.detail}` : ""}`);
}

describe("workflow schema", () => {
    it("finds the four workflows", () => {
        expect(files).toEqual(["deploy.yml", "drift.yml", "preview.yml", "windows-host.yml"]);
    });

    it.each(files)("%s is a valid workflow", (file) => {
        expect(schemaErrors(read(file))).toEqual([]);
    });

    it("rejects broken copies", () => {
        const preview = read("preview.yml");
        const broken = {
            yaml: preview.replace("branches: [main]", "branches: [main"),
            key: preview.replace("runs-on: ubuntu-latest", "runs_on: ubuntu-latest"),
            event: preview.replace("pull_request:", "pull_requests:"),
            permission: preview.replace("id-token: write", "id-token: admin"),
            needs: preview.replace("needs: test", "needs: tests"),
            cron: read("drift.yml").replace('cron: "17 5 * * *"', "crontab: daily"),
        };
        for (const [what, text] of Object.entries(broken)) {
            expect(text, what).not.toBe(what === "cron" ? read("drift.yml") : preview);
            expect(schemaErrors(text), what).not.toEqual([]);
        }
    });
});

/**
 * Commits of the action tags used, read from the actions' own repositories (`git show-ref --tags`,
 * peeled): actions/checkout v7.0.1, actions/setup-node v7.0.0, pulumi/actions v7.0.0,
 * pulumi/auth-actions v2.1.0.
 */
const PINS: Record<string, { sha: string; version: string }> = {
    "actions/checkout": { sha: "3d3c42e5aac5ba805825da76410c181273ba90b1", version: "v7.0.1" },
    "actions/setup-node": { sha: "820762786026740c76f36085b0efc47a31fe5020", version: "v7.0.0" },
    "pulumi/actions": { sha: "8e5e406f4007fca908480587cb9893c07090f58d", version: "v7.0.0" },
    "pulumi/auth-actions": { sha: "141415910c3beb54e03b48e9057c204c97b956f2", version: "v2.1.0" },
    // read from public workflows pinning them with the version, not checked against the tags (docs/CI.md)
    "actions/setup-dotnet": { sha: "67a3573c9a986a3f9c594539f4ab511d57bb3ce9", version: "v4.3.1" },
    "actions/upload-artifact": { sha: "ea165f8d65b6e75b540449e92b4886f43607fa02", version: "v4.6.2" },
};

const AUTH = "pulumi/auth-actions";
const usesOf = (job: Job, action: string) => job.steps.filter((s) => s.uses?.replace(/@.*/, "") === action);
/** The stack a job works on: its matrix variable or the literal stack of its pulumi step. */
function stackOf(job: Job): string {
    if (job.strategy?.matrix?.stack) return "${{ matrix.stack }}";
    const name = usesOf(job, "pulumi/actions")[0]?.with?.["stack-name"];
    return String(name).replace("${{ vars.PULUMI_ORG }}/", "");
}

describe("workflow rules", () => {
    it.each(files)("%s pins every action to a full commit, with its version in a comment", (file) => {
        const lines = read(file).split("\n").filter((l) => /^\s*(- )?uses:/.test(l));
        expect(lines.length).toBeGreaterThan(0);
        for (const line of lines) {
            const m = /uses: ([\w.-]+\/[\w.-]+)@([0-9a-f]{40}) # (v\d+\.\d+\.\d+)$/.exec(line);
            expect(m, line).not.toBeNull();
            const [, action, sha, version] = m as RegExpExecArray;
            expect({ action, sha, version }).toEqual({ action, ...PINS[action] });
        }
    });

    it.each(files)("%s grants nothing at the workflow level and declares the permissions of each job", (file) => {
        const w = workflow(file);
        expect(w.permissions).toEqual({});
        for (const [name, job] of Object.entries(w.jobs)) expect(job.permissions, name).toBeDefined();
    });

    it.each(["deploy.yml", "preview.yml"])("%s gives the test job read access to the code and nothing else", (file) => {
        const test = workflow(file).jobs.test;
        expect(test.permissions).toEqual({ contents: "read" });
        expect(test["runs-on"]).toBe("ubuntu-latest");
    });

    it.each(files)("%s asks for an id-token exactly in the jobs that log in to Pulumi, each with a token scoped to its one stack", (file) => {
        const w = workflow(file);
        expect(read(file)).not.toMatch(/secrets\./);
        expect(read(file)).not.toMatch(/PULUMI_ACCESS_TOKEN/);
        expect(read(file)).not.toMatch(/access_token:organization/);
        for (const [name, job] of Object.entries(w.jobs)) {
            const auth = usesOf(job, AUTH);
            expect({ name, idToken: job.permissions?.["id-token"] }).toEqual({ name, idToken: auth.length > 0 ? "write" : undefined });
            if (auth.length === 0) {
                expect(usesOf(job, "pulumi/actions").every((s) => s.with?.command === undefined), name).toBe(true);
                continue;
            }
            const names = job.steps.map((s) => s.uses?.replace(/@.*/, ""));
            expect(names.indexOf(AUTH), `${name}: auth-actions runs before pulumi/actions`).toBeLessThan(names.indexOf("pulumi/actions"));
            const role = file === "deploy.yml" ? "deploy" : "read";
            expect(auth[0].with, name).toEqual({
                organization: "${{ vars.PULUMI_ORG }}",
                "requested-token-type": "urn:pulumi:token-type:access_token:team",
                scope: `team:nova-${stackOf(job)}-${role}`,
            });
            // The OIDC policy in Pulumi Cloud matches the environment claim: every such job has one.
            expect(job.environment, name).toBeDefined();
        }
    });

    it.each(files)("%s checks out without leaving the GitHub token in the work tree", (file) => {
        const checkouts = Object.values(workflow(file).jobs).flatMap((j) => usesOf(j, "actions/checkout"));
        expect(checkouts.length).toBeGreaterThan(0);
        for (const c of checkouts) expect(c.with?.["persist-credentials"]).toBe(false);
    });

    it("preview: pull requests only (never pull_request_target), on GitHub-hosted runners, forks never log in", () => {
        const w = workflow("preview.yml");
        expect(Object.keys(w.on)).toEqual(["pull_request"]);
        for (const job of Object.values(w.jobs)) expect(job["runs-on"]).toBe("ubuntu-latest");
        expect(read("preview.yml")).not.toMatch(/self-hosted|NOVA_RUNNER|pull_request_target/);
        expect(w.jobs.preview.if).toBe("github.event.pull_request.head.repo.full_name == github.repository");
    });

    it("preview: tests, then a commented preview per stack in the environment preview-<stack>", () => {
        const w = workflow("preview.yml");
        expect(w.jobs.test.steps.map((s) => s.run).filter(Boolean)).toEqual(["npm ci", "npm run setup:pwsh", "npm test"]);
        expect(w.jobs.preview.needs).toBe("test");
        expect(w.jobs.preview.strategy?.matrix?.stack).toEqual(["prod", "staging"]);
        expect(w.jobs.preview.environment).toBe("preview-${{ matrix.stack }}");
        expect(w.jobs.preview.permissions).toEqual({ contents: "read", "id-token": "write", "pull-requests": "write" });
        const pulumi = usesOf(w.jobs.preview, "pulumi/actions")[0];
        expect(pulumi.with).toEqual({
            command: "preview",
            "pulumi-version": "3.248.0",
            "stack-name": "${{ vars.PULUMI_ORG }}/${{ matrix.stack }}",
            "work-dir": "pr",
            "comment-on-pr": true,
            policyPacks: "${{ github.workspace }}/base/policy",
            "suppress-outputs": true,
        });
    });

    it("preview: the policy pack comes from the base branch, checked out apart from the pull request's code", () => {
        const job = workflow("preview.yml").jobs.preview;
        const checkouts = usesOf(job, "actions/checkout").map((s) => s.with);
        expect(checkouts).toEqual([
            { path: "pr", "persist-credentials": false },
            { ref: "${{ github.event.pull_request.base.sha }}", path: "base", "persist-credentials": false },
        ]);
        expect(job.steps).toContainEqual({ name: "Policy pack dependencies", run: "npm ci && npm ci --prefix policy", "working-directory": "base" });
        expect(job.steps).toContainEqual({ run: "npm ci", "working-directory": "pr" });
        // Nothing of the pull request's checkout is used as the policy pack.
        expect(JSON.stringify(job.steps)).not.toMatch(/pr\/policy/);
    });

    it("deploy: up staging, then prod behind the production environment", () => {
        const w = workflow("deploy.yml");
        expect(w.on).toEqual({ push: { branches: ["main"] } });
        expect(w.jobs.staging.needs).toBe("test");
        expect(w.jobs.prod.needs).toBe("staging");
        expect(w.jobs.staging.environment).toBe("staging");
        expect(w.jobs.prod.environment).toBe("production");
        for (const job of [w.jobs.staging, w.jobs.prod]) expect(job.permissions).toEqual({ contents: "read", "id-token": "write" });
        const up = (job: Job) => usesOf(job, "pulumi/actions")[0]?.with;
        expect(up(w.jobs.staging)).toMatchObject({ command: "up", "stack-name": "${{ vars.PULUMI_ORG }}/staging", policyPacks: "policy" });
        expect(up(w.jobs.prod)).toMatchObject({ command: "up", "stack-name": "${{ vars.PULUMI_ORG }}/prod", policyPacks: "policy" });
    });

    it("drift: scheduled and on demand, per stack, exit code 2 opens an issue and fails the job", () => {
        const w = workflow("drift.yml");
        expect(Object.keys(w.on).sort()).toEqual(["schedule", "workflow_dispatch"]);
        expect(w.jobs.drift.strategy?.matrix?.stack).toEqual(["prod", "staging"]);
        const text = read("drift.yml");
        expect(text).toContain('npm run --silent drift -- --stack "${{ matrix.stack }}"');
        expect(text).toContain("if: steps.drift.outputs.code == '2'");
        expect(text).toContain("if: steps.drift.outputs.code != '0'");
        expect(w.jobs.drift.environment).toBe("drift-${{ matrix.stack }}");
        expect(w.jobs.drift.permissions).toEqual({ contents: "read", "id-token": "write", issues: "write" });
    });

    it("docs/CI.md names the environments, the required reviewers of the prod ones and the per-stack teams", () => {
        const doc = readFileSync(join(ROOT, "docs", "CI.md"), "utf8");
        for (const name of ["preview-prod", "preview-staging", "production", "staging", "drift-prod", "drift-staging"]) expect(doc).toContain(`\`${name}\``);
        for (const team of ["nova-prod-read", "nova-staging-read", "nova-prod-deploy", "nova-staging-deploy"]) expect(doc).toContain(`\`${team}\``);
        expect(doc).toMatch(/`preview-prod`[^\n]*required reviewers/);
        for (const { sha, version } of Object.values(PINS)) expect(doc).toContain(`${sha} # ${version}`);
    });
});

describe("the executed PowerShell suites gate the test jobs", () => {
    it.each(["deploy.yml", "preview.yml"])("%s: the test job installs .NET 10 and pwsh, and makes a missing pwsh a failure", (file) => {
        const test = workflow(file).jobs.test;
        expect(usesOf(test, "actions/setup-dotnet")[0]?.with).toEqual({ "dotnet-version": "10.0.x" });
        const npmTest = test.steps.find((s) => s.run === "npm test") as Step & { env?: Record<string, string> };
        expect(npmTest.env).toEqual({ NOVA_REQUIRE_PWSH: "1" });
    });
});

describe("windows-host workflow", () => {
    const w = workflow("windows-host.yml");
    type HostJob = Job & { strategy: { matrix: { os: string[] } }; env: Record<string, string>; defaults: { run: { shell: string } } };
    const host = w.jobs.host as HostJob;
    const step = (name: string) => {
        const found = host.steps.find((s) => s.name?.startsWith(name));
        if (!found) throw new Error(`windows-host.yml: no step ${name}`);
        return found as Step & { if?: string; shell?: string };
    };

    it("runs on host/suite pull requests, weekly and by hand, on windows-2022 and windows-2025, reading the code only", () => {
        expect(Object.keys(w.on).sort()).toEqual(["pull_request", "schedule", "workflow_dispatch"]);
        expect((w.on.pull_request as { paths: string[] }).paths).toEqual(["components/host/**", "test/ps/**", ".github/workflows/windows-host.yml"]);
        expect(w.on.schedule).toEqual([{ cron: "41 4 * * 1" }]);
        expect(Object.keys(w.jobs)).toEqual(["host"]);
        expect(host["runs-on"]).toBe("${{ matrix.os }}");
        expect(host.strategy.matrix.os).toEqual(["windows-2022", "windows-2025"]);
        expect(host.permissions).toEqual({ contents: "read" });
    });

    it("pins Pester to the package, version and SHA-256 of scripts/setup-pwsh/setup.sh, and checks the hash before installing", () => {
        const setup = readFileSync(join(ROOT, "scripts/setup-pwsh/setup.sh"), "utf8");
        const version = /^PESTER_VERSION=(\S+)$/m.exec(setup)?.[1] ?? "";
        expect(host.env.PESTER_VERSION).toBe(version);
        expect(host.env.PESTER_SHA256).toBe(/^PESTER_SHA256=([0-9a-f]{64})$/m.exec(setup)?.[1]);
        const url = /^PESTER_URL="(\S+)"$/m.exec(setup)?.[1]?.replaceAll("${PESTER_VERSION}", version);
        expect(host.env.PESTER_URL).toBe(url);
        const run = step("Pester").run ?? "";
        expect(run.indexOf("Get-FileHash")).toBeGreaterThan(run.indexOf("Invoke-WebRequest"));
        expect(run.indexOf("throw")).toBeLessThan(run.indexOf("ExtractToDirectory"));
    });

    it("runs every step in Windows PowerShell 5.1, every Pester file in real mode with its step records, then compares them with the model's", () => {
        expect(host.defaults).toEqual({ run: { shell: "powershell" } });
        expect(host.steps.filter((s) => (s as { shell?: string }).shell !== undefined)).toEqual([]);
        expect(host.env.NOVA_HOST_MODE).toBe("real");
        const names = host.steps.map((s) => s.name ?? s.uses?.replace(/@.*/, "") ?? s.run);
        expect(names.indexOf("Pester (pinned version and SHA-256)")).toBeLessThan(names.findIndex((n) => n?.startsWith("Host suites")));
        const suites = step("Host suites (real mode)").run ?? "";
        expect(suites).toContain("Get-ChildItem -Path test\\ps -Filter *.Tests.ps1");
        expect(suites).toContain("& powershell -NoProfile -NonInteractive -File test\\ps\\run-pester.ps1");
        expect(suites).toContain('-Record "$results\\$($f.Name).steps.jsonl"');
        expect(suites).toMatch(/if \(\$LASTEXITCODE -ne 0\)/);
        expect(step("NOVA stand-in").run).toContain("Initialize-NovaStandIn (Read-NovaSuite)");
        const parity = step("Model parity");
        expect(parity.if).toBe("success() || failure()");
        expect(parity.run).toContain('npx ts-node --transpile-only test/ps/parity.ts "$env:RUNNER_TEMP\\nova-results"');
    });

    it("uploads the step records (the JSON line of every create, audit and delete) and the counts, whatever the outcome", () => {
        const upload = usesOf(host, "actions/upload-artifact")[0] as Step & { if?: string };
        expect(upload.if).toBe("always()");
        expect(upload.with).toEqual({ name: "host-step-results-${{ matrix.os }}", path: "${{ runner.temp }}/nova-results/", "if-no-files-found": "error" });
    });

    describe("its PowerShell", () => {
        beforeAll(async () => {
            await initPowerShellGrammar();
        });
        it("every run block passes the Windows PowerShell 5.1 profile check", () => {
            // functions of the harness files the stand-in step dot-sources (test/ps/Suite.ps1, host/OnWindows.ps1)
            const scriptFunctions = new Set(["Read-NovaSuite", "Initialize-NovaStandIn"]);
            const runs = host.steps.filter((s) => s.run !== undefined).map((s) => s.run as string);
            expect(runs.length).toBe(6);
            for (const text of runs) expect(windows51Report(text, { scriptFunctions, extraNative: ["npm.cmd", "npx.cmd", "python.exe"] }).problems, text).toEqual([]);
        });
    });
});
