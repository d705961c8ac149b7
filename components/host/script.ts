/**
 * Shared shape of every host step script. A step is a list of checks; each check names an item, a
 * PowerShell expression for the desired value and one for the actual value, and (for things we manage)
 * the statements that make actual equal desired. From that one list come:
 * - the create script: for each check, test, and run the fix only when it differs ("test, then set only
 *   what differs"); checks without a fix are requirements, and any unmet one fails the step with a message
 *   naming each; it prints one JSON line `{"step":..., "changed":[...]}`;
 * - the audit script: the tests only, changing nothing; it prints one JSON line
 *   `{"step":..., "items":[{"item","desired","actual","ok"}]}`.
 * Scripts are deterministic: no dates, random values or GUIDs in their text.
 * Warning, information and verbose streams are silenced: Windows PowerShell 5.1 run with -EncodedCommand
 * and a redirected stderr writes them there as CLIXML (`Stop-Service`'s "waiting for service to stop"),
 * which would bury the one-line failure message.
 * The JSON line is pure ASCII (other characters as `\uXXXX` escapes): stdout is encoded with the console's
 * code page (the OEM one, e.g. 850, over OpenSSH), which a UTF-8 reader would turn into U+FFFD.
 */
import { psQuote } from "../powershell";
import { shakeHelpers } from "./shake";

/** What a step renders. `delete` is absent when the step owns nothing on the host. */
export interface StepScripts {
    readonly create: string;
    readonly delete?: string;
    readonly audit: string;
}

export interface Check {
    /** Stable item name (appears in the JSON output). */
    readonly item: string;
    /** PowerShell expression for the desired value. */
    readonly desired: string;
    /** PowerShell expression for the actual value. */
    readonly actual: string;
    /** PowerShell boolean expression over `$desired`/`$actual`; default: case-sensitive string equality. */
    readonly ok?: string;
    /** Statements that make it so (may use `$desired`/`$actual`); absent for a requirement. */
    readonly fix?: string;
    /** Values are secret: the audit prints `(hidden)` instead of them, and an unmet requirement names only the item. */
    readonly secret?: boolean;
    /** Reported by the audit only; the create script skips it. */
    readonly auditOnly?: boolean;
}

/**
 * Functions every script may use. Constant text: no configuration value is ever part of it. `core(false)`
 * is all a delete script gets (delete scripts are given no secrets).
 *
 * Create and audit scripts (`core(true)`, the ones given a secrets document) put a failing native
 * program's output (stdout and stderr, merged) into Invoke-NovaNative's error only after
 * Hide-NovaSecretText: a program may print what it was given (a token in its own error text). It replaces
 * by `(hidden)`, for every value of the step's secrets document (`$NovaSecrets`, which the script only
 * ever holds raw): the value (line breaks as LF, as the joined output has them), each of its lines (a
 * multi-line value printed in part), and the base64 (UTF-8) and URL-encoded (RFC 3986: every byte of its
 * UTF-8 but the unreserved `A-Za-z0-9-._~` as `%XX`, written out rather than `[Uri]::EscapeDataString`,
 * which escapes by RFC 2396 by default on .NET Framework) forms, the encodings of a program that passes a
 * value on (a header, a query), of the value as given. Forms shorter than six characters are left
 * alone (they would blank unrelated text). The secret is never an argument of a
 * program: the masking happens in the script, on the output it captured.
 */
function core(mask: boolean): string {
    const hide = String.raw`function Hide-NovaSecretText([string]$Text) {
  foreach ($entry in @($NovaSecrets.PSObject.Properties)) {
    $held = [string]$entry.Value
    $lf = $held.Replace([string][char]13, '')
    $escaped = [regex]::Replace($held, '[^A-Za-z0-9_.~-]', { param($ch) -join ([System.Text.Encoding]::UTF8.GetBytes($ch.Value) | ForEach-Object { '%' + $_.ToString('X2') }) })
    foreach ($form in @($lf, [Convert]::ToBase64String([System.Text.Encoding]::UTF8.GetBytes($held)), $escaped) + $lf.Split([char]10)) { if ($form.Trim().Length -ge 6) { $Text = $Text.Replace($form, '(hidden)') } }
  }
  return $Text
}
`;
    return String.raw`param($NovaSecrets)
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
$WarningPreference = 'SilentlyContinue'
$InformationPreference = 'SilentlyContinue'
$VerbosePreference = 'SilentlyContinue'
$NovaChanged = New-Object System.Collections.Generic.List[string]
function Add-NovaChange([string]$Item) { $NovaChanged.Add($Item) }
${mask ? hide : ""}function Invoke-NovaNative([string]$FilePath, [string[]]$Arguments, [switch]$HideOutput) {
  $ErrorActionPreference = 'Continue'
  $text = ((@(& $FilePath @Arguments 2>&1) | ForEach-Object { [string]$_ }) -join [string][char]10).Replace([string][char]0, '')
  $ErrorActionPreference = 'Stop'
  if ($LASTEXITCODE -ne 0) {
    if ($HideOutput) { $text = '(output hidden)' }
${mask ? "    $text = Hide-NovaSecretText $text\n" : ""}    throw ('{0} {1} failed with exit code {2}: {3}' -f $FilePath, $Arguments[0], $LASTEXITCODE, $text)
  }
  return $text.Trim()
}
function Write-NovaJson($Value) {
  $json = ConvertTo-Json -InputObject $Value -Compress -Depth 5
  [Console]::Out.WriteLine([regex]::Replace($json, '[^\x00-\x7F]', { param($m) '\u' + ([int][char]$m.Value).ToString('x4') }))
}
`;
}

const CORE = core(false);

const PRELUDE = core(true) + String.raw`$NovaFailures = New-Object System.Collections.Generic.List[string]
$NovaItems = New-Object System.Collections.Generic.List[object]
function Get-NovaSecret([string]$Name) {
  $property = $null
  if ($null -ne $NovaSecrets) { $property = $NovaSecrets.PSObject.Properties[$Name] }
  if ($null -eq $property -or [string]::IsNullOrEmpty([string]$property.Value)) { throw ('secret {0} was not supplied' -f $Name) }
  return [string]$property.Value
}
function Get-NovaStringHash([string]$Text) {
  $sha = [System.Security.Cryptography.SHA256]::Create()
  try { $bytes = $sha.ComputeHash([System.Text.Encoding]::UTF8.GetBytes($Text)) } finally { $sha.Dispose() }
  return (($bytes | ForEach-Object { $_.ToString('x2') }) -join '')
}
function Get-NovaFileHash([string]$Path) {
  if (-not (Test-Path -LiteralPath $Path -PathType Leaf)) { return 'missing' }
  return (Get-FileHash -Algorithm SHA256 -LiteralPath $Path).Hash.ToLowerInvariant()
}
`;

function indent(text: string, by = "  "): string {
    return text
        .split("\n")
        .map((l) => (l.length > 0 ? by + l : l))
        .join("\n");
}

/** A comment line naming the item (only word characters survive, so nothing can escape the comment). */
function label(check: Check): string {
    return `# ${check.item.replace(/[^\w:. -]/g, "_")}`;
}

function okExpr(check: Check): string {
    return check.ok ?? "([string]$actual -ceq [string]$desired)";
}

function evaluate(check: Check): string {
    return `$desired = ${check.desired}\n$actual = ${check.actual}\n$ok = ${okExpr(check)}`;
}

function createBlock(check: Check): string {
    const item = psQuote(check.item);
    const onMiss = check.fix
        ? `${check.fix}\nAdd-NovaChange ${item}`
        : check.secret
          ? `$NovaFailures.Add((${item} + ': differs (values hidden)'))`
          : `$NovaFailures.Add((${item} + ': expected ' + [string]$desired + ', found ' + [string]$actual))`;
    return `${label(check)}\n${evaluate(check)}\nif (-not $ok) {\n${indent(onMiss)}\n}`;
}

function auditBlock(check: Check): string {
    const shown = check.secret ? "'(hidden)'" : null;
    return [
        label(check),
        evaluate(check),
        `$NovaItems.Add([ordered]@{ item = ${psQuote(check.item)}; desired = ${shown ?? "[string]$desired"}; ` +
            `actual = ${shown ?? "[string]$actual"}; ok = [bool]$ok })`,
    ].join("\n");
}

/** A whole script: prelude, optional setup, body, and the closing JSON line, without the helpers it does not use (shake.ts). */
function wrap(setup: string, body: string, footer: string, prelude = PRELUDE): string {
    return shakeHelpers([prelude, setup, body, footer].filter((p) => p.length > 0).join("\n") + "\n");
}

/** Options of a rendered step. */
export interface StepParts {
    /** Statements run first in create and audit (variables the checks use). Must change nothing. */
    readonly setup?: string;
    readonly checks: readonly Check[];
    /** Statements run at the end of create (e.g. restart when something changed). */
    readonly finish?: string;
    /**
     * More entries of create's JSON line, as PowerShell hashtable entries (`csr = $NovaCsr`): values the
     * program reads back from the step's stdout. Never secret values.
     */
    readonly report?: string;
}

export function renderCreate(step: string, parts: StepParts): string {
    const body = parts.checks.filter((c) => !c.auditOnly).map(createBlock).join("\n");
    const footer = [
        `if ($NovaFailures.Count -gt 0) { throw (${psQuote(`${step} failed: `)} + ($NovaFailures -join '; ')) }`,
        parts.finish ?? "",
        `Write-NovaJson ([ordered]@{ step = ${psQuote(step)}; changed = @($NovaChanged)${parts.report ? `; ${parts.report}` : ""} })`,
    ]
        .filter((l) => l.length > 0)
        .join("\n");
    return wrap(parts.setup ?? "", body, footer);
}

export function renderAudit(step: string, parts: StepParts): string {
    const body = parts.checks.map(auditBlock).join("\n");
    // `.ToArray()`, not `@($NovaItems)`: PowerShell 7.6 fails `@()` over a New-Object List[object]
    // ("Argument types do not match"); both give the same array on 5.1.
    const footer = `Write-NovaJson ([ordered]@{ step = ${psQuote(step)}; items = $NovaItems.ToArray() })`;
    return wrap(parts.setup ?? "", body, footer);
}

/** A delete script: the core prelude only, the statements, and `{"step":..., "changed":[...]}`. */
export function renderDelete(step: string, body: string): string {
    return wrap("", body, `Write-NovaJson ([ordered]@{ step = ${psQuote(step)}; changed = @($NovaChanged) })`, CORE);
}

/** Renders create and audit from the same parts (and delete when given). */
export function renderStep(step: string, parts: StepParts, deleteBody?: string): StepScripts {
    const scripts = { create: renderCreate(step, parts), audit: renderAudit(step, parts) };
    return deleteBody === undefined ? scripts : { ...scripts, delete: renderDelete(step, deleteBody) };
}
