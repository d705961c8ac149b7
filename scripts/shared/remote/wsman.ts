/**
 * The few WS-Management (MS-WSMV) messages a remote shell needs: Create shell, Command, Send (stdin),
 * Receive (stdout, stderr, command state), Signal terminate, Delete shell. Pure functions: envelopes
 * are built from fixed templates, replies are read by element name whatever namespace prefix the
 * server chose. The shapes follow MS-WSMV section 3.1.4 as Windows Server answers them.
 */
import { randomUUID } from "crypto";

export const SHELL_URI = "http://schemas.microsoft.com/wbem/wsman/1/windows/shell/cmd";
const SHELL_NS = "http://schemas.microsoft.com/wbem/wsman/1/windows/shell";
export const ACTIONS = {
    create: "http://schemas.xmlsoap.org/ws/2004/09/transfer/Create",
    delete: "http://schemas.xmlsoap.org/ws/2004/09/transfer/Delete",
    command: `${SHELL_NS}/Command`,
    send: `${SHELL_NS}/Send`,
    receive: `${SHELL_NS}/Receive`,
    signal: `${SHELL_NS}/Signal`,
} as const;
export const COMMAND_DONE = `${SHELL_NS}/CommandState/Done`;
const SIGNAL_TERMINATE = `${SHELL_NS}/signal/terminate`;
/** Bytes of the largest envelope we send or accept (Windows' default MaxEnvelopeSizekb is 500). */
export const MAX_ENVELOPE_SIZE = 153600;
/** Raw stdin bytes per Send: base64 of this (plus the envelope) stays below MAX_ENVELOPE_SIZE. */
export const STDIN_CHUNK = 96 * 1024;

/** XML text escaping (element text and attribute values). */
export function xmlEscape(text: string): string {
    return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&apos;");
}

/** Decodes the five predefined entities and numeric character references. */
export function xmlUnescape(text: string): string {
    return text.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|amp|lt|gt|quot|apos);/g, (_, e: string) => {
        if (e.startsWith("#x")) return String.fromCodePoint(parseInt(e.slice(2), 16));
        if (e.startsWith("#")) return String.fromCodePoint(parseInt(e.slice(1), 10));
        return ({ amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" } as Record<string, string>)[e];
    });
}

export interface EnvelopeParams {
    readonly to: string;
    readonly action: string;
    readonly shellId?: string;
    readonly options?: Readonly<Record<string, string>>;
    /** Seconds the server may hold the request (Receive waits this long for output). */
    readonly operationTimeoutSec: number;
    readonly body: string;
}

export function envelope(p: EnvelopeParams): string {
    const selector = p.shellId === undefined ? "" :
        `<w:SelectorSet><w:Selector Name="ShellId">${xmlEscape(p.shellId)}</w:Selector></w:SelectorSet>`;
    const options = p.options === undefined ? "" :
        `<w:OptionSet>${Object.entries(p.options).map(([k, v]) => `<w:Option Name="${xmlEscape(k)}">${xmlEscape(v)}</w:Option>`).join("")}</w:OptionSet>`;
    return [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" xmlns:a="http://schemas.xmlsoap.org/ws/2004/08/addressing"',
        ' xmlns:w="http://schemas.dmtf.org/wbem/wsman/1/wsman.xsd" xmlns:p="http://schemas.microsoft.com/wbem/wsman/1/wsman.xsd"',
        ` xmlns:rsp="${SHELL_NS}">`,
        "<s:Header>",
        `<a:To>${xmlEscape(p.to)}</a:To>`,
        '<a:ReplyTo><a:Address s:mustUnderstand="true">http://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous</a:Address></a:ReplyTo>',
        `<w:MaxEnvelopeSize s:mustUnderstand="true">${MAX_ENVELOPE_SIZE}</w:MaxEnvelopeSize>`,
        `<a:MessageID>uuid:${randomUUID().toUpperCase()}</a:MessageID>`,
        '<w:Locale xml:lang="en-US" s:mustUnderstand="false"/>',
        '<p:DataLocale xml:lang="en-US" s:mustUnderstand="false"/>',
        `<w:OperationTimeout>PT${p.operationTimeoutSec}S</w:OperationTimeout>`,
        `<w:ResourceURI s:mustUnderstand="true">${SHELL_URI}</w:ResourceURI>`,
        `<a:Action s:mustUnderstand="true">${p.action}</a:Action>`,
        selector,
        options,
        "</s:Header>",
        `<s:Body>${p.body}</s:Body>`,
        "</s:Envelope>",
    ].join("");
}

/** A cmd shell with stdin, stdout and stderr, the user profile loaded (as over SSH); UTF-8 code page so output decodes as UTF-8. */
export function createShellBody(): string {
    return "<rsp:Shell><rsp:InputStreams>stdin</rsp:InputStreams><rsp:OutputStreams>stdout stderr</rsp:OutputStreams></rsp:Shell>";
}
export const CREATE_SHELL_OPTIONS = { WINRS_NOPROFILE: "FALSE", WINRS_CODEPAGE: "65001" } as const;

/** One command line, run through cmd.exe like Windows OpenSSH's default shell does. */
export function commandBody(commandLine: string): string {
    return `<rsp:CommandLine><rsp:Command>${xmlEscape(commandLine)}</rsp:Command></rsp:CommandLine>`;
}
/** stdin is a pipe (not console mode), so the process reads our bytes and then end-of-file. */
export const COMMAND_OPTIONS = { WINRS_CONSOLEMODE_STDIN: "FALSE", WINRS_SKIP_CMD_SHELL: "FALSE" } as const;

export function sendBody(commandId: string, chunk: Buffer, end: boolean): string {
    const endAttr = end ? ' End="true"' : "";
    return `<rsp:Send><rsp:Stream Name="stdin" CommandId="${xmlEscape(commandId)}"${endAttr}>${chunk.toString("base64")}</rsp:Stream></rsp:Send>`;
}

export function receiveBody(commandId: string): string {
    return `<rsp:Receive><rsp:DesiredStream CommandId="${xmlEscape(commandId)}">stdout stderr</rsp:DesiredStream></rsp:Receive>`;
}
export const RECEIVE_OPTIONS = { WSMAN_CMDSHELL_OPTION_KEEPALIVE: "TRUE" } as const;

export function signalTerminateBody(commandId: string): string {
    return `<rsp:Signal CommandId="${xmlEscape(commandId)}"><rsp:Code>${SIGNAL_TERMINATE}</rsp:Code></rsp:Signal>`;
}

/** Text of the first element with this local name (any prefix), or undefined. */
export function elementText(xml: string, localName: string): string | undefined {
    const m = new RegExp(`<(?:[\\w.-]+:)?${localName}(?:\\s[^>]*)?>([^<]*)</(?:[\\w.-]+:)?${localName}>`).exec(xml);
    return m === null ? undefined : xmlUnescape(m[1]).trim();
}

function attribute(attrs: string, name: string): string | undefined {
    const m = new RegExp(`(?:^|\\s)(?:[\\w.-]+:)?${name}\\s*=\\s*("([^"]*)"|'([^']*)')`).exec(attrs);
    return m === null ? undefined : xmlUnescape(m[2] ?? m[3]);
}

/** The shell id of a CreateResponse: `rsp:Shell/rsp:ShellId`, else the ShellId selector of `ResourceCreated`. */
export function parseShellId(xml: string): string | undefined {
    const id = elementText(xml, "ShellId") ?? /<(?:[\w.-]+:)?Selector\s+Name="ShellId"\s*>([^<]+)</.exec(xml)?.[1]?.trim();
    return id === "" ? undefined : id;
}

export interface ReceiveResult {
    readonly stdout: Buffer[];
    readonly stderr: Buffer[];
    readonly done: boolean;
    readonly exitCode?: number;
}

/** The output chunks and command state of a ReceiveResponse, for one command. */
export function parseReceive(xml: string, commandId: string): ReceiveResult {
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    const stream = /<(?:[\w.-]+:)?Stream(\s[^>]*?)?(?:\/>|>([^<]*)<\/(?:[\w.-]+:)?Stream>)/g;
    for (let m = stream.exec(xml); m !== null; m = stream.exec(xml)) {
        const attrs = m[1] ?? "";
        const id = attribute(attrs, "CommandId");
        if (id !== undefined && id.toUpperCase() !== commandId.toUpperCase()) continue;
        const text = (m[2] ?? "").trim();
        if (text === "") continue;
        const name = attribute(attrs, "Name");
        if (name === "stdout") stdout.push(Buffer.from(text, "base64"));
        else if (name === "stderr") stderr.push(Buffer.from(text, "base64"));
    }
    const state = /<(?:[\w.-]+:)?CommandState(\s[^>]*?)?(?:\/>|>([\s\S]*?)<\/(?:[\w.-]+:)?CommandState>)/.exec(xml);
    if (state === null || attribute(state[1] ?? "", "State") !== COMMAND_DONE) {
        return { stdout, stderr, done: false };
    }
    const code = elementText(state[2] ?? "", "ExitCode");
    if (code === undefined || !/^-?\d+$/.test(code)) return { stdout, stderr, done: true };
    // Windows exit codes are unsigned 32-bit; keep them as the process reported them.
    return { stdout, stderr, done: true, exitCode: Number(code) };
}

export interface SoapFault {
    /** The subcode (`w:TimedOut`, `w:AccessDenied`...) without its prefix. */
    readonly subcode?: string;
    /** The WSManFault code (2150858793 = operation timed out). */
    readonly wsmanCode?: string;
    readonly reason: string;
}

/** The fault of a reply, if it is one. */
export function parseFault(xml: string): SoapFault | undefined {
    if (!/<(?:[\w.-]+:)?Fault[\s>]/.test(xml)) return undefined;
    const subcodeBlock = /<(?:[\w.-]+:)?Subcode>([\s\S]*?)<\/(?:[\w.-]+:)?Subcode>/.exec(xml);
    const subcode = subcodeBlock === null ? undefined : elementText(subcodeBlock[1], "Value")?.replace(/^[\w.-]+:/, "");
    const wsman = /<(?:[\w.-]+:)?WSManFault(\s[^>]*?)?>/.exec(xml);
    const wsmanCode = wsman === null ? undefined : attribute(wsman[1] ?? "", "Code");
    const message = elementText(xml, "Message");
    const text = elementText(xml, "Text");
    const parts = [text, message].filter((s): s is string => s !== undefined && s !== "");
    const reason = [...new Set(parts)].join(": ") || "SOAP fault";
    return { subcode, wsmanCode, reason };
}

/** True when a Receive ended because no output came within the operation timeout (retry it). */
export function isReceiveTimeout(fault: SoapFault): boolean {
    return fault.subcode === "TimedOut" || fault.wsmanCode === "2150858793";
}
