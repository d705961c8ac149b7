import { describe, expect, it } from "vitest";
import { bootstrapCommand } from "../../../../components/host/bootstrap";
import { sshCommandLines, stepStdin } from "../../../../components/host/commands";
import { renderHostSteps } from "../../../../components/host/steps";
import type { NovaConfig } from "../../../../components/types";
import { FAKE_SECRETS, prodConfig, sshHost, stagingConfig, winrmHost, withMode } from "../../../support/fixtures/configs";
import { nodesOfType, parsePowerShell } from "../../../support/powershellParse";
import { inputs } from "./stepsSupport";

describe("all scripts", () => {
    const all = (cfg: NovaConfig) =>
        [sshHost, winrmHost].flatMap((h) => renderHostSteps(cfg, h, inputs)).flatMap((s) =>
            [s.scripts.create, s.scripts.audit, s.scripts.delete].filter((t): t is string => t !== undefined));
    const configs = [prodConfig, stagingConfig, withMode(prodConfig, "direct"), withMode(stagingConfig, "tunnel")];

    it("contain no secret value, nor do the command lines", () => {
        for (const cfg of configs) {
            const texts = [...all(cfg), bootstrapCommand()];
            for (const step of renderHostSteps(cfg, sshHost, inputs)) {
                const lines = sshCommandLines(step.scripts);
                texts.push(lines.create, ...(lines.delete ? [lines.delete] : []), stepStdin(step.scripts));
            }
            for (const text of texts) {
                for (const secret of Object.values(FAKE_SECRETS)) expect(text).not.toContain(secret);
            }
        }
    });

    it("render byte-identically twice and use no clock, randomness or GUID", () => {
        for (const cfg of configs) {
            expect(all(cfg)).toEqual(all(cfg));
            for (const text of all(cfg)) expect(text).not.toMatch(/Get-Date|Get-Random|New-Guid|\[guid\]|NewGuid/i);
        }
    });

    it("print one JSON line with the step name", () => {
        for (const step of renderHostSteps(prodConfig, sshHost, inputs)) {
            expect(step.scripts.create).toContain(`Write-NovaJson ([ordered]@{ step = '${step.name}'; changed = @($NovaChanged) })`);
            expect(step.scripts.audit).toContain(`Write-NovaJson ([ordered]@{ step = '${step.name}'; items = $NovaItems.ToArray() })`);
            expect(step.scripts.create.match(/Write-NovaJson \(/g)).toHaveLength(1);
        }
    });

    it("print that line in ASCII only, other characters as \\uXXXX escapes", () => {
        for (const step of renderHostSteps(prodConfig, sshHost, inputs)) {
            expect(step.scripts.create).toContain(
                [
                    "function Write-NovaJson($Value) {",
                    "  $json = ConvertTo-Json -InputObject $Value -Compress -Depth 5",
                    "  [Console]::Out.WriteLine([regex]::Replace($json, '[^\\x00-\\x7F]', { param($m) '\\u' + ([int][char]$m.Value).ToString('x4') }))",
                    "}",
                ].join("\n"),
            );
        }
    });

    it("keep hostile configuration values inside single-quoted literals", () => {
        const mark = "ZZMARK";
        const hostile = `${mark}$(Remove-Item C:\\)\`n"'’;|&`;
        const cfg: NovaConfig = {
            ...stagingConfig,
            stack: `${mark}stack`,
            service: {
                ...stagingConfig.service,
                name: `${mark}svc`,
                appDirectory: `C:\\${hostile}`,
                pythonExe: `C:\\${hostile}\\python.exe`,
                entryPoint: `${mark}main.py`,
                appModule: "main:app",
                logDirectory: `C:\\${hostile}\\logs`,
            },
            appEnv: { HOSTILE: hostile },
            appSecretEnvKeys: [`${mark}_KEY`],
            paths: { ...stagingConfig.paths, health: `/${mark}` },
        };
        for (const mode of ["direct", "tunnel"] as const) {
            for (const text of all(withMode(cfg, mode))) {
                const literals = nodesOfType(parsePowerShell(text), "verbatim_string_characters").map((n) => [n.startIndex, n.endIndex]);
                let at = text.indexOf(mark);
                while (at !== -1) {
                    expect(literals.some(([s, e]) => s < at && at < e), `${mark} at ${at}: ${text.slice(at - 40, at + 20)}`).toBe(true);
                    at = text.indexOf(mark, at + 1);
                }
            }
        }
    });
});
