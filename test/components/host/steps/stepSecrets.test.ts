/**
 * No host step prints a secret: the rendered scripts read `$NovaSecrets` only where the value goes to a
 * hash, to the token file or to the service's registry environment, never into a native command's
 * arguments, a message or the JSON line; a secret requirement that is not met names only its item.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { renderHostSteps } from "../../../../components/host/steps";
import { TOKEN_FILE_SDDL } from "../../../../components/host/steps/cloudflared";
import { renderCreate } from "../../../../components/host/script";
import type { NovaConfig } from "../../../../components/types";
import { CLOUDFLARE_IPV4, CLOUDFLARE_IPV6, prodConfig, sshHost, stagingConfig, winrmHost, withMode } from "../../../support/fixtures/configs";
import { initPowerShellParser, singleQuotedValues, syntaxProblems } from "../../../support/powershellParse";

beforeAll(initPowerShellParser);

const inputs = { cloudflare: { ipv4: CLOUDFLARE_IPV4, ipv6: CLOUDFLARE_IPV6 } };
const configs: [string, NovaConfig][] = [
    ["prod", prodConfig],
    ["staging", stagingConfig],
    ["staging as tunnel", withMode(stagingConfig, "tunnel")],
];
const scripts = configs.flatMap(([label, cfg]) =>
    [sshHost, winrmHost].flatMap((host) =>
        renderHostSteps(cfg, host, inputs).flatMap((step) =>
            Object.entries(step.scripts).map(([kind, text]) => ({ where: `${label} ${host.transport} ${step.name} ${kind}`, text: text as string })),
        ),
    ),
);

/** The only statements that read a secret: each sends the value to a hash, a file or the registry value. */
const SECRET_READS = new Set([
    "$desired = (Get-NovaStringHash (Get-NovaSecret 'tunnelToken'))",
    "Write-NovaTokenFile (Get-NovaSecret 'tunnelToken')",
    "$value = Get-NovaSecret ('env:' + $key)",
]);

describe("secret values in the step scripts", () => {
    it("are read only by the statements that hash them or write them where the service reads them", () => {
        const reads = scripts.flatMap(({ where, text }) =>
            text
                .split("\n")
                .map((l) => l.trim())
                .filter((l) => l.includes("Get-NovaSecret") && !l.startsWith("function Get-NovaSecret"))
                .map((line) => ({ where, line, allowed: SECRET_READS.has(line) })),
        );
        expect(reads.filter((r) => !r.allowed)).toEqual([]);
        // Each allowed read occurs in some script, so the list above cannot go stale silently.
        expect(new Set(reads.map((r) => r.line))).toEqual(SECRET_READS);
    });

    it("never reach a native command's arguments (a process command line is logged by process auditing)", () => {
        const native = scripts.flatMap(({ where, text }) =>
            text
                .split("\n")
                .filter((l) => /Invoke-NovaNative\s+\S+\s+[@(]/.test(l) || /&\s*\$FilePath/.test(l))
                .map((line) => ({ where, line })),
        );
        expect(native.some((n) => n.line.includes("@('service', 'install')"))).toBe(true);
        expect(native.filter((n) => /NovaSecret|\$Token\b|\$value\b|\$desired\b/.test(n.line))).toEqual([]);
    });

    it("are written to the token file with cloudflared's own descriptor, and the service reads that file", () => {
        const create = scripts.find((s) => s.where === "prod ssh cloudflared create")?.text as string;
        expect(syntaxProblems(create)).toEqual([]);
        expect(singleQuotedValues(create.split("\n").find((l) => l.startsWith("$NovaTokenSddl = ")) as string)).toEqual([TOKEN_FILE_SDDL]);
        expect(TOKEN_FILE_SDDL).toBe("O:BAD:P(A;;FA;;;BA)(A;;FA;;;SY)");
        expect(create).toContain("$stream = [System.IO.File]::Create($NovaTokenFile, 4096, [System.IO.FileOptions]::None, $security)");
        expect(create).toContain("if (Test-Path -LiteralPath $NovaTokenFile -PathType Leaf) { Set-Acl -LiteralPath $NovaTokenFile -AclObject $security }");
        expect(create).toContain(`function Get-NovaTunnelCommandLine { return ('"' + $NovaCloudflared + '" tunnel run --token-file "' + $NovaTokenFile + '"') }`);
        expect(create).toContain("Invoke-CimMethod -InputObject $service -MethodName Change -Arguments @{ PathName = (Get-NovaTunnelCommandLine) }");
        // The file is restricted before the token is written into it.
        expect(create.indexOf("Set-Acl -LiteralPath $NovaTokenFile")).toBeLessThan(create.indexOf("$stream.Write($bytes"));
    });
});

describe("a secret requirement that is not met", () => {
    const check = { item: "token", desired: "(Get-NovaStringHash 'x')", actual: "'y'" };
    it("names the item without its values", () => {
        const create = renderCreate("demo", { checks: [{ ...check, secret: true }] });
        expect(create).toContain("$NovaFailures.Add(('token' + ': differs (values hidden)'))");
        expect(create).not.toContain("+ [string]$desired");
        expect(syntaxProblems(create)).toEqual([]);
    });

    it("while a plain one shows what was expected and found", () => {
        const create = renderCreate("demo", { checks: [check] });
        expect(create).toContain("$NovaFailures.Add(('token' + ': expected ' + [string]$desired + ', found ' + [string]$actual))");
    });
});
