import { describe, expect, it } from "vitest";
import {
    COMMAND_DONE, commandBody, elementText, envelope, isReceiveTimeout, parseFault, parseReceive, parseShellId, sendBody, xmlEscape, xmlUnescape,
} from "../../../../scripts/shared/remote/wsman";

// Replies shaped as Windows Server sends them (namespace prefixes, attribute order, whitespace, End markers).
const NS = 'xmlns:s="http://www.w3.org/2003/05/soap-envelope" xmlns:a="http://schemas.xmlsoap.org/ws/2004/08/addressing" ' +
    'xmlns:w="http://schemas.dmtf.org/wbem/wsman/1/wsman.xsd" xmlns:rsp="http://schemas.microsoft.com/wbem/wsman/1/windows/shell" ' +
    'xmlns:x="http://schemas.xmlsoap.org/ws/2004/09/transfer"';
const wrap = (body: string): string => `<?xml version="1.0" ?>\n<s:Envelope xml:lang="en-US" ${NS}>\n  <s:Header>\n    <a:Action>x</a:Action>\n  </s:Header>\n  <s:Body>\n${body}\n  </s:Body>\n</s:Envelope>`;
const CMD = "0F3C1A2B-1111-2222-3333-444455556666";

describe("parseShellId", () => {
    it("reads the ShellId selector of ResourceCreated", () => {
        const xml = wrap(`<x:ResourceCreated>
            <a:Address>https://host:5986/wsman</a:Address>
            <a:ReferenceParameters>
                <w:ResourceURI>http://schemas.microsoft.com/wbem/wsman/1/windows/shell/cmd</w:ResourceURI>
                <w:SelectorSet>
                    <w:Selector Name="ShellId">AAAA-BBBB</w:Selector>
                </w:SelectorSet>
            </a:ReferenceParameters>
        </x:ResourceCreated>`);
        expect(parseShellId(xml)).toBe("AAAA-BBBB");
    });

    it("reads rsp:Shell/rsp:ShellId, under any prefix", () => {
        expect(parseShellId(wrap("<rsp:Shell><rsp:ShellId>CCCC</rsp:ShellId></rsp:Shell>"))).toBe("CCCC");
        expect(parseShellId(wrap('<q:Shell xmlns:q="u"><q:ShellId> DDDD </q:ShellId></q:Shell>'))).toBe("DDDD");
        expect(parseShellId(wrap("<rsp:Shell/>"))).toBeUndefined();
    });
});

describe("parseReceive", () => {
    it("collects base64 chunks per stream for this command and reads Done with its exit code", () => {
        const xml = wrap(`<rsp:ReceiveResponse SequenceID="0">
            <rsp:Stream CommandId="${CMD}" Name="stdout">${Buffer.from("Caf\xc3", "latin1").toString("base64")}</rsp:Stream>
            <rsp:Stream Name="stdout" CommandId="${CMD.toLowerCase()}">${Buffer.from([0xa9, 0x0d, 0x0a]).toString("base64")}</rsp:Stream>
            <rsp:Stream CommandId="OTHER" Name="stdout">${Buffer.from("not ours").toString("base64")}</rsp:Stream>
            <rsp:Stream CommandId="${CMD}" Name="stderr">${Buffer.from("oops").toString("base64")}</rsp:Stream>
            <rsp:Stream CommandId="${CMD}" End="true" Name="stdout"/>
            <rsp:Stream CommandId="${CMD}" End="true" Name="stderr"/>
            <rsp:CommandState CommandId="${CMD}" State="${COMMAND_DONE}">
                <rsp:ExitCode>2147942405</rsp:ExitCode>
            </rsp:CommandState>
        </rsp:ReceiveResponse>`);
        const r = parseReceive(xml, CMD);
        expect(Buffer.concat(r.stdout).toString("utf8")).toBe("Café\r\n");
        expect(Buffer.concat(r.stderr).toString("utf8")).toBe("oops");
        expect(r.done).toBe(true);
        expect(r.exitCode).toBe(2147942405);
    });

    it("is not done while the state is Running, or without a state", () => {
        const running = wrap(`<rsp:ReceiveResponse><rsp:CommandState CommandId="${CMD}" State="http://schemas.microsoft.com/wbem/wsman/1/windows/shell/CommandState/Running"/></rsp:ReceiveResponse>`);
        expect(parseReceive(running, CMD)).toEqual({ stdout: [], stderr: [], done: false });
        expect(parseReceive(wrap("<rsp:ReceiveResponse/>"), CMD)).toEqual({ stdout: [], stderr: [], done: false });
    });

    it("reports Done without an exit code as such (the caller treats it as a protocol error)", () => {
        const xml = wrap(`<rsp:ReceiveResponse><rsp:CommandState CommandId="${CMD}" State="${COMMAND_DONE}"/></rsp:ReceiveResponse>`);
        expect(parseReceive(xml, CMD)).toEqual({ stdout: [], stderr: [], done: true });
    });
});

describe("parseFault", () => {
    const timedOut = wrap(`<s:Fault>
        <s:Code><s:Value>s:Receiver</s:Value><s:Subcode><s:Value>w:TimedOut</s:Value></s:Subcode></s:Code>
        <s:Reason><s:Text xml:lang="en-US">The WS-Management service cannot complete the operation within the time specified in OperationTimeout.</s:Text></s:Reason>
        <s:Detail><f:WSManFault xmlns:f="http://schemas.microsoft.com/wbem/wsman/1/wsmanfault" Code="2150858793" Machine="host"><f:Message>timed out &amp; retried</f:Message></f:WSManFault></s:Detail>
    </s:Fault>`);

    it("reads the subcode, the WSManFault code and the text", () => {
        expect(parseFault(timedOut)).toEqual({
            subcode: "TimedOut", wsmanCode: "2150858793",
            reason: "The WS-Management service cannot complete the operation within the time specified in OperationTimeout.: timed out & retried",
        });
        expect(isReceiveTimeout(parseFault(timedOut)!)).toBe(true);
    });

    it("tells other faults from the Receive time-out, and non-faults from faults", () => {
        const denied = wrap('<s:Fault><s:Code><s:Value>s:Sender</s:Value><s:Subcode><s:Value>w:AccessDenied</s:Value></s:Subcode></s:Code><s:Reason><s:Text xml:lang="en-US">Access is denied.</s:Text></s:Reason></s:Fault>');
        expect(parseFault(denied)).toEqual({ subcode: "AccessDenied", wsmanCode: undefined, reason: "Access is denied." });
        expect(isReceiveTimeout(parseFault(denied)!)).toBe(false);
        expect(parseFault(wrap("<rsp:ReceiveResponse/>"))).toBeUndefined();
    });
});

describe("request bodies", () => {
    it("escapes the command line as XML text and round-trips through xmlUnescape", () => {
        const line = `cmd /c echo "a<b>&c'd"`;
        const body = commandBody(line);
        expect(body).toBe("<rsp:CommandLine><rsp:Command>cmd /c echo &quot;a&lt;b&gt;&amp;c&apos;d&quot;</rsp:Command></rsp:CommandLine>");
        expect(elementText(body, "Command")).toBe(line);
        expect(xmlUnescape(xmlEscape("é&#<>"))).toBe("é&#<>");
        expect(xmlUnescape("&#x263A;&#65;")).toBe("☺A");
    });

    it("sends stdin as base64 and marks only the last chunk End", () => {
        expect(sendBody("C1", Buffer.from("hé\n"), false)).toBe('<rsp:Send><rsp:Stream Name="stdin" CommandId="C1">aMOpCg==</rsp:Stream></rsp:Send>');
        expect(sendBody("C1", Buffer.alloc(0), true)).toBe('<rsp:Send><rsp:Stream Name="stdin" CommandId="C1" End="true"></rsp:Stream></rsp:Send>');
    });

    it("addresses the cmd shell resource with the action, selector and options", () => {
        const xml = envelope({ to: "https://h:5986/wsman", action: "urn:act", shellId: "S<1>", options: { A: "1" }, operationTimeoutSec: 20, body: "<x/>" });
        expect(xml).toContain("<a:To>https://h:5986/wsman</a:To>");
        expect(xml).toContain('<w:ResourceURI s:mustUnderstand="true">http://schemas.microsoft.com/wbem/wsman/1/windows/shell/cmd</w:ResourceURI>');
        expect(xml).toContain('<a:Action s:mustUnderstand="true">urn:act</a:Action>');
        expect(xml).toContain('<w:SelectorSet><w:Selector Name="ShellId">S&lt;1&gt;</w:Selector></w:SelectorSet>');
        expect(xml).toContain('<w:OptionSet><w:Option Name="A">1</w:Option></w:OptionSet>');
        expect(xml).toContain("<w:OperationTimeout>PT20S</w:OperationTimeout>");
        expect(xml).toContain("<s:Body><x/></s:Body>");
        expect(xml).toMatch(/<a:MessageID>uuid:[0-9A-F-]{36}<\/a:MessageID>/);
    });
});
