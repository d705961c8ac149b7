/**
 * Drift detection of a stack: the hosts (each step's audit script run over the host's transport) and
 * the edge (Pulumi's preview refresh).
 *   npm run drift -- --stack prod [--json] [--only hosts|edge] [--cloudflare-ranges FILE] [--timeout MS]
 *                    [--repair [--yes] [--host NAME] [--step NAME]]
 * `--repair` lists the drifted host steps it re-applies (their create scripts, run again over the host's
 * transport); `--yes` runs them, then audits those steps again (docs/DRIFT.md says why this and not
 * `pulumi up --replace`).
 * Exit code: 0 no drift (after a repair: none left), 2 drift found (or left), 1 something could not be
 * checked or a repair did not leave its step clean.
 */
import { NovaConfigError, parseNovaConfig } from "../../components/config";
import { readStackFile } from "../../components/config/stackFile";
import { DRIFT_SPEC, DriftArgsError, parseDriftArgs, USAGE, type DriftArgs } from "./args";
import { helpText, wantsHelp } from "../shared/cli/args";
import { chooseStack, type SelectedStackReader } from "../shared/cli/selectedStack";
import type { HostConfig } from "../../components/types";
import { type AuditJob, decryptedStack, stackAudits } from "../shared/audit/hostAudit";
import { driftedSteps, runHostAudits } from "../shared/audit/hosts";
import { type PulumiRunner, realPulumi } from "./pulumiRunner";
import { chooseRanges } from "../shared/audit/ranges";
import { repairCommandLine, selectRepairs } from "./repair";
import { runRepairs } from "./repairRun";
import { type DriftReport, EXIT_CANNOT_CHECK, exitCodeFor, formatJson, formatText } from "./report";
import { type StackSecrets, type StackSecretsReader } from "../shared/audit/stackSecrets";
import type { RemoteRunner } from "../shared/remote/run";
import type { RemoteTarget } from "../shared/remote/types";
import { runCli } from "../shared/cli/cli";
import { hostCommandIo } from "../shared/remote/hostIo";

export interface DriftDeps {
    /** Directory holding Pulumi.yaml and the `Pulumi.<stack>.yaml` files. */
    readonly rootDir: string;
    readonly stdout: (text: string) => void;
    readonly stderr: (text: string) => void;
    /** Decrypted stack configuration and tunnel token. */
    readonly readSecrets: StackSecretsReader;
    readonly runRemote: RemoteRunner;
    readonly pulumi: PulumiRunner;
    readonly readFile: (path: string) => string;
    /** The stack selected in the Pulumi CLI, when `--stack` is not given (default: asks the CLI). */
    readonly selectedStack?: SelectedStackReader;
}

/** The arguments with the stack chosen. */
type RunArgs = DriftArgs & { readonly stack: string };

type HostPart = Pick<DriftReport, "hosts" | "hostsUnavailable" | "rangesSource"> & {
    /** What a repair needs: the hosts, their scripts (audit and create) and how to reach them. */
    readonly context?: { readonly hosts: readonly HostConfig[]; readonly jobs: readonly AuditJob[]; readonly targetFor: (h: HostConfig) => RemoteTarget };
};

async function checkHosts(args: RunArgs, values: Record<string, string>, deps: DriftDeps): Promise<HostPart> {
    const plain = parseNovaConfig((key) => values[`nova:${key}`], args.stack);
    if (args.host !== undefined && !plain.hosts.some((h) => h.name === args.host)) {
        throw new DriftArgsError(`--host: stack ${args.stack} has no host ${args.host} (its hosts: ${plain.hosts.map((h) => h.name).join(", ")})`);
    }
    const ranges = plain.ingressMode === "direct" ? chooseRanges(args.cloudflareRangesFile, deps.readFile) : undefined;
    const rangesSource = ranges?.source;
    let secrets: StackSecrets;
    try {
        secrets = await deps.readSecrets(args.stack, deps.rootDir);
    } catch (err) {
        return { rangesSource, hostsUnavailable: `host credentials and secrets could not be read: ${(err as Error).message}` };
    }
    const { cfg, raw } = decryptedStack(args.stack, values, secrets.values, deps.rootDir);
    const { jobs, targetFor } = stackAudits(cfg, raw, ranges?.ranges ?? { ipv4: [], ipv6: [] }, secrets.tunnelToken, deps.readFile);
    const hosts = await runHostAudits(jobs, targetFor, deps.runRemote, args.timeoutMs);
    return { rangesSource, hosts, context: { hosts: cfg.hosts, jobs, targetFor } };
}

/** The repair part of the report: the plan, and with `--yes` its outcome (create scripts, then the audits again). */
async function repair(args: RunArgs, report: DriftReport, context: HostPart["context"], deps: DriftDeps): Promise<DriftReport> {
    const filter = { ...(args.host !== undefined ? { host: args.host } : {}), ...(args.step !== undefined ? { step: args.step } : {}) };
    const steps = context === undefined ? [] : selectRepairs(args.stack, driftedSteps(report.hosts ?? []), context.hosts, filter);
    const edgeDrift = report.edge?.status === "checked" && report.edge.drift.length > 0;
    const plan = { steps, command: repairCommandLine(args.stack, filter), ...(edgeDrift ? { edgeCommand: `pulumi up --refresh --stack ${args.stack}` } : {}) };
    if (!args.yes || context === undefined) return { ...report, repair: plan };
    const results = await runRepairs(steps, context.jobs, context.targetFor, deps.runRemote, args.timeoutMs, (line) => deps.stderr(`drift: ${line}\n`));
    return { ...report, repair: { ...plan, results } };
}

/** Run the command; resolves with the process exit code. */
export async function main(argv: readonly string[], deps: DriftDeps): Promise<number> {
    if (wantsHelp(argv)) {
        deps.stdout(helpText(DRIFT_SPEC));
        return 0;
    }
    let args: RunArgs;
    let values: Record<string, string>;
    try {
        const parsed = parseDriftArgs(argv);
        args = { ...parsed, stack: chooseStack(parsed.stack, "drift", deps.rootDir, deps.stderr, deps.selectedStack) };
        values = readStackFile(args.stack, deps.rootDir).values;
    } catch (err) {
        deps.stderr(`drift: ${(err as Error).message}\n${USAGE}\n`);
        return EXIT_CANNOT_CHECK;
    }
    let report: DriftReport = { stack: args.stack };
    let context: HostPart["context"];
    try {
        if (args.only !== "edge") {
            const { context: c, ...part } = await checkHosts(args, values, deps);
            report = { ...report, ...part };
            context = c;
        }
    } catch (err) {
        const why = err instanceof NovaConfigError || err instanceof DriftArgsError ? err.message : `could not prepare the host audits: ${(err as Error).message}`;
        deps.stderr(`drift: ${why}\n`);
        return EXIT_CANNOT_CHECK;
    }
    if (args.only !== "hosts") report = { ...report, edge: await deps.pulumi.previewRefresh(args.stack, deps.rootDir) };
    if (args.repair) report = await repair(args, report, context, deps);
    deps.stdout(args.json ? formatJson(report) : formatText(report));
    return exitCodeFor(report);
}

if (require.main === module) {
    runCli("drift", () =>
        main(process.argv.slice(2), {
            ...hostCommandIo(process.cwd()),
            pulumi: realPulumi,
        }), EXIT_CANNOT_CHECK);
}
