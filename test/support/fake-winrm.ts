/**
 * A loopback stand-in for a Windows WinRM listener: just enough WS-Management (Create shell, Command,
 * Send, Receive, Signal, Delete) to check Basic or Negotiate (NTLMv2) credentials, record the command
 * line and the stdin it received, and answer with a configured stdout, stderr and exit code. Its own
 * regexes read the requests, independent of the client's parser; the NTLM side is in fake-ntlm.ts.
 */
import { randomUUID } from "crypto";
import { FakeNtlm } from "./fake-ntlm";
import * as http from "http";
import * as https from "https";
import type { AddressInfo, Socket } from "net";

export interface FakeAnswer {
    stdout: string;
    stderr: string;
    exitCode: number;
}

export interface FakeBehaviour {
    /** normal; never-done: Receive never reports Done; hang: Receive requests get no answer. */
    mode: "normal" | "never-done" | "hang";
    /** Answer the first Receive with the w:TimedOut fault (as Windows does when no output came in time). */
    timedOutFirst: boolean;
    /** Command fails with this AccessDenied fault text. */
    denyCommand?: string;
    /** Basic authentication disabled on the service: every request gets 401 offering Negotiate only. */
    basicDisabled?: boolean;
    /** Send answered with HTTP 400 and this fault text (as for an envelope above MaxEnvelopeSize). */
    rejectSend?: string;
}

export interface FakeRecord {
    actions: string[];
    commandLines: string[];
    /** Option name → value, from the Command request. */
    commandOptions: Record<string, string>;
    stdin: Buffer;
    stdinEnded: boolean;
    /** Every request body received (to check what went over the wire). */
    bodies: string[];
    deletedShells: string[];
    signals: string[];
    authFailures: number;
}

export interface FakeWinrm {
    readonly port: number;
    readonly record: FakeRecord;
    answer: FakeAnswer;
    behaviour: FakeBehaviour;
    reset(): void;
    close(): Promise<void>;
}

const SOAP_NS = 'xmlns:s="http://www.w3.org/2003/05/soap-envelope" xmlns:rsp="http://schemas.microsoft.com/wbem/wsman/1/windows/shell" xmlns:w="http://schemas.dmtf.org/wbem/wsman/1/wsman.xsd"';
const DONE = "http://schemas.microsoft.com/wbem/wsman/1/windows/shell/CommandState/Done";
const RUNNING = "http://schemas.microsoft.com/wbem/wsman/1/windows/shell/CommandState/Running";

const reply = (body: string): string => `<?xml version="1.0"?><s:Envelope ${SOAP_NS}><s:Header/><s:Body>${body}</s:Body></s:Envelope>`;
const fault = (subcode: string, code: string, text: string): string =>
    reply(`<s:Fault><s:Code><s:Value>s:Receiver</s:Value><s:Subcode><s:Value>w:${subcode}</s:Value></s:Subcode></s:Code>` +
        `<s:Reason><s:Text xml:lang="en-US">${text}</s:Text></s:Reason><s:Detail><f:WSManFault xmlns:f="http://schemas.microsoft.com/wbem/wsman/1/wsmanfault" Code="${code}" Machine="fake">` +
        `<f:Message>${text}</f:Message></f:WSManFault></s:Detail></s:Fault>`);
const b64 = (s: string): string => Buffer.from(s, "utf8").toString("base64");
const unescape = (s: string): string => s.replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");

function emptyRecord(): FakeRecord {
    return { actions: [], commandLines: [], commandOptions: {}, stdin: Buffer.alloc(0), stdinEnded: false, bodies: [], deletedShells: [], signals: [], authFailures: 0 };
}

export async function startFakeWinrm(opts: { user: string; password: string; tls?: { key: Buffer; cert: Buffer }; auth?: "basic" | "negotiate" }): Promise<FakeWinrm> {
    const ntlm = opts.auth === "negotiate" ? new FakeNtlm(opts.user, opts.password) : undefined;
    let record = emptyRecord();
    let receives = 0;
    const shellId = randomUUID().toUpperCase();
    const commandId = randomUUID().toUpperCase();
    const expectedAuth = `Basic ${Buffer.from(`${opts.user}:${opts.password}`).toString("base64")}`;
    const sockets = new Set<Socket>();

    const fake: FakeWinrm = {
        port: 0,
        get record() { return record; },
        answer: { stdout: "", stderr: "", exitCode: 0 },
        behaviour: { mode: "normal", timedOutFirst: false },
        reset() {
            record = emptyRecord();
            receives = 0;
            fake.answer = { stdout: "", stderr: "", exitCode: 0 };
            fake.behaviour = { mode: "normal", timedOutFirst: false };
        },
        close: async () => {
            for (const s of sockets) s.destroy();
            await new Promise<void>((r) => server.close(() => r()));
        },
    };

    function handle(body: string): { status: number; xml: string } | "hang" {
        const action = /<a:Action[^>]*>([^<]+)<\/a:Action>/.exec(body)?.[1] ?? "";
        const name = action.slice(action.lastIndexOf("/") + 1);
        record.actions.push(name);
        const selector = /<w:Selector Name="ShellId">([^<]+)<\/w:Selector>/.exec(body)?.[1];
        if (name !== "Create" && selector !== shellId) return { status: 500, xml: fault("InvalidSelectors", "2150858843", "The request for the Windows Remote Shell with ShellId failed because the shell was not found") };
        switch (name) {
            case "Create":
                // As Windows answers: the shell id in the SelectorSet of ResourceCreated.
                return {
                    status: 200, xml: reply('<x:ResourceCreated xmlns:x="http://schemas.xmlsoap.org/ws/2004/09/transfer" xmlns:a="http://schemas.xmlsoap.org/ws/2004/08/addressing">' +
                        "<a:Address>https://fake:5986/wsman</a:Address><a:ReferenceParameters><w:ResourceURI>http://schemas.microsoft.com/wbem/wsman/1/windows/shell/cmd</w:ResourceURI>" +
                        `<w:SelectorSet><w:Selector Name="ShellId">${shellId}</w:Selector></w:SelectorSet></a:ReferenceParameters></x:ResourceCreated>`),
                };
            case "Command": {
                if (fake.behaviour.denyCommand !== undefined) return { status: 500, xml: fault("AccessDenied", "5", fake.behaviour.denyCommand) };
                record.commandLines.push(unescape(/<rsp:Command>([^<]*)<\/rsp:Command>/.exec(body)?.[1] ?? ""));
                for (const m of body.matchAll(/<w:Option Name="([^"]+)">([^<]*)<\/w:Option>/g)) record.commandOptions[m[1]] = m[2];
                return { status: 200, xml: reply(`<rsp:CommandResponse><rsp:CommandId>${commandId}</rsp:CommandId></rsp:CommandResponse>`) };
            }
            case "Send": {
                if (fake.behaviour.rejectSend !== undefined) return { status: 400, xml: fault("EncodingLimit", "2150858817", fake.behaviour.rejectSend) };
                const m = /<rsp:Stream Name="stdin" CommandId="([^"]+)"( End="true")?>([^<]*)<\/rsp:Stream>/.exec(body);
                if (m === null || m[1] !== commandId) return { status: 500, xml: fault("InvalidSelectors", "1", "bad Send") };
                record.stdin = Buffer.concat([record.stdin, Buffer.from(m[3], "base64")]);
                if (m[2] !== undefined) record.stdinEnded = true;
                return { status: 200, xml: reply("<rsp:SendResponse/>") };
            }
            case "Receive": {
                if (!body.includes(`<rsp:DesiredStream CommandId="${commandId}">stdout stderr</rsp:DesiredStream>`)) return { status: 500, xml: fault("InvalidSelectors", "1", "bad Receive") };
                receives++;
                if (fake.behaviour.mode === "hang") return "hang";
                if (fake.behaviour.timedOutFirst && receives === 1) {
                    return { status: 500, xml: fault("TimedOut", "2150858793", "The WS-Management service cannot complete the operation within the time specified in OperationTimeout.") };
                }
                const running = `<rsp:CommandState CommandId="${commandId}" State="${RUNNING}"/>`;
                if (fake.behaviour.mode === "never-done" || !record.stdinEnded) {
                    return { status: 200, xml: reply(`<rsp:ReceiveResponse>${running}</rsp:ReceiveResponse>`) };
                }
                // Output split over two Receives (stdout cut inside a UTF-8 sequence), then Done.
                const out = Buffer.from(fake.answer.stdout, "utf8");
                const half = Math.floor(out.length / 2) | 1;
                const first = fake.behaviour.timedOutFirst ? 2 : 1;
                if (receives === first && out.length > 1) {
                    return { status: 200, xml: reply(`<rsp:ReceiveResponse><rsp:Stream Name="stdout" CommandId="${commandId}">${out.subarray(0, half).toString("base64")}</rsp:Stream>${running}</rsp:ReceiveResponse>`) };
                }
                const rest = receives === first ? out : out.subarray(half);
                return {
                    status: 200, xml: reply("<rsp:ReceiveResponse>" +
                        `<rsp:Stream Name="stdout" CommandId="${commandId}">${rest.toString("base64")}</rsp:Stream>` +
                        `<rsp:Stream Name="stderr" CommandId="${commandId}">${b64(fake.answer.stderr)}</rsp:Stream>` +
                        `<rsp:Stream Name="stdout" CommandId="${commandId}" End="true"></rsp:Stream>` +
                        `<rsp:CommandState CommandId="${commandId}" State="${DONE}"><rsp:ExitCode>${fake.answer.exitCode}</rsp:ExitCode></rsp:CommandState>` +
                        "</rsp:ReceiveResponse>"),
                };
            }
            case "Signal":
                record.signals.push(/<rsp:Code>([^<]+)<\/rsp:Code>/.exec(body)?.[1] ?? "");
                return { status: 200, xml: reply("<rsp:SignalResponse/>") };
            case "Delete":
                record.deletedShells.push(shellId);
                return { status: 200, xml: reply("") };
            default:
                return { status: 500, xml: fault("ActionNotSupported", "1", `unknown action ${action}`) };
        }
    }

    const listener = (req: http.IncomingMessage, res: http.ServerResponse): void => {
        const chunks: Buffer[] = [];
        req.on("data", (c: Buffer) => chunks.push(c));
        req.on("end", () => {
            const body = Buffer.concat(chunks).toString("utf8");
            record.bodies.push(body);
            if (req.method !== "POST" || req.url !== "/wsman") {
                res.writeHead(404).end();
                return;
            }
            if (fake.behaviour.basicDisabled === true) {
                record.authFailures++;
                res.writeHead(401, [["WWW-Authenticate", "Negotiate"], ["WWW-Authenticate", "Kerberos"]]).end();
                return;
            }
            if (ntlm !== undefined) {
                const verdict = ntlm.answer(req.socket, req.headers.authorization);
                if (verdict.status !== "ok") {
                    if (verdict.status === "refused") record.authFailures++;
                    res.writeHead(401, { "WWW-Authenticate": verdict.header }).end();
                    return;
                }
            } else if (req.headers.authorization !== expectedAuth) {
                record.authFailures++;
                res.writeHead(401, { "WWW-Authenticate": 'Basic realm="WSMAN"' }).end();
                return;
            }
            const out = handle(body);
            if (out === "hang") return;
            res.writeHead(out.status, { "Content-Type": "application/soap+xml;charset=UTF-8" }).end(out.xml);
        });
    };

    const server = opts.tls === undefined ? http.createServer(listener) : https.createServer({ key: opts.tls.key, cert: opts.tls.cert }, listener);
    server.on("connection", (s: Socket) => {
        sockets.add(s);
        s.on("close", () => sockets.delete(s));
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
    (fake as { port: number }).port = (server.address() as AddressInfo).port;
    return fake;
}
