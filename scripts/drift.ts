/**
 * Drift detection of a stack: the hosts (each step's audit script run over the host's transport) and
 * the edge (Pulumi's preview refresh).
 *   npm run drift -- --stack prod [--json] [--only hosts|edge] [--cloudflare-ranges FILE] [--timeout MS] [--repair [--yes]]
 * Exit code: 0 no drift, 2 drift found, 1 something could not be checked.
 */
import { readFileSync } from "node:fs";
import { NovaConfigError, parseNovaConfig, validateStack } from "../components/config";
import type { NovaConfig } from "../components/types";
import { readStackFile } from "./lib/stackFile";
import { parseDriftArgs, USAGE, type DriftArgs } from "./drift/args";
import { auditJobs, remoteTarget } from "./drift/hostAudit";
import { driftedSteps, runHostAudits } from "./drift/hosts";
import { type PulumiRunner, realPulumi } from "./drift/pulumiRunner";
import { chooseRanges } from "./drift/ranges";
import { hostStepUrn, repairCommandLine } from "./drift/repair";
import { type DriftReport, EXIT_CANNOT_CHECK, exitCodeFor, formatJson, formatText } from "./drift/report";
import { readStackSecretsWithCli, type StackSecrets, type StackSecretsReader } from "./drift/stackSecrets";
import { runRemote, type RemoteRunner } from "./remote/run";

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
}

type HostPart = Pick<DriftReport, "hosts" | "hostsUnavailable" | "rangesSource">;

async function checkHosts(args: DriftArgs, values: Record<string, string>, deps: DriftDeps): Promise<HostPart> {
    const plain = parseNovaConfig((key) => values[`nova:${key}`], args.stack);
    const ranges = plain.ingressMode === "direct" ? chooseRanges(args.cloudflareRangesFile, deps.readFile) : undefined;
    const rangesSource = ranges?.source;
    let secrets: StackSecrets;
    try {
        secrets = await deps.readSecrets(args.stack, deps.rootDir);
    } catch (err) {
        return { rangesSource, hostsUnavailable: `host credentials and secrets could not be read: ${(err as Error).message}` };
    }
    const merged = { ...values, ...secrets.values };
    const raw = (key: string): string | undefined => merged[`nova:${key}`];
    const cfg: NovaConfig = validateStack(raw, args.stack);
    const appSecretEnv = JSON.parse(raw("appSecretEnv") ?? "{}") as Record<string, string>;
    const jobs = auditJobs(cfg, ranges?.ranges ?? { ipv4: [], ipv6: [] }, {
        appSecretEnv: Object.fromEntries(cfg.appSecretEnvKeys.map((k) => [k, appSecretEnv[k] ?? ""])),
        ...(secrets.tunnelToken !== undefined ? { tunnelToken: secrets.tunnelToken } : {}),
    });
    const hosts = await runHostAudits(jobs, (h) => remoteTarget(h, raw(h.credentialKey) ?? "", deps.readFile), deps.runRemote, args.timeoutMs);
    return { rangesSource, hosts };
}

/** Run the command; resolves with the process exit code. */
export async function main(argv: readonly string[], deps: DriftDeps): Promise<number> {
    let args: DriftArgs;
    let values: Record<string, string>;
    try {
        args = parseDriftArgs(argv);
        values = readStackFile(args.stack, deps.rootDir).values;
    } catch (err) {
        deps.stderr(`drift: ${(err as Error).message}\n${USAGE}\n`);
        return EXIT_CANNOT_CHECK;
    }
    let report: DriftReport = { stack: args.stack };
    try {
        if (args.only !== "edge") report = { ...report, ...(await checkHosts(args, values, deps)) };
    } catch (err) {
        const why = err instanceof NovaConfigError ? err.message : `could not prepare the host audits: ${(err as Error).message}`;
        deps.stderr(`drift: ${why}\n`);
        return EXIT_CANNOT_CHECK;
    }
    if (args.only !== "hosts") report = { ...report, edge: await deps.pulumi.previewRefresh(args.stack, deps.rootDir) };
    if (args.repair) {
        const urns = driftedSteps(report.hosts ?? []).map((d) => hostStepUrn(args.stack, d.host, d.step));
        const edgeDrift = report.edge?.status === "checked" && report.edge.drift.length > 0;
        const edgeCommand = edgeDrift ? `pulumi up --refresh --stack ${args.stack}` : undefined;
        report = { ...report, repair: { urns, command: repairCommandLine(args.stack, urns, true), ...(edgeCommand ? { edgeCommand } : {}) } };
    }
    const code = exitCodeFor(report);
    deps.stdout(args.json ? formatJson(report) : formatText(report));
    if (args.yes && report.repair !== undefined && report.repair.urns.length > 0) {
        deps.stderr(`drift: running ${report.repair.command}\n`);
        const upCode = await deps.pulumi.replace(args.stack, deps.rootDir, report.repair.urns);
        if (upCode !== 0) {
            deps.stderr(`drift: pulumi up exited with ${upCode}\n`);
            return EXIT_CANNOT_CHECK;
        }
    }
    return code;
}

if (require.main === module) {
    main(process.argv.slice(2), {
        rootDir: process.cwd(),
        stdout: (t) => process.stdout.write(t),
        stderr: (t) => process.stderr.write(t),
        readSecrets: readStackSecretsWithCli,
        runRemote,
        pulumi: realPulumi,
        readFile: (p) => readFileSync(p, "utf8"),
    }).then(
        (code) => {
            process.exitCode = code;
        },
        (err: unknown) => {
            process.stderr.write(`drift: ${String(err)}\n`);
            process.exitCode = EXIT_CANNOT_CHECK;
        },
    );
}
