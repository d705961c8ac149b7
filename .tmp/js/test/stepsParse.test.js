"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
const vitest_1 = require("vitest");
const bootstrap_1 = require("../components/host/bootstrap");
const steps_1 = require("../components/host/steps");
const configs_1 = require("./fixtures/configs");
const powershellParse_1 = require("./powershellParse");
(0, vitest_1.beforeAll)(powershellParse_1.initPowerShellParser);
const inputs = { cloudflare: { ipv4: configs_1.CLOUDFLARE_IPV4, ipv6: configs_1.CLOUDFLARE_IPV6 } };
const cases = [];
for (const [label, cfg] of [["prod", configs_1.prodConfig], ["staging", configs_1.stagingConfig]]) {
    for (const mode of ["tunnel", "direct"]) {
        for (const host of [configs_1.sshHost, configs_1.winrmHost]) {
            cases.push([`${label}/${mode}/${host.transport}`, (0, configs_1.withMode)(cfg, mode), host]);
        }
    }
}
vitest_1.describe.each(cases)("rendered scripts (%s)", (_label, cfg, host) => {
    const steps = (0, steps_1.renderHostSteps)(cfg, host, inputs);
    (0, vitest_1.it)("renders every applicable step", () => {
        const names = steps.map((s) => s.name);
        (0, vitest_1.expect)(names).toEqual(cfg.ingressMode === "tunnel"
            ? ["preflight", "tools", "dotenv", "service", "cloudflared", "firewall", "health"]
            : ["preflight", "tools", "dotenv", "service", "firewall", "health"]);
    });
    for (const kind of ["create", "audit", "delete"]) {
        (0, vitest_1.it)(`${kind} scripts parse without error nodes`, () => {
            for (const step of steps) {
                const text = step.scripts[kind];
                if (text === undefined)
                    continue;
                (0, vitest_1.expect)({ step: step.name, problems: (0, powershellParse_1.syntaxProblems)(text) }).toEqual({ step: step.name, problems: [] });
                (0, vitest_1.expect)(text.startsWith("param($NovaSecrets)\n")).toBe(true);
            }
        });
    }
    (0, vitest_1.it)("delete scripts fit an inline command", () => {
        for (const step of steps) {
            if (step.scripts.delete === undefined)
                continue;
            (0, vitest_1.expect)((0, bootstrap_1.inlineCommand)(step.scripts.delete).length).toBeLessThanOrEqual(bootstrap_1.INLINE_LIMIT);
        }
    });
});
(0, vitest_1.describe)("bootstrap text", () => {
    (0, vitest_1.it)("parses without error nodes and keeps the command line short", () => {
        (0, vitest_1.expect)((0, powershellParse_1.syntaxProblems)(bootstrap_1.BOOTSTRAP_TEXT)).toEqual([]);
        (0, vitest_1.expect)((0, bootstrap_1.bootstrapCommand)().length).toBeLessThan(4000);
    });
});
