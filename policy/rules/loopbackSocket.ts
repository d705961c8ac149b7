/**
 * Sockets, narrowly. The direct-mode health probe (components/host/steps/health.ts) opens a TCP
 * connection to the app port on 127.0.0.1 and reads the certificate the backend presents there. A
 * socket can reach any host, so `System.Net.Sockets.TcpClient` is allowed in one shape only:
 *
 *     $client = New-Object System.Net.Sockets.TcpClient        # no arguments: TcpClient(host, port) connects at once
 *     $client.Connect('127.0.0.1', $NovaHealthPort)            # a loopback literal, a constant integer port
 *
 * Refused: a TcpClient named in a type literal (`[...TcpClient]::new('example.net', 80)`, casts), New-Object
 * with constructor arguments or -Property, and any `Connect`/`ConnectAsync`/`BeginConnect` call (on any
 * object: the policy does not track types, and `$client.Client` is the raw Socket) whose host is not a
 * loopback literal written in the call or whose port is not an integer constant. The host must be the
 * literal itself: a variable's value is read at its last assignment in document order, which a function
 * called later may not see. The port may come through a variable (the step renders
 * `$NovaHealthPort = <appPort>`) when no write of it follows the call; it can only pick a port of the
 * host itself.
 */
import { type CommandCall, descendants, type Node, type ParsedScript, lastAssignment, sameNode, unwrap, valueOf, variableName } from "./psScript";
import { constantValues } from "../../analysis/powershell/grammar";

/** The hosts a socket may connect to, as they must be written (a literal in the Connect call). */
export const LOOPBACK_LITERALS: readonly string[] = ["127.0.0.1", "::1"];

/** Methods that open a connection (TcpClient's and Socket's). */
export const CONNECT_METHODS = /^(Connect|ConnectAsync|BeginConnect)$/i;

/** True when `type` names TcpClient (case-insensitive, `System.` optional). */
export function isTcpClient(type: string): boolean {
    return /^(System\.)?Net\.Sockets\.TcpClient$/i.test(type.replace(/\s+/g, ""));
}

/**
 * The name of a member (`$x.Name`, `$x.'Name'`, `[T]::Name`) when it is written as a constant; undefined
 * when computed (`$x.$name`, `$x.('Na' + 'me')`).
 */
export function memberNameOf(node: Node): string | undefined {
    const n = unwrap(node);
    if (n.type === "simple_name") return n.text;
    if (n.type === "string_literal") {
        const v = constantValues(n);
        return v?.length === 1 ? v[0] : undefined;
    }
    return undefined;
}

/** The arguments of a method call node (`invokation_expression`), in order. */
function invocationArguments(call: Node): Node[] {
    const list = call.namedChildren.find((c) => c?.type === "argument_list");
    const exprs = list?.namedChildren.find((c) => c?.type === "argument_expression_list");
    return exprs ? exprs.namedChildren.filter((c): c is Node => c !== null && c.type === "argument_expression") : [];
}

function constantPort(script: ParsedScript, node: Node): boolean {
    const name = variableName(node);
    if (name !== undefined) {
        const atCall = lastAssignment(script, name, node.startIndex);
        const atEnd = lastAssignment(script, name, script.text.length);
        if (!atCall || !sameNode(atCall, atEnd)) return false;
    }
    const value = valueOf(script, node);
    return value !== undefined && /^\d{1,5}$/.test(value) && Number(value) >= 1 && Number(value) <= 65535;
}

/** Problems of the Connect-like calls of a script (every script: TcpClient is the only way to a socket the list allows). */
export function connectProblems(script: ParsedScript): string[] {
    const out: string[] = [];
    for (const n of descendants(script.root, "invokation_expression")) {
        const member = n.namedChildren.find((c) => c?.type === "member_name");
        const name = member ? memberNameOf(member) : undefined;
        if (name === undefined || !CONNECT_METHODS.test(name)) continue;
        const args = invocationArguments(n);
        const host = args[0] ? constantValues(unwrap(args[0])) : undefined;
        const loopback = host?.length === 1 && LOOPBACK_LITERALS.includes(host[0]);
        if (args.length !== 2 || !loopback || !constantPort(script, args[1])) {
            out.push(`opens a connection with .${name}(${args.map((a) => a.text).join(", ")}): a socket may only connect to a loopback literal (${LOOPBACK_LITERALS.join(", ")}) and a constant port`);
        }
    }
    return out;
}

/** Problems of one use of TcpClient (a type literal, or the New-Object `call` that creates one). */
export function tcpClientUseProblems(type: string, call: CommandCall | undefined): string[] {
    if (!call) return [`uses the .NET type ${type} in a type literal: the policy allows only New-Object ${type} without arguments, then .Connect('127.0.0.1', <port>)`];
    const named = [...(call.bound?.named.keys() ?? [])];
    const extra = named.some((p) => p !== "TypeName") || (call.bound?.positional.length ?? 0) !== (named.includes("TypeName") ? 0 : 1);
    return extra ? [`uses the .NET type ${type} with constructor arguments or properties (TcpClient(host, port) connects at once): the policy allows only New-Object ${type} without arguments, then .Connect('127.0.0.1', <port>)`] : [];
}
