import { beforeAll, describe, expect, it } from "vitest";
import { BOOTSTRAP_TEXT, INLINE_LIMIT, LOADER_TEXT, bootstrapCommand, splitStdin, unpackStdin } from "../../../../components/host/bootstrap";
import { sshCommandLines, stepStdin } from "../../../../components/host/commands";
import { winrmCommandLines } from "../../../../components/host/winrmRunner";
import { renderHostSteps } from "../../../../components/host/steps";
import type { HostConfig, NovaConfig } from "../../../../components/types";
import { CLOUDFLARE_IPV4, CLOUDFLARE_IPV6, prodConfig, sshHost, stagingConfig, winrmHost, withMode } from "../../../support/fixtures/configs";
import { initPowerShellParser, syntaxProblems } from "../../../support/powershellParse";

beforeAll(initPowerShellParser);

const inputs = { cloudflare: { ipv4: CLOUDFLARE_IPV4, ipv6: CLOUDFLARE_IPV6 } };

const cases: [string, NovaConfig, HostConfig][] = [];
for (const [label, cfg] of [["prod", prodConfig], ["staging", stagingConfig]] as const) {
    for (const mode of ["tunnel", "direct"] as const) {
        for (const host of [sshHost, winrmHost]) {
            cases.push([`${label}/${mode}/${host.transport}`, withMode(cfg, mode), host]);
        }
    }
}

describe.each(cases)("rendered scripts (%s)", (_label, cfg, host) => {
    const steps = renderHostSteps(cfg, host, inputs);

    it("renders every applicable step", () => {
        const names = steps.map((s) => s.name);
        expect(names).toEqual(
            cfg.ingressMode === "tunnel"
                ? ["preflight", "tools", "dotenv", "service", "cloudflared", "firewall", "health"]
                : ["preflight", "tools", "dotenv", "certificate-request", "certificate", "service", "firewall", "health"],
        );
    });

    for (const kind of ["create", "audit", "delete"] as const) {
        it(`${kind} scripts parse without error nodes`, () => {
            for (const step of steps) {
                const text = step.scripts[kind];
                if (text === undefined) continue;
                expect({ step: step.name, problems: syntaxProblems(text) }).toEqual({ step: step.name, problems: [] });
                expect(text.startsWith("param($NovaSecrets)\n")).toBe(true);
            }
        });
    }

    it("delete scripts travel in the stdin document, behind a command line within the inline limit", () => {
        for (const step of steps) {
            if (step.scripts.delete === undefined) continue;
            const lines = host.transport === "ssh" ? sshCommandLines(step.scripts) : winrmCommandLines(step.scripts);
            for (const line of [lines.create, lines.update, lines.delete!]) expect(line.length).toBeLessThanOrEqual(INLINE_LIMIT);
            expect(lines.delete).not.toContain("param(");
            expect(splitStdin(unpackStdin(stepStdin(step.scripts))).delete).toBe(step.scripts.delete);
        }
    });
});

describe("bootstrap text", () => {
    it("parses without error nodes and keeps the command line short", () => {
        expect(syntaxProblems(BOOTSTRAP_TEXT)).toEqual([]);
        expect(syntaxProblems(LOADER_TEXT)).toEqual([]);
        expect(bootstrapCommand().length).toBeLessThan(4000);
    });
});
