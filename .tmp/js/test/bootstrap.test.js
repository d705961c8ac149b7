"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
const vitest_1 = require("vitest");
const bootstrap_1 = require("../components/host/bootstrap");
const powershellParse_1 = require("./powershellParse");
(0, vitest_1.beforeAll)(powershellParse_1.initPowerShellParser);
const PREFIX = "powershell.exe -NoProfile -NonInteractive -ExecutionPolicy Bypass -EncodedCommand ";
(0, vitest_1.describe)("bootstrap command", () => {
    (0, vitest_1.it)("is the fixed powershell.exe line with the encoded bootstrap", () => {
        const cmd = (0, bootstrap_1.bootstrapCommand)();
        (0, vitest_1.expect)(cmd.startsWith(PREFIX)).toBe(true);
        (0, vitest_1.expect)((0, bootstrap_1.decodePowerShellCommand)(cmd.slice(PREFIX.length))).toBe(bootstrap_1.BOOTSTRAP_TEXT);
        (0, vitest_1.expect)(cmd).toMatch(/^[A-Za-z0-9 .\-+/=]+$/);
    });
    (0, vitest_1.it)("stays far below cmd.exe's limit", () => {
        (0, vitest_1.expect)((0, bootstrap_1.bootstrapCommand)().length).toBeLessThan(bootstrap_1.CMD_LINE_LIMIT / 2);
    });
    (0, vitest_1.it)("encodes UTF-16LE base64", () => {
        (0, vitest_1.expect)((0, bootstrap_1.encodePowerShellCommand)("é$")).toBe(Buffer.from([0xe9, 0, 0x24, 0]).toString("base64"));
    });
    (0, vitest_1.it)("reads stdin as data, splits at the separator, runs a ScriptBlock with the secrets", () => {
        (0, vitest_1.expect)((0, powershellParse_1.syntaxProblems)(bootstrap_1.BOOTSTRAP_TEXT)).toEqual([]);
        (0, vitest_1.expect)(bootstrap_1.BOOTSTRAP_TEXT).toContain("[Console]::OpenStandardInput()");
        (0, vitest_1.expect)(bootstrap_1.BOOTSTRAP_TEXT).toContain("ReadToEnd()");
        (0, vitest_1.expect)(bootstrap_1.BOOTSTRAP_TEXT).toContain(`'${bootstrap_1.SECRETS_SEPARATOR}'`);
        (0, vitest_1.expect)(bootstrap_1.BOOTSTRAP_TEXT).toContain("ConvertFrom-Json");
        (0, vitest_1.expect)(bootstrap_1.BOOTSTRAP_TEXT).toContain("[ScriptBlock]::Create($NovaScript)");
        (0, vitest_1.expect)(bootstrap_1.BOOTSTRAP_TEXT).toContain("& $NovaBlock $NovaArgs");
        (0, vitest_1.expect)(bootstrap_1.BOOTSTRAP_TEXT).toContain("$ErrorActionPreference = 'Stop'");
        (0, vitest_1.expect)(bootstrap_1.BOOTSTRAP_TEXT).toMatch(/catch \{\n\s+\[Console\]::Error\.WriteLine\(\$_\.Exception\.Message\)\n\s+exit 1/);
        (0, vitest_1.expect)(bootstrap_1.BOOTSTRAP_TEXT.trimEnd().endsWith("exit 0")).toBe(true);
    });
});
(0, vitest_1.describe)("buildStdin", () => {
    (0, vitest_1.it)("appends the separator and one JSON line only when secrets are given", () => {
        (0, vitest_1.expect)((0, bootstrap_1.buildStdin)("param($NovaSecrets)\r\nWrite-Output 1")).toBe("param($NovaSecrets)\nWrite-Output 1\n");
        const doc = (0, bootstrap_1.buildStdin)("param($NovaSecrets)\n", { tunnelToken: "a\nb\"c" });
        (0, vitest_1.expect)(doc).toBe(`param($NovaSecrets)\n${bootstrap_1.SECRETS_SEPARATOR}\n{"tunnelToken":"a\\nb\\"c"}\n`);
        const [script, json] = doc.split(`\n${bootstrap_1.SECRETS_SEPARATOR}\n`);
        (0, vitest_1.expect)(script).toBe("param($NovaSecrets)");
        (0, vitest_1.expect)(JSON.parse(json)).toEqual({ tunnelToken: "a\nb\"c" });
    });
    (0, vitest_1.it)("refuses a script that contains the separator line", () => {
        (0, vitest_1.expect)(() => (0, bootstrap_1.buildStdin)(`a\n${bootstrap_1.SECRETS_SEPARATOR}\nb`)).toThrow(/separator/);
    });
});
(0, vitest_1.describe)("inlineCommand", () => {
    (0, vitest_1.it)("carries the script as a quoted literal in the encoded command", () => {
        const script = "param($NovaSecrets)\nRemove-Item -LiteralPath 'C:\\it''s'\n";
        const cmd = (0, bootstrap_1.inlineCommand)(script);
        (0, vitest_1.expect)(cmd.startsWith(PREFIX)).toBe(true);
        const text = (0, bootstrap_1.decodePowerShellCommand)(cmd.slice(PREFIX.length));
        (0, vitest_1.expect)((0, powershellParse_1.syntaxProblems)(text)).toEqual([]);
        (0, vitest_1.expect)((0, powershellParse_1.singleQuotedValues)(text)).toContain(script);
        (0, vitest_1.expect)(text).toContain("& $NovaBlock $NovaArgs");
    });
    (0, vitest_1.it)("throws above 8000 characters", () => {
        (0, vitest_1.expect)(() => (0, bootstrap_1.inlineCommand)("x".repeat(4000))).toThrow(/above 8000/);
    });
});
