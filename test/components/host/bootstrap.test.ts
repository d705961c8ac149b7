import { deflateRawSync, inflateRawSync } from "node:zlib";
import { beforeAll, describe, expect, it } from "vitest";
import {
    BOOTSTRAP_TEXT,
    DELETE_LOADER_TEXT,
    LOADER_TEXT,
    deleteBootstrapCommand,
    packStdin,
    stdinDocument,
    unpackStdin,
    CMD_LINE_LIMIT,
    DELETE_SEPARATOR,
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
    it("is the fixed powershell.exe line with the encoded loader, in create or delete mode", () => {
        for (const [cmd, text] of [[bootstrapCommand(), LOADER_TEXT], [deleteBootstrapCommand(), DELETE_LOADER_TEXT]]) {
            expect(cmd.startsWith(PREFIX)).toBe(true);
            expect(decodePowerShellCommand(cmd.slice(PREFIX.length))).toBe(text);
            expect(cmd).toMatch(/^[A-Za-z0-9 .\-+/=]+$/);
        }
        // The create loader leaves $NovaMode unset (the runner's default); the delete loader sets it.
        expect(LOADER_TEXT.replace("$ErrorActionPreference='Stop';", "$ErrorActionPreference='Stop';$NovaMode='delete';")).toBe(DELETE_LOADER_TEXT);
        expect(LOADER_TEXT).not.toContain("$NovaMode");
    });

    it("stays far below cmd.exe's limit, and small: it is stored and sent with every step", () => {
        expect(bootstrapCommand().length).toBeLessThan(CMD_LINE_LIMIT / 2);
        expect(bootstrapCommand().length).toBeLessThan(1000);
        expect(deleteBootstrapCommand().length).toBeLessThan(1000);
    });

    it("encodes UTF-16LE base64", () => {
        expect(encodePowerShellCommand("é$")).toBe(Buffer.from([0xe9, 0, 0x24, 0]).toString("base64"));
    });

    it("reads stdin as data, splits at the separator, runs a ScriptBlock with the secrets", () => {
        expect(syntaxProblems(BOOTSTRAP_TEXT)).toEqual([]);
        expect(syntaxProblems(LOADER_TEXT)).toEqual([]);
        // The loader reads stdin as ASCII base64, inflates it and runs the runner (part 0) with the document (part 1) at hand.
        expect(LOADER_TEXT).toContain("[Console]::In.ReadToEnd()");
        expect(LOADER_TEXT).toContain("[IO.Compression.DeflateStream]::new(");
        expect(LOADER_TEXT).toContain("[IO.Compression.CompressionMode]0");
        expect(LOADER_TEXT).toContain(".Split([char]0);iex $NovaParts[0]");
        expect(BOOTSTRAP_TEXT).toContain("$NovaText = $NovaParts[1]");
        expect(BOOTSTRAP_TEXT).toContain(`("\`n" + '${SECRETS_SEPARATOR}' + "\`n")`);
        expect(BOOTSTRAP_TEXT).toContain(`("\`n" + '${DELETE_SEPARATOR}' + "\`n")`);
        expect(BOOTSTRAP_TEXT).toContain("ConvertFrom-Json");
        expect(BOOTSTRAP_TEXT).toContain("  $NovaBlock = [ScriptBlock]::Create($NovaScript)\n  & $NovaBlock $NovaArgs\n");
        // The loader sets $ErrorActionPreference before it runs the runner, in the same scope.
        expect(LOADER_TEXT.startsWith("$ErrorActionPreference='Stop';")).toBe(true);
        // The failure path (exit 1, the message alone on stderr as UTF-8) is executed in deleteBootstrap.ps.test.ts.
        // Not through [Console]::Error, which encodes with the console's (OEM) code page.
        expect(BOOTSTRAP_TEXT).not.toContain("[Console]::Error");
        expect(BOOTSTRAP_TEXT.trimEnd().endsWith("exit 0")).toBe(true);
    });
});

describe("packStdin", () => {
    it("deflates the runner, NUL and the document, and unpacks to the document exactly", () => {
        const doc = buildStdin("param($NovaSecrets)\nWrite-Output 'é ✓'\n", { tunnelToken: "t" }, "param($NovaSecrets)\nWrite-Output 'del'\n");
        const packed = packStdin(doc);
        expect(packed).toMatch(/^[A-Za-z0-9+/]+=*$/);
        expect(inflateRawSync(Buffer.from(packed, "base64")).toString("utf8")).toBe(`${BOOTSTRAP_TEXT}\0${doc}`);
        expect(unpackStdin(packed)).toBe(doc);
        expect(stdinDocument(packed)).toBe(doc);
        expect(packStdin(doc)).toBe(packed);
    });

    it("refuses a NUL in the document and anything that is not its own output; a plain document (older states) reads as it is", () => {
        expect(() => packStdin("a\0b")).toThrow("NUL");
        expect(() => unpackStdin("Write-Output 1")).toThrow("stdin is not a packed document");
        expect(() => unpackStdin(deflateRawSync(Buffer.from("other\0doc")).toString("base64"))).toThrow("its runner is not BOOTSTRAP_TEXT");
        expect(stdinDocument("param($NovaSecrets)\nWrite-Output 1\n")).toBe("param($NovaSecrets)\nWrite-Output 1\n");
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
