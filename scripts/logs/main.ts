/**
 * `npm run logs -- [--stack NAME] [--host H] [--service app|cloudflared] [--lines N] [--since 1h] [--follow]`:
 * one host's logs over its transport (scripts/logs/hostQuery.ts), every secret value of the stack
 * masked. `--follow` polls every FOLLOW_INTERVAL_MS (never faster) and ends cleanly on Ctrl-C (SIGINT).
 */
import { NovaConfigError, parseNovaConfig } from "../../components/config";
import { hostStdin } from "../../components/host/bootstrap";
import type { HostConfig, NovaConfig } from "../../components/types";
import { decryptedStack, maskSecrets, parseAuditOutput, remoteTarget, type AuditItem } from "../shared/audit/hostAudit";
import { lastLine } from "../shared/audit/hosts";
import { stackSecretValues } from "../shared/audit/stackSecrets";
import { ArgsError, helpText, wantsHelp } from "../shared/cli/args";
import { runCli } from "../shared/cli/cli";
import { chooseStack, type SelectedStackReader } from "../shared/cli/selectedStack";
import { readStackFile } from "../../components/config/stackFile";
import type { RemoteTarget } from "../shared/remote/types";
import { FOLLOW_INTERVAL_MS, LOGS_SPEC, parseLogsArgs, USAGE, type LogsArgs } from "./args";
import { EVENT_CURSOR, renderLogsQuery } from "./hostQuery";
import { type HostCommandDeps, hostCommandIo } from "../shared/remote/hostIo";

export interface LogsDeps extends HostCommandDeps {
    /** Calls `stop` on Ctrl-C (SIGINT); returns the function that removes the handler. */
    readonly onInterrupt: (stop: () => void) => () => void;
    /** Pause between follow polls (tests shorten it). */
    readonly followIntervalMs?: number;
    readonly selectedStack?: SelectedStackReader;
}

function chooseHost(cfg: NovaConfig, name: string | undefined): HostConfig {
    const hosts = cfg.hosts.filter((h) => h.detached !== true);
    if (name === undefined) {
        if (hosts.length === 1) return hosts[0];
        throw new ArgsError(`--host: stack ${cfg.stack} has ${hosts.length} hosts, name one (${hosts.map((h) => h.name).join(", ")})`);
    }
    const host = hosts.find((h) => h.name === name);
    if (host === undefined) throw new ArgsError(`--host: stack ${cfg.stack} has no host ${name} (its hosts: ${hosts.map((h) => h.name).join(", ")})`);
    return host;
}

/** The text to print for one poll's items, and the cursor of the next poll. */
export function render(args: LogsArgs, items: readonly AuditItem[], previous: Record<string, number> | undefined, mask: (t: string) => string): { text: string; from: Record<string, number> } {
    if (args.service === "cloudflared") {
        const last = items.length > 0 ? Number(items[items.length - 1].item) : (previous?.[EVENT_CURSOR] ?? 0);
        return { text: items.map((i) => `${i.desired} ${mask(i.actual)}\n`).join(""), from: { [EVENT_CURSOR]: last } };
    }
    const from: Record<string, number> = {};
    let text = "";
    for (const i of items) {
        from[i.item] = Number(i.desired);
        if (i.actual.length > 0) text += `${previous === undefined ? `==> ${i.item} <==\n` : ""}${mask(i.actual)}`;
    }
    return { text, from };
}

/** Waits `ms`, or less when `stopped` resolves. */
const pause = (ms: number, stopped: Promise<void>): Promise<void> => new Promise((resolve) => {
    const t = setTimeout(resolve, ms);
    void stopped.then(() => {
        clearTimeout(t);
        resolve();
    });
});

async function show(args: LogsArgs, cfg: NovaConfig, target: RemoteTarget, mask: (t: string) => string, deps: LogsDeps): Promise<number> {
    let stop: () => void = () => undefined;
    let interrupted = false;
    const stopped = new Promise<void>((resolve) => (stop = () => { interrupted = true; resolve(); }));
    const remove = args.follow ? deps.onInterrupt(stop) : () => undefined;
    let from: Record<string, number> | undefined;
    try {
        for (;;) {
            const r = await deps.runRemote(target, hostStdin(renderLogsQuery(cfg, { service: args.service, lines: args.lines, sinceSeconds: from === undefined ? args.sinceSeconds : 0, ...(from ? { from } : {}) })), args.timeoutMs);
            if (r.exitCode !== 0) throw new Error(`the logs query failed (exit ${r.exitCode}): ${lastLine(r.stderr || r.stdout)}`);
            const out = render(args, parseAuditOutput("logs", r.stdout), from, mask);
            if (from === undefined && out.text.length === 0) deps.stderr(`logs: nothing ${args.service === "app" ? "in the app's log files" : "from the Cloudflared service in the event log"}${args.sinceSeconds > 0 ? " in that window" : ""}\n`);
            deps.stdout(out.text);
            from = out.from;
            if (!args.follow || interrupted) return 0;
            await pause(deps.followIntervalMs ?? FOLLOW_INTERVAL_MS, stopped);
            if (interrupted) return 0;
        }
    } finally {
        remove();
    }
}

export async function main(argv: readonly string[], deps: LogsDeps): Promise<number> {
    if (wantsHelp(argv)) {
        deps.stdout(helpText(LOGS_SPEC));
        return 0;
    }
    let args: LogsArgs & { stack: string };
    let values: Record<string, string>;
    let host: HostConfig;
    try {
        const parsed = parseLogsArgs(argv);
        args = { ...parsed, stack: chooseStack(parsed.stack, "logs", deps.rootDir, deps.stderr, deps.selectedStack) };
        values = readStackFile(args.stack, deps.rootDir).values;
        host = chooseHost(parseNovaConfig((k) => values[`nova:${k}`], args.stack), args.host);
    } catch (err) {
        deps.stderr(`logs: ${(err as Error).message}${err instanceof NovaConfigError ? "" : `\n${USAGE}`}\n`);
        return 1;
    }
    try {
        const secrets = await deps.readSecrets(args.stack, deps.rootDir);
        const { cfg, raw } = decryptedStack(args.stack, values, secrets.values, deps.rootDir);
        const secretValues = stackSecretValues(secrets, cfg.hosts);
        const mask = (t: string): string => maskSecrets(t, secretValues);
        const target = remoteTarget(host, raw(host.credentialKey) ?? "", deps.readFile);
        return await show(args, cfg, target, mask, deps).catch((err: Error) => {
            deps.stderr(`logs: ${host.name}: ${mask(err.message)}\n`);
            return 1;
        });
    } catch (err) {
        deps.stderr(`logs: ${(err as Error).message}\n`);
        return 1;
    }
}

/** The process's Ctrl-C: SIGINT calls `stop` once (instead of ending the process), and is given back after. */
export function onSigint(stop: () => void): () => void {
    process.once("SIGINT", stop);
    return () => void process.removeListener("SIGINT", stop);
}

if (require.main === module) {
    runCli("logs", () =>
        main(process.argv.slice(2), {
            ...hostCommandIo(process.cwd()),
            onInterrupt: onSigint,
        }));
}
