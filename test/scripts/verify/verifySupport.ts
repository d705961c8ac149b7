/** Shared by the tests of verify*.test.ts: their fixtures and helpers. */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { afterAll, beforeAll, beforeEach } from "vitest";
import { runChecks } from "../../../scripts/shared/edge/checks";
import type { CheckId, CheckResult, ConnectionOptions, Observation, VerifyTarget } from "../../../scripts/shared/edge/types";
import { FakeEdge, HOSTNAME } from "../../support/fake-edge";
import { makeTestCert, TestCert } from "../../support/test-cert";

export const TARGET: VerifyTarget = {
    hostname: HOSTNAME,
    ingressMode: "tunnel",
    rootPath: "redirect",
    paths: { spa: "/mail-to-biz", api: "/api", ws: "/ws", health: "/health", assets: "/mail-to-biz/assets" },
};

export let cert: TestCert;
export let edge: FakeEdge;
export let stackDir: string;

beforeAll(async () => {
    cert = makeTestCert(HOSTNAME);
    edge = new FakeEdge(cert);
    await edge.listen();
    stackDir = fs.mkdtempSync(path.join(os.tmpdir(), "nova-verify-stack-"));
    const staging = fs.readFileSync(path.join(__dirname, "..", "..", "..", "Pulumi.staging.yaml"), "utf8");
    fs.writeFileSync(
        path.join(stackDir, "Pulumi.test.yaml"),
        staging.replace("nova:zoneName: itspirit.ovh", `nova:zoneName: ${HOSTNAME}`).replace("nova:hostname: nova-staging.itspirit.ovh", `nova:hostname: ${HOSTNAME}`).replace("nova:rootPath: rewrite", "nova:rootPath: redirect"),
    );
}, 20_000);

afterAll(async () => {
    await edge?.close();
    fs.rmSync(cert.dir, { recursive: true, force: true });
    fs.rmSync(stackDir, { recursive: true, force: true });
});

beforeEach(() => edge.reset());

export function conn(over: Partial<ConnectionOptions> = {}): ConnectionOptions {
    return { baseUrl: edge.url("https"), httpBaseUrl: edge.url("http"), ca: cert.ca, timeoutMs: 2000, retries: 0, ...over };
}

export async function run(target: Partial<VerifyTarget> = {}, over: Partial<ConnectionOptions> = {}): Promise<Map<CheckId, CheckResult>> {
    const results = await runChecks({ ...TARGET, ...target }, conn(over));
    return new Map(results.map((r) => [r.id, r]));
}

export const response = (status: number, headers: Record<string, string> = {}, body = "", url = `https://${HOSTNAME}/health`): Observation => ({
    kind: "response", url, status, headers, body,
});
export const network = (code: string): Observation => ({ kind: "network", url: `https://${HOSTNAME}/health`, code, message: code });
export const CTX = { ingressMode: "direct" as const, timeoutMs: 300 };
