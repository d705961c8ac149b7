/**
 * The policy accepts the step bound's watchdog statement (components/host/stepBound.ts) in exactly one
 * shape: the constant watchdog script, an integer bound and a quoted message, as the line right after
 * the script's `param(...)` line. Any other `[PowerShell]::Create()` stays refused.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { renderHostStep } from "../../components/host/steps";
import { STEP_WATCHDOG, stepBoundLine, withStepBound } from "../../components/host/stepBound";
import { loadRules } from "../../policy/rules";
import { scriptAllowListViolations } from "../../policy/rules/scriptAllowList";
import { CLOUDFLARE_IPV4, CLOUDFLARE_IPV6, prodConfig, sshHost } from "../support/fixtures/configs";

beforeAll(loadRules);

const inputs = { cloudflare: { ipv4: CLOUDFLARE_IPV4, ipv6: CLOUDFLARE_IPV6 } };
const bound = { host: "rondot", step: "service", seconds: 1800 };
const create = renderHostStep("service", prodConfig, sshHost, inputs).create;
const bounded = withStepBound(create, bound);
const line = stepBoundLine(bound);
/** The bounded script with its second line replaced. */
const withLine = (l: string) => bounded.replace(line, l);

describe("the step bound's watchdog line", () => {
    it("is accepted as the program writes it", () => {
        expect(bounded.split("\n")[1]).toBe(line);
        expect(scriptAllowListViolations(create)).toEqual([]);
        expect(scriptAllowListViolations(bounded)).toEqual([]);
    });

    it.each([
        ["on another line", bounded.replace(`${line}\n`, "").replace("$ErrorActionPreference = 'Stop'\n", `$ErrorActionPreference = 'Stop'\n${line}\n`)],
        ["with another watchdog script", withLine(line.replace("Start-Sleep -Seconds $Seconds", "Invoke-Expression $Message"))],
        ["with a statement after it", withLine(`${line}; Invoke-Expression 'x'`)],
        ["with a computed bound", withLine(line.replace("AddArgument(1800)", "AddArgument((Get-Content x))"))],
        ["with a message that closes its quote", withLine(line.replace("'step service on host rondot", "'x') | Out-Null; Invoke-Expression ('y"))],
        ["a runspace of another script", withLine("$null = [PowerShell]::Create().AddScript('Start-Process calc').BeginInvoke()")],
        ["with another method at its end", withLine(line.replace(".BeginInvoke()", ".Invoke()"))],
    ])("is refused %s", (_what, script) => {
        expect(script).not.toBe(bounded);
        expect(scriptAllowListViolations(script).length).toBeGreaterThan(0);
    });

    it("the watchdog script is one line of constant text", () => {
        expect(STEP_WATCHDOG).not.toMatch(/[\r\n]/);
        expect(line).toContain(`AddArgument(1800).AddArgument('step service on host rondot did not finish within nova:stepTimeoutSeconds (1800 s)')`);
    });
});
