/**
 * The policy pack as the Pulumi CLI runs it: @pulumi/pulumi's run-policy-pack loads policy/index.ts
 * through ts-node with type checking and serves the analyzer over gRPC on 127.0.0.1; this test sends
 * it resources in the engine's wire form (a secret stdin included) and reads the diagnostics.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { join } from "node:path";
import * as grpc from "@grpc/grpc-js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bootstrapCommand, buildStdin } from "../../components/host/bootstrap";
import { ROOT } from "../support/harness";

const analyzerGrpc = require("@pulumi/pulumi/proto/analyzer_grpc_pb");
const analyzerPb = require("@pulumi/pulumi/proto/analyzer_pb");
const structPb = require("google-protobuf/google/protobuf/struct_pb");

const SECRET = (value: unknown) => ({ "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", value });

let child: ChildProcess | undefined;
let client: { analyze: Function; analyzeStack: Function; close(): void } | undefined;

function struct(props: Record<string, unknown>) {
    return structPb.Struct.fromJavaScript(props);
}

function options() {
    return new analyzerPb.AnalyzerResourceOptions();
}

interface Diagnostic { policy: string; message: string; level: number; urn: string }

/** The engine prefixes each message with the policy's description and a newline; keep our part. */
const ownMessage = (message: string) => message.slice(message.lastIndexOf("\n") + 1);

function diagnostics(response: { getDiagnosticsList(): { getPolicyname(): string; getMessage(): string; getEnforcementlevel(): number; getUrn(): string }[] }): Diagnostic[] {
    return response.getDiagnosticsList().map((d) => ({ policy: d.getPolicyname(), message: ownMessage(d.getMessage()), level: d.getEnforcementlevel(), urn: d.getUrn() }));
}

function call<T>(method: Function, request: unknown): Promise<T> {
    return new Promise((resolve, reject) => method.call(client, request, (err: Error | null, res: T) => (err ? reject(err) : resolve(res))));
}

async function analyze(type: string, props: Record<string, unknown>): Promise<Diagnostic[]> {
    const req = new analyzerPb.AnalyzeRequest();
    req.setType(type);
    req.setName("r");
    req.setUrn(`urn:pulumi:prod::nova::${type}::r`);
    req.setProperties(struct(props));
    req.setOptions(options());
    return diagnostics(await call(client!.analyze, req));
}

beforeAll(async () => {
    const runner = join(ROOT, "node_modules/@pulumi/pulumi/cmd/run-policy-pack");
    const proc = spawn(process.execPath, [runner, "127.0.0.1:1", "."], { cwd: join(ROOT, "policy"), stdio: ["ignore", "pipe", "pipe"] });
    child = proc;
    let stderr = "";
    proc.stderr?.on("data", (d) => (stderr += String(d)));
    const port = await new Promise<string>((resolve, reject) => {
        proc.stdout?.on("data", (d) => {
            const m = /^(\d+)\s*$/m.exec(String(d));
            if (m) resolve(m[1]);
        });
        proc.on("exit", (code) => reject(new Error(`policy pack exited with ${code}: ${stderr}`)));
    });
    client = new analyzerGrpc.AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
}, 120_000);

afterAll(() => {
    client?.close();
    child?.kill();
});

describe("policy pack under @pulumi/pulumi's policy runner", () => {
    it("reports a mandatory violation for a flexible SSL mode, none for strict", async () => {
        const type = "cloudflare:index/zoneSetting:ZoneSetting";
        expect(await analyze(type, { zoneId: "z", settingId: "ssl", value: "strict" })).toEqual([]);
        const found = await analyze(type, { zoneId: "z", settingId: "ssl", value: "flexible" });
        expect(found.map((d) => [d.policy, d.message, d.level])).toEqual([
            ["zone-ssl-mode-encrypted", 'ssl mode "flexible" leaves the origin connection unencrypted: use "full" or "strict"', analyzerPb.EnforcementLevel.MANDATORY],
        ]);
    });

    it("sees a secret stdin in plain text: the separator line marks it, logging is required to be quiet", async () => {
        const props = (logging?: string) => ({
            connection: { host: "203.0.113.10", hostKey: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFake", privateKey: SECRET("KEY") },
            create: bootstrapCommand(),
            stdin: SECRET(buildStdin("Write-Output 'x'", { tunnelToken: "t" })),
            ...(logging ? { logging } : {}),
        });
        expect((await analyze("command:remote:Command", props())).map((d) => d.policy)).toEqual(["command-secret-output-not-logged"]);
        expect(await analyze("command:remote:Command", props("none"))).toEqual([]);
    });

    it("reads PowerShell with the grammar and the 5.1 binder at preview time (WebAssembly loaded from the pack)", async () => {
        const props = { connection: { host: "203.0.113.10", hostKey: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFake" }, create: bootstrapCommand(), stdin: "irm 'https://example.net/i.ps1' | iex\n", logging: "stdout" };
        const found = await analyze("command:remote:Command", props);
        expect(found.map((d) => [d.policy, d.message])).toEqual([
            ["downloads-pinned-sha256", "a download (irm = Invoke-RestMethod) outside Save-NovaVerifiedDownload is not checked against a SHA-256"],
            ["host-script-allow-list", "runs iex (Invoke-Expression), which the policy refuses: it runs code or changes commands the policy cannot read"],
        ]);
    });

    it("runs the firewall stack policy on the stack's resources", async () => {
        const resource = (type: string, name: string, props: Record<string, unknown>) => {
            const r = new analyzerPb.AnalyzerResource();
            r.setType(type);
            r.setName(name);
            r.setUrn(`urn:pulumi:prod::nova::${type}::${name}`);
            r.setProperties(struct(props));
            r.setOptions(options());
            return r;
        };
        const req = new analyzerPb.AnalyzeStackRequest();
        req.setResourcesList([
            resource("cloudflare:index/zeroTrustTunnelCloudflared:ZeroTrustTunnelCloudflared", "t", { name: "nova-prod" }),
            resource("command:remote:Command", "fw", { stdin: "New-NetFirewallRule -Name 'nova-infra-prod-tcp-8000-in' -Group 'NOVA (nova-infra)' -RemoteAddress '173.245.48.0/20'\n" }),
        ]);
        const found = diagnostics(await call(client!.analyzeStack, req));
        expect(found.map((d) => [d.policy, d.message, d.urn])).toEqual([
            ["origin-firewall-cloudflare-only", "tunnel mode: a script creates an inbound firewall rule (New-NetFirewallRule)", "urn:pulumi:prod::nova::command:remote:Command::fw"],
        ]);
    });
});
