/**
 * Mistaken configurations whose values are each valid alone (or were once normalised silently): the
 * program must refuse each before registering anything, with one message naming the key(s), the value
 * given and what is accepted. Direct-mode cases run against a project whose zone owner routes the
 * variant (its port), so that only the mistake itself is refused.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { collectNovaConfig, NovaConfigError } from "../../../components/config";
import { MANAGEMENT_PORTS, managementPortProblems, pathOverlapProblems, timeoutProblems } from "../../../components/config/coherence";
import type { HostConfig } from "../../../components/types";
import { ownerCovering, withZoneStacksDir } from "../../../scripts/shared/planning/zoneOwner";
import { REAL_HOST_KEY, siteStack } from "../../support/fixtures/siteValues";
import { ROOT, runRaw } from "../../support/harness";

const SECRETS = { "nova:sshPrivateKey": "k", "nova:winrmPassword": "p", "nova:appSecretEnv": '{"ANTHROPIC_API_KEY":"a","OPENAI_API_KEY":"o"}' };
const SSH = { transport: "ssh", user: "PPZ", hostKey: REAL_HOST_KEY };
const WINRM = { transport: "winrm", user: "Administrator" };
const hosts = (...list: object[]) => JSON.stringify(list);

interface Mistake {
    readonly stack: "prod" | "staging";
    /** Keys set (undefined: removed); `stackName` runs the values under another stack's name. */
    readonly set: Record<string, string | undefined>;
    readonly stackName?: string;
    /** The message starts with these keys, then shows the value and what is accepted. */
    readonly keys: string;
    readonly value: string;
    readonly accepted: string;
}

/** [category, shape, mistake] */
const MISTAKES: [string, string, Mistake][] = [
    ["management port", "tunnel mode, ssh host: the app on 22", { stack: "prod", set: { "nova:appPort": "22" }, keys: "nova:appPort, nova:hosts[0].port", value: "got 22", accepted: "an app port other than the hosts' management ports (22, 5985, 5986" }],
    ["management port", "tunnel mode: the app on WinRM HTTP's 5985", { stack: "prod", set: { "nova:appPort": "5985" }, keys: "nova:appPort", value: "got 5985", accepted: "other than the hosts' management ports" }],
    ["management port", "tunnel mode: the app on WinRM HTTPS' 5986", { stack: "prod", set: { "nova:appPort": "5986" }, keys: "nova:appPort", value: "got 5986", accepted: "other than the hosts' management ports" }],
    ["management port", "tunnel mode: the app on an ssh host's own port", { stack: "prod", set: { "nova:appPort": "2222", "nova:hosts": hosts({ name: "rondot", address: "10.20.0.10", port: 2222, ...SSH }) }, keys: "nova:appPort, nova:hosts[0].port", value: "got 2222", accepted: "nova:hosts[0].port 2222" }],
    ["management port", "direct mode: the app on ssh's 22", { stack: "staging", set: { "nova:appPort": "22" }, keys: "nova:appPort", value: "got 22", accepted: "other than the hosts' management ports" }],
    ["management port", "direct mode, WinRM HTTP host: the app on 5985", { stack: "staging", set: { "nova:appPort": "5985", "nova:hosts": hosts({ name: "staging", address: "10.20.0.20", winrmAllowHttp: true, ...WINRM }) }, keys: "nova:appPort, nova:hosts[0].port", value: "got 5985", accepted: "nova:hosts[0].port 5985" }],
    ["management port", "direct mode, WinRM HTTPS host: the app on 5986", { stack: "staging", set: { "nova:appPort": "5986" }, keys: "nova:appPort, nova:hosts[0].port", value: "got 5986", accepted: "nova:hosts[0].port 5986" }],
    ["duplicate address", "two ssh hosts at one address", { stack: "prod", set: { "nova:hosts": hosts({ name: "a", address: "10.20.0.10", ...SSH }, { name: "b", address: "10.20.0.10", ...SSH }) }, keys: "nova:hosts[0].address, nova:hosts[1].address", value: 'got "10.20.0.10" twice', accepted: "an address used by one host only" }],
    ["duplicate address", "two WinRM hosts at one name, case apart", { stack: "staging", set: { "nova:hosts": hosts({ name: "a", address: "web.example.net", ...WINRM }, { name: "b", address: "WEB.example.net", ...WINRM }) }, keys: "nova:hosts[0].address, nova:hosts[1].address", value: 'got "WEB.example.net" twice', accepted: "an address used by one host only" }],
    ["zone owner", "staging takes the zone prod's stack file owns", { stack: "staging", set: { "nova:manageZone": "true" }, keys: "nova:manageZone, nova:zoneName", value: 'got nova:manageZone true on stack staging (this stack, nova:zoneName "itspirit.ovh") and on stack prod (Pulumi.prod.yaml, nova:zoneName "itspirit.ovh")', accepted: "expected one stack owning the zone itspirit.ovh" }],
    ["zone owner", "a copy of prod's stack file as a new stack", { stack: "prod", stackName: "prod2", set: {}, keys: "nova:manageZone, nova:zoneName", value: 'on stack prod2 (this stack, nova:zoneName "itspirit.ovh") and on stack prod (Pulumi.prod.yaml', accepted: "false on every other stack of the zone" }],
    ["overlapping paths", "the API path equal to the SPA path", { stack: "prod", set: { "nova:apiPath": "/mail-to-biz" }, keys: "nova:apiPath, nova:spaPath, nova:assetsPath", value: 'got "/mail-to-biz" equal to "/mail-to-biz" (spaPath) and above "/mail-to-biz/assets" (assetsPath)', accepted: "expected paths apart (apiPath is never cached" }],
    ["overlapping paths", "the API path under the SPA path", { stack: "prod", set: { "nova:apiPath": "/mail-to-biz/api" }, keys: "nova:apiPath, nova:spaPath", value: 'got "/mail-to-biz/api" under "/mail-to-biz" (spaPath)', accepted: "expected paths apart (apiPath is never cached, spaPath cached at the edge)" }],
    ["overlapping paths", "the WebSocket path under the assets, case apart", { stack: "staging", set: { "nova:wsPath": "/Mail-To-Biz/assets/ws" }, keys: "nova:wsPath, nova:spaPath, nova:assetsPath", value: 'got "/Mail-To-Biz/assets/ws" under "/mail-to-biz" (spaPath) and under "/mail-to-biz/assets" (assetsPath)', accepted: "wsPath is never cached, spaPath and assetsPath cached at the edge" }],
    ["timeouts", "a health wait as long as the step timeout", { stack: "prod", set: { "nova:healthTimeoutSeconds": "1800" }, keys: "nova:stepTimeoutSeconds, nova:healthTimeoutSeconds", value: "got 1800", accepted: "nova:healthTimeoutSeconds 1800 (the health step's wait" }],
    ["timeouts", "a step timeout shorter than the default health wait", { stack: "staging", set: { "nova:stepTimeoutSeconds": "100" }, keys: "nova:stepTimeoutSeconds, nova:healthTimeoutSeconds", value: "got 100", accepted: "longer than every wait of a step" }],
    ["silent normalisation", "an empty service name", { stack: "prod", set: { "nova:serviceName": "" }, keys: "nova:serviceName", value: 'got ""', accepted: 'expected a value (leave the key out for its default "NOVA-Backend")' }],
    ["silent normalisation", "an empty SPA path", { stack: "staging", set: { "nova:spaPath": "" }, keys: "nova:spaPath", value: 'got ""', accepted: 'its default "/mail-to-biz"' }],
    ["silent normalisation", "a trailing backslash on the app directory", { stack: "staging", set: { "nova:appDirectory": "C:\\NOVA-SERVER\\" }, keys: "nova:appDirectory", value: 'got "C:\\\\NOVA-SERVER\\\\"', accepted: "without a trailing backslash" }],
    ["silent normalisation", "a trailing backslash on the log directory", { stack: "prod", set: { "nova:logDirectory": "C:\\Users\\PPZ\\NOVA-SERVER\\logs\\" }, keys: "nova:logDirectory", value: 'got "C:\\\\Users\\\\PPZ\\\\NOVA-SERVER\\\\logs\\\\"', accepted: "without a trailing backslash" }],
    ["silent normalisation", "a doubled backslash in a folder", { stack: "prod", set: { "nova:appDirectory": "C:\\Users\\\\PPZ\\NOVA-SERVER" }, keys: "nova:appDirectory", value: 'got "C:\\\\Users\\\\\\\\PPZ', accepted: "without doubled backslashes" }],
    ["interpreter", "a pythonExe naming a folder", { stack: "prod", set: { "nova:pythonExe": "C:\\Users\\PPZ\\NOVA-SERVER\\.venv\\Scripts" }, keys: "nova:pythonExe", value: 'got "C:\\\\Users\\\\PPZ\\\\NOVA-SERVER\\\\.venv\\\\Scripts"', accepted: "ending in .exe" }],
    ["interpreter", "a pythonExe naming a launcher script", { stack: "staging", set: { "nova:pythonExe": "C:\\NOVA-SERVER\\.venv\\Scripts\\python.cmd" }, keys: "nova:pythonExe", value: "python.cmd", accepted: "ending in .exe" }],
    ["foreign namespace", "a key in package.json's name as namespace", { stack: "prod", set: { "nova-infra:appPort": "8001" }, keys: "nova-infra:appPort", value: "got the namespace nova-infra:", accepted: "did you mean nova:appPort?" }],
    ["foreign namespace", "a key in a made-up namespace", { stack: "staging", set: { "app:hostname": "nova-staging.itspirit.ovh" }, keys: "app:hostname", value: "got the namespace app:", accepted: "a key of a known namespace (nova:, cloudflare:, command:, pulumi:)" }],
];

describe("mistaken combinations and silent normalisations", () => {
    it("tries more than one shape of each category", () => {
        const counts = new Map<string, number>();
        for (const [category] of MISTAKES) counts.set(category, (counts.get(category) ?? 0) + 1);
        expect([...counts.keys()]).toEqual(["management port", "duplicate address", "zone owner", "overlapping paths", "timeouts", "silent normalisation", "interpreter", "foreign namespace"]);
        for (const n of counts.values()) expect(n).toBeGreaterThan(1);
    });

    it.each(MISTAKES)("%s: %s", async (_category, _shape, m) => {
        const base = siteStack(m.stack, {}, SECRETS);
        const variant = { ...siteStack(m.stack, m.set, SECRETS), stack: m.stackName ?? m.stack };
        const { resources, error } = await withZoneStacksDir(ownerCovering(ROOT, base, variant), () => runRaw(variant));
        expect(error).toBeInstanceOf(NovaConfigError);
        const problems = (error as NovaConfigError).problems;
        expect(problems).toHaveLength(1);
        expect(problems[0].startsWith(`${m.keys}: `)).toBe(true);
        expect(problems[0]).toContain(m.value);
        expect(problems[0]).toContain(m.accepted);
        expect(resources.filter((r) => r.type !== "pulumi:pulumi:Stack")).toEqual([]);
    });
});

/** The problems of prod's site values with `set` changed, through the whole parser (no program run). */
function problemsOf(set: Record<string, string>): string[] {
    const values = siteStack("prod", set, SECRETS).values;
    return collectNovaConfig((key) => values[`nova:${key}`], "prod").problems;
}

const segment = fc.stringMatching(/^[a-z0-9][a-z0-9_-]{0,7}$/);

describe("mistaken combinations over their whole input space", () => {
    it("refuses any API or WebSocket path under the SPA path, in one message naming both keys and the value", () => {
        fc.assert(
            fc.property(fc.constantFrom("apiPath", "wsPath"), fc.array(segment, { minLength: 1, maxLength: 3 }), fc.boolean(), (key, segments, upper) => {
                const path = `/${upper ? "MAIL-TO-BIZ" : "mail-to-biz"}/${segments.join("/")}`;
                const problems = problemsOf({ [`nova:${key}`]: path });
                expect(problems).toHaveLength(1);
                expect(problems[0].startsWith(`nova:${key}, nova:spaPath`)).toBe(true);
                expect(problems[0]).toContain(`got ${JSON.stringify(path)} under "/mail-to-biz" (spaPath)`);
            }),
            { numRuns: 60 },
        );
    });

    it("refuses any never-cached path above the SPA path, and accepts paths beside it", () => {
        fc.assert(
            fc.property(fc.array(segment, { minLength: 1, maxLength: 2 }), segment, (above, beside) => {
                const spa = `/${[...above, "app"].join("/")}`;
                expect(pathOverlapProblems({ spa, assets: `${spa}/assets`, api: `/${above[0]}`, ws: "/ws", health: "/health" })).toEqual([
                    expect.stringMatching(new RegExp(`^nova:apiPath, nova:spaPath, nova:assetsPath: .*got "/${above[0]}" above "${spa}" \\(spaPath\\) and above`)),
                ]);
                fc.pre(beside !== "mail-to-biz" && beside !== "ws");
                expect(pathOverlapProblems({ spa: "/mail-to-biz", assets: "/mail-to-biz/assets", api: `/${beside}`, ws: "/ws", health: "/health" })).toEqual([]);
            }),
            { numRuns: 60 },
        );
    });

    it("refuses an app port equal to any management port, a host's or Windows' default, and accepts any other", () => {
        const host = (port: number): HostConfig => ({ port }) as HostConfig;
        fc.assert(
            fc.property(fc.array(fc.integer({ min: 1, max: 65535 }), { minLength: 1, maxLength: 4 }), fc.nat(), fc.integer({ min: 1, max: 65535 }), (ports, pick, other) => {
                const hosts = ports.map(host);
                const taken = [...MANAGEMENT_PORTS, ...ports];
                const appPort = taken[pick % taken.length];
                const problems = managementPortProblems(appPort, hosts);
                expect(problems).toHaveLength(1);
                expect(problems[0]).toMatch(new RegExp(`: expected an app port other than the hosts' management ports \\(22, 5985, 5986: ssh and WinRM; .*\\), got ${appPort}$`));
                expect(problems[0].split(": expected")[0]).toBe(["nova:appPort", ...ports.flatMap((p, i) => (p === appPort ? [`nova:hosts[${i}].port`] : []))].join(", "));
                fc.pre(!taken.includes(other));
                expect(managementPortProblems(other, hosts)).toEqual([]);
            }),
            { numRuns: 100 },
        );
    });

    it("refuses a step timeout that a health wait reaches, naming both keys and the value", () => {
        fc.assert(
            fc.property(fc.integer({ min: 55, max: 3600 }).chain((health) => fc.tuple(fc.constant(health), fc.integer({ min: 60, max: health + 5 }))), ([health, step]) => {
                expect(timeoutProblems(health, step)).toEqual([
                    expect.stringMatching(new RegExp(`^nova:stepTimeoutSeconds, nova:healthTimeoutSeconds: expected nova:stepTimeoutSeconds longer than every wait of a step \\(nova:healthTimeoutSeconds ${health} .*, got ${step}$`)),
                ]);
                expect(timeoutProblems(health, health + 3600)).toEqual([]);
            }),
            { numRuns: 100 },
        );
    });
});
