/**
 * How a script reaches a Windows host. Windows OpenSSH runs the command line through cmd.exe (its quoting
 * rules and an 8191-character limit), so the command line is fixed and small: powershell.exe with an
 * `-EncodedCommand` (UTF-16LE, base64) bootstrap. The bootstrap reads all of stdin as data, splits it at
 * a fixed separator line into the script and an optional JSON secrets document, and runs the script as
 * a ScriptBlock with the secrets object as its single argument (scripts start with `param($NovaSecrets)`).
 * Secrets therefore never appear on a command line, and `powershell -Command -` (which runs stdin line
 * by line and ignores `$ErrorActionPreference`) is not used.
 */
import { psQuote } from "../powershell";

/** The line that separates the script from the secrets document on stdin. */
export const SECRETS_SEPARATOR = "#--nova-infra-secrets--";

/** cmd.exe's command-line limit. */
export const CMD_LINE_LIMIT = 8191;
/** Upper bound accepted for an inline command (leaves room below CMD_LINE_LIMIT). */
export const INLINE_LIMIT = 8000;

const POWERSHELL = "powershell.exe -NoProfile -NonInteractive -ExecutionPolicy Bypass -EncodedCommand";

/**
 * Runs `$NovaScript` with `$NovaArgs`; exit 0 on success, 1 with the message on stderr on any error. The
 * message is written as UTF-8 bytes: `[Console]::Error` would encode it with the console's OEM code page
 * over OpenSSH, and localized (e.g. French) messages would reach the UTF-8 reader as U+FFFD.
 */
function runner(prepare: readonly string[]): string {
    return [
        "$ErrorActionPreference = 'Stop'",
        "$ProgressPreference = 'SilentlyContinue'",
        // 5.1 writes these streams to a redirected stderr as CLIXML: keep them out of the failure text.
        "$WarningPreference = 'SilentlyContinue'",
        "$InformationPreference = 'SilentlyContinue'",
        "$VerbosePreference = 'SilentlyContinue'",
        "try {",
        ...prepare.map((l) => `  ${l}`),
        "  $NovaBlock = [ScriptBlock]::Create($NovaScript)",
        "  & $NovaBlock $NovaArgs",
        "} catch {",
        "  $NovaBytes = (New-Object System.Text.UTF8Encoding $false).GetBytes([string]$_.Exception.Message + [char]10)",
        "  $NovaStderr = [Console]::OpenStandardError()",
        "  $NovaStderr.Write($NovaBytes, 0, $NovaBytes.Length)",
        "  $NovaStderr.Flush()",
        "  exit 1",
        "}",
        "exit 0",
        "",
    ].join("\n");
}

/**
 * The decoded bootstrap. Stdin is read as raw bytes and decoded as UTF-8 (rather than through
 * `[Console]::In`, whose encoding follows the console code page), so non-ASCII paths and values survive.
 */
export const BOOTSTRAP_TEXT = runner([
    "$NovaReader = New-Object System.IO.StreamReader([Console]::OpenStandardInput(), (New-Object System.Text.UTF8Encoding $false))",
    "$NovaText = $NovaReader.ReadToEnd().Replace(\"`r`n\", \"`n\")",
    `$NovaMark = "\`n" + ${psQuote(SECRETS_SEPARATOR)} + "\`n"`,
    "$NovaAt = $NovaText.IndexOf($NovaMark, [System.StringComparison]::Ordinal)",
    "$NovaArgs = New-Object PSObject",
    "$NovaScript = $NovaText",
    "if ($NovaAt -ge 0) {",
    "  $NovaScript = $NovaText.Substring(0, $NovaAt)",
    "  $NovaJson = $NovaText.Substring($NovaAt + $NovaMark.Length).Trim()",
    "  if ($NovaJson.Length -gt 0) { $NovaArgs = ConvertFrom-Json -InputObject $NovaJson }",
    "}",
]);

/** Base64 of the UTF-16LE bytes of `text`, as `-EncodedCommand` takes it. */
export function encodePowerShellCommand(text: string): string {
    return Buffer.from(text, "utf16le").toString("base64");
}

/** The fixed command line that runs the script given on stdin. */
export function bootstrapCommand(): string {
    return `${POWERSHELL} ${encodePowerShellCommand(BOOTSTRAP_TEXT)}`;
}

/**
 * The stdin document for `bootstrapCommand()`: the script, then (when there are secrets) the separator
 * line and the secrets as one line of JSON.
 */
export function buildStdin(script: string, secrets?: Readonly<Record<string, string>>): string {
    const normalized = script.replace(/\r\n/g, "\n");
    if (normalized.split("\n").some((line) => line === SECRETS_SEPARATOR)) {
        throw new Error("the script contains the secrets separator line");
    }
    const body = normalized.endsWith("\n") ? normalized : `${normalized}\n`;
    if (secrets === undefined) {
        return body;
    }
    return `${body}${SECRETS_SEPARATOR}\n${JSON.stringify(secrets)}\n`;
}

/**
 * A self-contained command line for a small, secret-free script that must run without stdin (delete
 * commands). The script travels as a quoted literal inside the encoded bootstrap.
 */
export function inlineCommand(script: string): string {
    const text = runner([`$NovaScript = ${psQuote(script)}`, "$NovaArgs = New-Object PSObject"]);
    const command = `${POWERSHELL} ${encodePowerShellCommand(text)}`;
    if (command.length > INLINE_LIMIT) {
        throw new Error(`inline command is ${command.length} characters, above ${INLINE_LIMIT}: use stdin`);
    }
    return command;
}

/** Decodes an `-EncodedCommand` argument (for tests and review tooling). */
export function decodePowerShellCommand(encoded: string): string {
    return Buffer.from(encoded, "base64").toString("utf16le");
}
