/**
 * The GitHub workflows of .github/workflows: each is valid against the GitHub workflow schema
 * (@action-validator/core, which carries SchemaStore's github-workflow schema and resolves `needs`),
 * and keeps the project's CI rules: actions pinned to a major version or a commit, Pulumi access only
 * through OIDC, no repository secrets.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { validateWorkflow } from "@action-validator/core";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { ROOT } from "./harness";

const DIR = join(ROOT, ".github", "workflows");
const files = readdirSync(DIR).filter((f) => /\.ya?ml$/.test(f)).sort();
const read = (file: string) => readFileSync(join(DIR, file), "utf8");

interface Step { uses?: string; run?: string; with?: Record<string, unknown>; "working-directory"?: string }
interface Job { steps: Step[]; environment?: string | { name: string }; needs?: string | string[]; strategy?: { matrix?: { stack?: string[] } } }
interface Workflow { on: Record<string, unknown>; permissions?: Record<string, string>; jobs: Record<string, Job> }

const workflow = (file: string) => parse(read(file)) as Workflow;
const steps = (w: Workflow) => Object.values(w.jobs).flatMap((j) => j.steps);

/** Error titles and paths of the schema validation (empty when valid). */
function schemaErrors(text: string): string[] {
    return validateWorkflow(text).errors.map((e) => `${"path" in e ? e.path : ""} ${e.title}${e.detail ? `: ${e.detail}` : ""}`);
}

describe("workflow schema", () => {
    it("finds the three workflows", () => {
        expect(files).toEqual(["deploy.yml", "drift.yml", "preview.yml"]);
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

describe("workflow rules", () => {
    it.each(files)("%s pins every action to a major version or a commit", (file) => {
        const uses = steps(workflow(file)).flatMap((s) => (s.uses ? [s.uses] : []));
        expect(uses.length).toBeGreaterThan(0);
        for (const u of uses) expect(u).toMatch(/^[\w.-]+\/[\w./-]+@(v\d+(\.\d+){0,2}|[0-9a-f]{40})$/);
    });

    it.each(files)("%s reaches Pulumi through OIDC only, and uses no repository secret", (file) => {
        const w = workflow(file);
        expect(w.permissions?.["id-token"]).toBe("write");
        expect(read(file)).not.toMatch(/secrets\./);
        expect(read(file)).not.toMatch(/PULUMI_ACCESS_TOKEN/);
        for (const job of Object.values(w.jobs)) {
            const names = job.steps.map((s) => s.uses?.replace(/@.*/, ""));
            const pulumi = names.indexOf("pulumi/actions");
            if (pulumi === -1) continue;
            const auth = names.indexOf("pulumi/auth-actions");
            expect(auth, "auth-actions runs before pulumi/actions").toBeGreaterThanOrEqual(0);
            expect(auth).toBeLessThan(pulumi);
            expect(job.steps[auth].with).toEqual({
                organization: "${{ vars.PULUMI_ORG }}",
                "requested-token-type": "urn:pulumi:token-type:access_token:organization",
            });
        }
    });

    it("preview: tests, then a commented preview with the policy pack per stack", () => {
        const w = workflow("preview.yml");
        expect(Object.keys(w.on)).toEqual(["pull_request"]);
        expect(w.jobs.test.steps.map((s) => s.run).filter(Boolean)).toEqual(["npm ci", "npm test"]);
        expect(w.jobs.preview.needs).toBe("test");
        expect(w.jobs.preview.strategy?.matrix?.stack).toEqual(["prod", "staging"]);
        const pulumi = w.jobs.preview.steps.find((s) => s.uses?.startsWith("pulumi/actions@"));
        expect(pulumi?.with).toMatchObject({ command: "preview", "comment-on-pr": true, policyPacks: "policy", "stack-name": "${{ vars.PULUMI_ORG }}/${{ matrix.stack }}" });
        expect(w.jobs.preview.steps).toContainEqual({ name: "Policy pack dependencies", run: "npm ci", "working-directory": "policy" });
    });

    it("deploy: up staging, then prod behind the production environment", () => {
        const w = workflow("deploy.yml");
        expect(w.on).toEqual({ push: { branches: ["main"] } });
        expect(w.jobs.staging.needs).toBe("test");
        expect(w.jobs.prod.needs).toBe("staging");
        expect(w.jobs.prod.environment).toBe("production");
        const up = (job: Job) => job.steps.find((s) => s.uses?.startsWith("pulumi/actions@"))?.with;
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
        expect(w.permissions?.issues).toBe("write");
    });
});
