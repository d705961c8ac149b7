/**
 * Takes over what the manual guide made: inspects the zone (Cloudflare's API, with the stack's token)
 * and each host (its audits, over its transport), and prints one table: each object found, what the
 * program will do with it (import, replace, remove, keep) and why. Read-only unless a deletion flag is given.
 *   npm run adopt -- [--stack NAME] [--json] [--only edge|hosts] [--write-import FILE]
 *                    [--delete-page-rules] [--delete-old-tunnel] [--cloudflare-ranges FILE] [--timeout MS]
 * Exit code: 0 nothing to adopt, 2 objects to adopt, 1 something could not be checked (or a deletion was refused).
 */
import { readFileSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { NovaConfigError, parseNovaConfig, validateStack, zoneStacksDir } from "../../components/config";
import type { NovaConfig } from "../../components/types";
import { ADOPT_SPEC, type AdoptArgs, parseAdoptArgs, USAGE } from "./args";
import { type EdgeApi, sdkEdgeApi } from "../shared/cloudflare/api";
import { checkEdge } from "./edge";
import { auditHosts, hostRows } from "./hostRows";
import { programEdge } from "./programEdge";
import { type AdoptReport, EXIT_CANNOT_CHECK, exitCodeFor, formatJson, formatText } from "./report";
import { readStackViewWithCli, type StackView, type StackViewReader } from "./stackState";
import { chooseRanges } from "../shared/audit/ranges";
import { helpText, wantsHelp } from "../shared/cli/args";
import { processIo, runCli } from "../shared/cli/cli";
import { planOffline } from "../shared/planning/plan";
import { readStackFile, type StackConfig } from "../../components/config/stackFile";
import { chooseStack, type SelectedStackReader } from "../shared/cli/selectedStack";
import { runRemote, type RemoteRunner } from "../shared/remote/run";

export interface AdoptDeps {
    /** Directory holding the `Pulumi.<stack>.yaml` files. */
    readonly rootDir: string;
    readonly stdout: (text: string) => void;
    readonly stderr: (text: string) => void;
    /** Decrypted configuration, tunnel token and state ids of the stack. */
    readonly readStack: StackViewReader;
    /** The Cloudflare API with this token. */
    readonly edgeApi: (apiToken: string) => EdgeApi;
    readonly runRemote: RemoteRunner;
    readonly readFile: (path: string) => string;
    readonly writeFile: (path: string, text: string) => void;
    /** CLOUDFLARE_API_TOKEN, used when the stack has no cloudflare:apiToken. */
    readonly env: Readonly<Record<string, string | undefined>>;
    /** The program (index.ts's export), planned offline for its resource names and parents. */
    readonly program: () => Promise<Record<string, unknown>>;
    /** The stack selected in the Pulumi CLI, when `--stack` is not given (default: asks the CLI). */
    readonly selectedStack?: SelectedStackReader;
}

/** The arguments with the stack chosen. */
type RunArgs = AdoptArgs & { readonly stack: string };

type HostPart = Pick<AdoptReport, "rows" | "notChecked">;

async function checkHosts(args: RunArgs, stackConfig: StackConfig, plain: NovaConfig, view: StackView | string, deps: AdoptDeps): Promise<HostPart> {
    if (typeof view === "string") return { rows: [], notChecked: [`hosts: host credentials and secrets could not be read: ${view}`] };
    const values = { ...stackConfig.values, ...view.values };
    let cfg: NovaConfig;
    try {
        cfg = validateStack((key) => values[`nova:${key}`], args.stack, undefined, zoneStacksDir(deps.rootDir));
    } catch (err) {
        return { rows: [], notChecked: [`hosts: ${(err as Error).message}`] };
    }
    const ranges = plain.ingressMode === "direct" ? chooseRanges(args.cloudflareRangesFile, deps.readFile).ranges : { ipv4: [], ipv6: [] };
    const results = await auditHosts({
        cfg,
        values,
        ranges,
        runRemote: deps.runRemote,
        readFile: deps.readFile,
        timeoutMs: args.timeoutMs,
        ...(view.tunnelToken !== undefined ? { tunnelToken: view.tunnelToken } : {}),
    });
    return hostRows(results);
}

/** Run the command; resolves with the process exit code. */
export async function main(argv: readonly string[], deps: AdoptDeps): Promise<number> {
    if (wantsHelp(argv)) {
        deps.stdout(helpText(ADOPT_SPEC));
        return 0;
    }
    let args: RunArgs;
    let stackConfig: StackConfig;
    let plain: NovaConfig;
    try {
        const parsed = parseAdoptArgs(argv);
        args = { ...parsed, stack: chooseStack(parsed.stack, "adopt", deps.rootDir, deps.stderr, deps.selectedStack) };
        stackConfig = readStackFile(args.stack, deps.rootDir);
        plain = parseNovaConfig((key) => stackConfig.values[`nova:${key}`], args.stack);
    } catch (err) {
        deps.stderr(`adopt: ${(err as Error).message}\n${err instanceof NovaConfigError ? "" : `${USAGE}\n`}`);
        return EXIT_CANNOT_CHECK;
    }
    const edge = programEdge((await planOffline(stackConfig, deps.program, deps.rootDir)).document);
    let view: StackView | string;
    try {
        view = await deps.readStack(args.stack, deps.rootDir);
    } catch (err) {
        view = (err as Error).message;
    }
    let report: AdoptReport = { stack: args.stack, rows: [], notChecked: [], notes: [], refused: [], deleted: [] };
    if (args.only !== "hosts") {
        const token = (typeof view === "string" ? undefined : view.values["cloudflare:apiToken"]) ?? deps.env.CLOUDFLARE_API_TOKEN;
        const state = typeof view === "string" ? new Map<string, string>() : view.stateIds;
        const notes = typeof view === "string" ? [`the stack's state could not be read (${view}): objects already imported are offered again`] : [];
        if (token === undefined || token === "") {
            report = { ...report, notes, notChecked: [`edge: no Cloudflare API token: set cloudflare:apiToken in the stack (or CLOUDFLARE_API_TOKEN)`] };
        } else {
            const part = await checkEdge(deps.edgeApi(token), plain, edge, state, args, deps.writeFile);
            report = { ...report, ...part, notes: [...notes, ...part.notes] };
        }
    }
    if (args.only !== "edge") {
        const hosts = await checkHosts(args, stackConfig, plain, view, deps);
        report = { ...report, rows: [...report.rows, ...hosts.rows], notChecked: [...report.notChecked, ...hosts.notChecked] };
    }
    deps.stdout(args.json ? formatJson(report) : formatText(report));
    return exitCodeFor(report);
}

if (require.main === module) {
    runCli("adopt", () =>
        main(process.argv.slice(2), {
            rootDir: process.cwd(),
            ...processIo,
            readStack: readStackViewWithCli,
            edgeApi: (apiToken) => sdkEdgeApi({ apiToken, timeoutMs: 30_000, maxRetries: 2 }),
            runRemote,
            readFile: (p) => readFileSync(p, "utf8"),
            writeFile: (p, text) => writeFileSync(p, text),
            env: process.env,
            program: require(resolve(__dirname, "..", "..", "index.ts")) as () => Promise<Record<string, unknown>>,
        }), EXIT_CANNOT_CHECK);
}
