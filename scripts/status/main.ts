/**
 * `npm run status -- [--stack NAME] [--json] [--host NAME] [--timeout MS] [--base-url URL] [--ca FILE]`:
 * one screen per stack answering "is it up, and if not, where". Hosts are asked in parallel over their
 * transport (read-only scripts, scripts/status/hostQuery.ts), Cloudflare through the SDK for the tunnel's
 * connections, the edge with verify's health check. Every remote call is bounded by --timeout; an
 * unreachable host is a row saying so. Exit code: 0 healthy, 2 degraded, 1 something could not be asked.
 */
import pc from "picocolors";
import { NovaConfigError, parseNovaConfig } from "../../components/config";
import type { NovaConfig } from "../../components/types";
import { type EdgeApi, sdkEdgeApi } from "../shared/cloudflare/api";
import { decryptedStack, maskSecrets, stackAudits } from "../shared/audit/hostAudit";
import { runHostAudits } from "../shared/audit/hosts";
import { chooseRanges } from "../shared/audit/ranges";
import { stackSecretValues, type StackSecrets } from "../shared/audit/stackSecrets";
import { ArgsError, helpText, wantsHelp } from "../shared/cli/args";
import { runCli } from "../shared/cli/cli";
import { chooseStack, type SelectedStackReader } from "../shared/cli/selectedStack";
import { readStackFile } from "../../components/config/stackFile";
import { checkHealth, makeProbe } from "../shared/edge/checks";
import { loadVerifyTarget } from "../shared/edge/target";
import { parseStatusArgs, STATUS_SPEC, type StatusArgs, USAGE } from "./args";
import { statusJobs } from "./hostQuery";
import { hostStatus } from "./hostStatus";
import { EXIT_CANNOT_ASK, exitCodeFor, formatJson, formatText, maskDeep, type StatusReport } from "./report";
import { tunnelStatus } from "./tunnel";
import { type HostCommandDeps, hostCommandIo } from "../shared/remote/hostIo";

export interface StatusDeps extends HostCommandDeps {
    /** The Cloudflare API for a token (tests: the stand-in's base URL). */
    readonly edgeApi: (apiToken: string, timeoutMs: number) => EdgeApi;
    /** CLOUDFLARE_API_TOKEN, used when the stack has no cloudflare:apiToken. */
    readonly env: Readonly<Record<string, string | undefined>>;
    /** Colours and a table on a terminal. */
    readonly colour: boolean;
    readonly now?: () => Date;
    readonly selectedStack?: SelectedStackReader;
}

type RunArgs = StatusArgs & { readonly stack: string };

/** The hosts' part: every managed host (or the one of --host) asked in parallel. */
async function askHosts(args: RunArgs, plain: NovaConfig, values: Record<string, string>, secrets: StackSecrets | string, deps: StatusDeps, now: Date): Promise<Pick<StatusReport, "hosts" | "hostsUnavailable">> {
    if (typeof secrets === "string") return { hosts: [], hostsUnavailable: `host credentials and secrets could not be read: ${secrets}` };
    const { cfg, raw } = decryptedStack(args.stack, values, secrets.values, deps.rootDir);
    const ranges = plain.ingressMode === "direct" ? chooseRanges(undefined, deps.readFile).ranges : { ipv4: [], ipv6: [] };
    const { jobs, targetFor } = stackAudits(cfg, raw, ranges, secrets.tunnelToken, deps.readFile);
    const hosts = cfg.hosts.filter((h) => h.detached !== true && (args.host === undefined || h.name === args.host));
    const results = await runHostAudits(statusJobs(cfg, jobs, hosts), targetFor, deps.runRemote, args.timeoutMs);
    return { hosts: hosts.map((h) => hostStatus(cfg, h.name, results, now)) };
}

export async function main(argv: readonly string[], deps: StatusDeps): Promise<number> {
    if (wantsHelp(argv)) {
        deps.stdout(helpText(STATUS_SPEC));
        return 0;
    }
    let args: RunArgs;
    let values: Record<string, string>;
    let plain: NovaConfig;
    let ca: string | undefined;
    try {
        const parsed = parseStatusArgs(argv);
        args = { ...parsed, stack: chooseStack(parsed.stack, "status", deps.rootDir, deps.stderr, deps.selectedStack) };
        values = readStackFile(args.stack, deps.rootDir).values;
        plain = parseNovaConfig((key) => values[`nova:${key}`], args.stack);
        if (args.host !== undefined && !plain.hosts.some((h) => h.name === args.host)) {
            throw new ArgsError(`--host: stack ${args.stack} has no host ${args.host} (its hosts: ${plain.hosts.map((h) => h.name).join(", ")})`);
        }
        ca = args.caFile === undefined ? undefined : deps.readFile(args.caFile);
    } catch (err) {
        const usage = err instanceof NovaConfigError ? "" : `\n${USAGE}`;
        deps.stderr(`status: ${(err as Error).message}${usage}\n`);
        return EXIT_CANNOT_ASK;
    }
    const now = (deps.now ?? (() => new Date()))();
    const secrets: StackSecrets | string = await deps.readSecrets(args.stack, deps.rootDir).catch((err: Error) => err.message);
    const token = (typeof secrets === "string" ? undefined : secrets.values["cloudflare:apiToken"]) ?? deps.env.CLOUDFLARE_API_TOKEN;
    const api = token === undefined ? "no Cloudflare API token: set cloudflare:apiToken in the stack (or CLOUDFLARE_API_TOKEN)" : deps.edgeApi(token, args.timeoutMs);
    const [hostPart, tunnel, edge] = await Promise.all([
        askHosts(args, plain, values, secrets, deps, now).catch((err: Error) => ({ hosts: [], hostsUnavailable: `could not prepare the host queries: ${err.message}` })),
        plain.ingressMode === "tunnel" ? tunnelStatus(plain, api) : Promise.resolve(undefined),
        checkHealth(makeProbe(loadVerifyTarget(args.stack, deps.rootDir), { baseUrl: args.baseUrl, ca, timeoutMs: args.timeoutMs, retries: 0 })),
    ]);
    const secretValues = typeof secrets === "string" ? [] : stackSecretValues(secrets, plain.hosts);
    const report: StatusReport = maskDeep({ stack: args.stack, ...hostPart, ...(tunnel !== undefined ? { tunnel } : {}), edge }, (t) => maskSecrets(t, secretValues));
    deps.stdout(args.json ? formatJson(report) : formatText(report, pc.createColors(deps.colour)));
    return exitCodeFor(report);
}

if (require.main === module) {
    runCli("status", () =>
        main(process.argv.slice(2), {
            ...hostCommandIo(process.cwd()),
            edgeApi: (apiToken, timeoutMs) => sdkEdgeApi({ apiToken, timeoutMs, maxRetries: 1 }),
            env: process.env,
            colour: process.stdout.isTTY === true && process.env.NO_COLOR === undefined,
        }), EXIT_CANNOT_ASK);
}
