import { beforeAll, describe, expect, it } from "vitest";
import {
    BOOTSTRAP_TEXT,
    CMD_LINE_LIMIT,
    SECRETS_SEPARATOR,
    bootstrapCommand,
    buildStdin,
    decodePowerShellCommand,
    encodePowerShellCommand,
    inlineCommand,
} from "../../../components/host/bootstrap";
import { initPowerShellParser, singleQuotedValues, syntaxProblems } from "../../support/powershellParse";

beforeAll(initPowerShellParser);

const PREFIX = "powershell.exe -NoProfile -NonInteractive -ExecutionPolicy Bypass -EncodedCommand ";

describe("bootstrap command", () => {
    it("is the fixed powershell.exe line with the encoded bootstrap", () => {
        const cmd = bootstrapCommand();
        expect(cmd.startsWith(PREFIX)).toBe(true);
        expect(decodePowerShellCommand(cmd.slice(PREFIX.length))).toBe(BOOTSTRAP_TEXT);
        expect(cmd).toMatch(/^[A-Za-z0-9 .\-+/=]+$/);
    });

    it("stays far below cmd.exe's limit", () => {
        expect(bootstrapCommand().length).toBeLessThan(CMD_LINE_LIMIT / 2);
    });

    it("encodes UTF-16LE base64", () => {
        expect(encodePowerShellCommand("é$")).toBe(Buffer.from([0xe9, 0, 0x24, 0]).toString("base64"));
    });

    it("reads stdin as data, splits at the separator, runs a ScriptBlock with the secrets", () => {
        expect(syntaxProblems(BOOTSTRAP_TEXT)).toEqual([]);
        expect(BOOTSTRAP_TEXT).toContain("[Console]::OpenStandardInput()");
        expect(BOOTSTRAP_TEXT).toContain("ReadToEnd()");
        expect(BOOTSTRAP_TEXT).toContain(`'${SECRETS_SEPARATOR}'`);
        expect(BOOTSTRAP_TEXT).toContain("ConvertFrom-Json");
        expect(BOOTSTRAP_TEXT).toContain("[ScriptBlock]::Create($NovaScript)");
        expect(BOOTSTRAP_TEXT).toContain("& $NovaBlock $NovaArgs");
        expect(BOOTSTRAP_TEXT).toContain("$ErrorActionPreference = 'Stop'");
        expect(BOOTSTRAP_TEXT).toContain(
            [
                "} catch {",
                "  $NovaBytes = (New-Object System.Text.UTF8Encoding $false).GetBytes([string]$_.Exception.Message + [char]10)",
                "  $NovaStderr = [Console]::OpenStandardError()",
                "  $NovaStderr.Write($NovaBytes, 0, $NovaBytes.Length)",
                "  $NovaStderr.Flush()",
                "  exit 1",
                "}",
            ].join("\n"),
        );
        // Not through [Console]::Error, which encodes with the console's (OEM) code page.
        expect(BOOTSTRAP_TEXT).not.toContain("[Console]::Error");
        expect(BOOTSTRAP_TEXT.trimEnd().endsWith("exit 0")).toBe(true);
    });
});

describe("buildStdin", () => {
    it("appends the separator and one JSON line only when secrets are given", () => {
        expect(buildStdin("param($NovaSecrets)\r\nWrite-Output 1")).toBe("param($NovaSecrets)\nWrite-Output 1\n");
        const doc = buildStdin("param($NovaSecrets)\n", { tunnelToken: "a\nb\"c" });
        expect(doc).toBe(`param($NovaSecrets)\n${SECRETS_SEPARATOR}\n{"tunnelToken":"a\\nb\\"c"}\n`);
        const [script, json] = doc.split(`\n${SECRETS_SEPARATOR}\n`);
        expect(script).toBe("param($NovaSecrets)");
        expect(JSON.parse(json)).toEqual({ tunnelToken: "a\nb\"c" });
    });

    it("refuses a script that contains the separator line", () => {
        expect(() => buildStdin(`a\n${SECRETS_SEPARATOR}\nb`)).toThrow(/separator/);
    });
});

describe("inlineCommand", () => {
    it("carries the script as a quoted literal in the encoded command", () => {
        const script = "param($NovaSecrets)\nRemove-Item -LiteralPath 'C:\\it''s'\n";
        const cmd = inlineCommand(script);
        expect(cmd.startsWith(PREFIX)).toBe(true);
        const text = decodePowerShellCommand(cmd.slice(PREFIX.length));
        expect(syntaxProblems(text)).toEqual([]);
        expect(singleQuotedValues(text)).toContain(script);
        expect(text).toContain("& $NovaBlock $NovaArgs");
    });

    it("throws above 8000 characters", () => {
        expect(() => inlineCommand("x".repeat(4000))).toThrow(/above 8000/);
    });
});
