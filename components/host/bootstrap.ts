/**
 * How a script reaches a Windows host. Windows OpenSSH runs the command line through cmd.exe (its quoting
 * rules and an 8191-character limit), so the command line is fixed and small: powershell.exe with an
 * `-EncodedCommand` (UTF-16LE, base64) loader of about 260 characters. Stdin is the packed document
 * (`packStdin`): base64 of the raw-deflated text `runner NUL document`. The loader reads stdin as data
 * (`[Console]::In.ReadToEnd()`: base64 is ASCII, whatever the console code page), inflates it with
 * System.IO.Compression.DeflateStream (System.dll since .NET Framework 2.0, so Windows PowerShell 5.1
 * on Server 2019), splits it at the NUL and runs the runner (`BOOTSTRAP_TEXT`) with Invoke-Expression.
 * The runner splits the document at fixed separator lines into the script and an optional JSON secrets
 * document, and runs the script as a ScriptBlock with the secrets object as its single argument (scripts
 * start with `param($NovaSecrets)`). Secrets therefore never appear on a command line nor in code, and
 * `powershell -Command -` (which runs stdin line by line and ignores `$ErrorActionPreference`) is not used.
 * The runner travels in the packed stdin rather than on the command line: compressed text costs about a
 * third of a byte per character there, `-EncodedCommand` 2.7 bytes (UTF-16, then base64).
 *
 * Delete: the provider runs a delete with the stdin stored by the last create/update (field notes,
 * @pulumi/command 1.2.1), so that document also carries the step's delete script, after a second
 * separator line, and the delete command line is the same loader in delete mode
 * (`deleteBootstrapCommand()`): the runner then runs that part, without the secrets. A delete script
 * therefore has no size limit and the command lines stay constant.
 */
import { deflateRawSync, inflateRawSync } from "node:zlib";
import { psQuote } from "../powershell";

/** The line that separates the script from the secrets document on stdin. */
export const SECRETS_SEPARATOR = "#--nova-infra-secrets--";
/** The line before the delete script on stdin (between the create script and the secrets). */
export const DELETE_SEPARATOR = "#--nova-infra-delete--";

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
 * The runner the loader runs (`iex`), in the loader's scope: the document is `$NovaParts[1]` (inflated
 * as UTF-8, `StreamReader`'s default, so non-ASCII paths and values survive), the mode `$NovaMode`
 * ('delete', or unset for create). It splits the document (line endings as LF) at the separator lines
 * (`String.Split(string[], int, StringSplitOptions)`, .NET Framework 2.0+: ordinal, at most 2 parts):
 * create runs the text before the first separator, with the secrets; delete the text between the delete
 * separator and the secrets separator (or the end), without the secrets. It runs the script as
 * `runner()` does, in fewer characters, since every step's stdin carries it.
 */
export const BOOTSTRAP_TEXT = [
    // 5.1 writes these streams to a redirected stderr as CLIXML: keep them out of the failure text.
    "$ProgressPreference = $WarningPreference = $InformationPreference = $VerbosePreference = 'SilentlyContinue'",
    "try {",
    `  $NovaText = $NovaParts[1].Replace("\`r\`n", "\`n").Split([string[]]${lineMark(SECRETS_SEPARATOR)}, 2, [System.StringSplitOptions]0)`,
    `  $NovaCode = $NovaText[0].Split([string[]]${lineMark(DELETE_SEPARATOR)}, 2, [System.StringSplitOptions]0)`,
    "  $NovaArgs = New-Object PSObject",
    "  if ($NovaMode -eq 'delete') {",
    "    if ($NovaCode.Count -lt 2) { throw 'the stdin document has no delete script' }",
    "    $NovaScript = $NovaCode[1]",
    "  } else {",
    "    $NovaScript = $NovaCode[0]",
    "    if ($NovaText.Count -gt 1 -and $NovaText[1].Trim()) { $NovaArgs = ConvertFrom-Json $NovaText[1] }",
    "  }",
    "  $NovaBlock = [ScriptBlock]::Create($NovaScript)",
    "  & $NovaBlock $NovaArgs",
    "} catch {",
    "  $NovaBytes = [System.Text.Encoding]::UTF8.GetBytes([string]$_.Exception.Message + \"`n\")",
    "  $NovaStderr = [Console]::OpenStandardError()",
    "  $NovaStderr.Write($NovaBytes, 0, $NovaBytes.Length)",
    "  $NovaStderr.Flush()",
    "  exit 1",
    "}",
    "exit 0",
    "",
].join("\n");

/** A separator line with its line breaks, as a PowerShell expression. */
function lineMark(line: string): string {
    return `("\`n" + ${psQuote(line)} + "\`n")`;
}

/**
 * The command line's decoded text in `mode`: reads the packed stdin, inflates it and runs its first part,
 * the runner, with `$NovaParts[1]`, the document, at hand. Mode 0 of DeflateStream is Decompress (written
 * as the enum: an int 0 would also match the CompressionLevel overload of .NET Framework 4.5+). The create
 * loader sets no `$NovaMode` (the runner's default), which keeps the line every step stores short.
 */
export function loaderText(mode: "create" | "delete"): string {
    return (
        `$ErrorActionPreference='Stop';${mode === "delete" ? "$NovaMode='delete';" : ""}` +
        "$NovaParts=[IO.StreamReader]::new([IO.Compression.DeflateStream]::new([IO.MemoryStream]::new(" +
        "[Convert]::FromBase64String([Console]::In.ReadToEnd())),[IO.Compression.CompressionMode]0)).ReadToEnd().Split([char]0);iex $NovaParts[0]"
    );
}

/** The loader that runs a step's create (or update) script. */
export const LOADER_TEXT = loaderText("create");
/** The loader that runs a step's delete script from the same stdin. */
export const DELETE_LOADER_TEXT = loaderText("delete");

/** Base64 of the UTF-16LE bytes of `text`, as `-EncodedCommand` takes it. */
export function encodePowerShellCommand(text: string): string {
    return Buffer.from(text, "utf16le").toString("base64");
}

/** The fixed command line that runs the create script of the packed stdin (`hostStdin`). */
export function bootstrapCommand(): string {
    return `${POWERSHELL} ${encodePowerShellCommand(LOADER_TEXT)}`;
}

/** The fixed command line that runs the delete script of the packed stdin. */
export function deleteBootstrapCommand(): string {
    return `${POWERSHELL} ${encodePowerShellCommand(DELETE_LOADER_TEXT)}`;
}

/**
 * What the command lines read on stdin: base64 of the raw deflate (zlib level 9, no header, so the same
 * bytes on every platform) of `BOOTSTRAP_TEXT`, NUL, `document`. Deterministic for one zlib build: a
 * Node.js upgrade that changes zlib's output re-runs each step once (they are idempotent).
 */
export function packStdin(document: string): string {
    if (document.includes("\0")) throw new Error("the stdin document contains a NUL character");
    return deflateRawSync(Buffer.from(`${BOOTSTRAP_TEXT}\0${document}`, "utf8"), { level: 9 }).toString("base64");
}

/** The document a packed stdin carries (for the policy pack, the WinRM runner, review tooling and tests); throws when it is not `packStdin`'s. */
export function unpackStdin(packed: string): string {
    let text: string;
    try {
        if (!/^[A-Za-z0-9+/]*={0,2}\s*$/.test(packed)) throw new Error("not base64");
        text = inflateRawSync(Buffer.from(packed, "base64")).toString("utf8");
    } catch (err) {
        throw new Error(`stdin is not a packed document (${(err as Error).message})`);
    }
    const at = text.indexOf("\0");
    if (at < 0 || text.slice(0, at) !== BOOTSTRAP_TEXT) throw new Error("stdin is not a packed document: its runner is not BOOTSTRAP_TEXT");
    return text.slice(at + 1);
}

/** The document of a stdin: unpacked when it is packed, else the text as given (states written before the packing). */
export function stdinDocument(stdin: string): string {
    try {
        return unpackStdin(stdin);
    } catch {
        return stdin;
    }
}

/** The stdin of the command lines for a script, its secrets and its delete script: `packStdin(buildStdin(...))`. */
export function hostStdin(script: string, secrets?: Readonly<Record<string, string>>, deleteScript?: string): string {
    return packStdin(buildStdin(script, secrets, deleteScript));
}

/**
 * The stdin document (packed by `packStdin` for `bootstrapCommand()`): the script, then (when given) the delete separator line
 * and the delete script, then (when there are secrets) the separator line and the secrets as one line of JSON.
 */
export function buildStdin(script: string, secrets?: Readonly<Record<string, string>>, deleteScript?: string): string {
    const part = (text: string): string => {
        const normalized = text.replace(/\r\n/g, "\n");
        if (normalized.split("\n").some((line) => line === SECRETS_SEPARATOR || line === DELETE_SEPARATOR)) {
            throw new Error("the script contains a separator line of the stdin document");
        }
        return normalized.endsWith("\n") ? normalized : `${normalized}\n`;
    };
    const body = part(script) + (deleteScript === undefined ? "" : `${DELETE_SEPARATOR}\n${part(deleteScript)}`);
    if (secrets === undefined) {
        return body;
    }
    return `${body}${SECRETS_SEPARATOR}\n${JSON.stringify(secrets)}\n`;
}

/** The parts of a stdin document: the create script, the delete script (if any), the secrets JSON text (if any). */
export function splitStdin(document: string): { create: string; delete?: string; secrets?: string } {
    const lines = document.replace(/\r\n/g, "\n").split("\n");
    const at = lines.indexOf(SECRETS_SEPARATOR);
    const scripts = at < 0 ? lines : lines.slice(0, at);
    const del = scripts.indexOf(DELETE_SEPARATOR);
    const join = (l: string[]): string => (l.length > 0 && l[l.length - 1] === "" ? l.join("\n") : `${l.join("\n")}\n`);
    return {
        create: join(del < 0 ? scripts : scripts.slice(0, del)),
        ...(del < 0 ? {} : { delete: join(scripts.slice(del + 1)) }),
        ...(at < 0 ? {} : { secrets: lines.slice(at + 1).join("\n").trim() }),
    };
}

/**
 * A self-contained command line for a small, secret-free script that must run without stdin. The script
 * travels as a quoted literal inside the encoded bootstrap. Delete commands of stacks upped before the
 * delete script moved to stdin have this shape (the policy still recognises it).
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
