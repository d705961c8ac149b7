import * as cloudflare from "@pulumi/cloudflare";
import * as command from "@pulumi/command";
import * as pulumi from "@pulumi/pulumi";
import {
    STEP_LOGGING,
    STEP_SECRET_OUTPUTS,
    healthStdin,
    type StepCommandLines,
    type StepSecretValues,
    secretsDocument,
    splitCidrs,
    sshCommandLines,
    sshConnection,
    stepResourceName,
    stepSecretKeys,
    stepStdin,
} from "./host/commands";
import { type StepName, renderHostStep, stepNames } from "./host/steps";
import { ORIGIN_CERTIFICATE_DOCUMENT_KEY, csrFromStdout, renewalPeriod } from "./host/steps/certificate";
import { TUNNEL_TOKEN_SECRET } from "./host/steps/cloudflared";
import type { StepScripts } from "./host/script";
import { boundScripts } from "./host/stepBound";
import { PROJECT_ROOT, winrmCommandLines, winrmEnvironment } from "./host/winrmRunner";
import { HostConfig, NovaConfig, Transport } from "./types";

/** Steps that may restart the app or its connector: rolled one host at a time. */
export const RESTARTING_STEPS: readonly StepName[] = ["tools", "dotenv", "certificate", "service", "cloudflared"];

/**
 * The bound on one step's run (create, update and delete): the engine cancels the provider's call when
 * it is exceeded and fails the step with a timeout error; over WinRM the runner has the same bound.
 */
export function stepTimeouts(config: NovaConfig): pulumi.CustomTimeouts {
    const t = `${config.stepTimeoutSeconds}s`;
    return { create: t, update: t, delete: t };
}

/** `f` of a value that may be an Output: plain in, plain out (no Output is made for known values). */
function mapInput<T, U>(value: pulumi.Input<T>, f: (v: T) => U): pulumi.Input<U> {
    return pulumi.Output.isInstance(value) ? (value as pulumi.Output<T>).apply(f) : f(value as T);
}

export interface WindowsHostServiceArgs {
    /** The validated stack configuration. */
    readonly config: NovaConfig;
    /** The host this component provisions. */
    readonly host: HostConfig;
    /** ssh private key or WinRM password of the host (a secret). */
    readonly credential: pulumi.Input<string>;
    /** Values of `config.appSecretEnvKeys` (a secret). */
    readonly appSecretEnv: pulumi.Input<Record<string, string>>;
    /**
     * Tunnel connector token (a secret).
     * @default none: required in tunnel mode, unused in direct mode
     */
    readonly tunnelToken?: pulumi.Input<string>;
    /**
     * Cloudflare's IPv4 and IPv6 ranges, for the direct-mode firewall rule.
     * @default none: required in direct mode, unused in tunnel mode
     */
    readonly cloudflareCidrs?: pulumi.Input<readonly string[]>;
    /**
     * The time that picks the certificate's renewal period (direct mode).
     * @default the current time
     */
    readonly now?: Date;
    /**
     * The health step of the host before this one (rolling restarts): this host's steps that may
     * restart the app or its connector (tools, dotenv, certificate, service, cloudflared) wait until that host is
     * healthy again, so at most one host restarts at a time.
     * @default none: the first (or only) host waits for nothing
     */
    readonly restartAfter?: pulumi.Resource;
    /**
     * Directory holding node_modules and scripts/winrmRun.ts, for the WinRM runner's absolute paths.
     * @default the root of this project (the directory above components/)
     */
    readonly projectRoot?: string;
}

/**
 * Provisions one Windows host over SSH or WinRM: tools, `.env`, NSSM service, cloudflared, firewall,
 * health. One command resource per step (`<name>-<step>`), each depending on the previous one, so a
 * destroy runs the deletes in reverse (the service is removed before the tools that run it). What each
 * command is given comes from the pure functions of components/host/commands.ts and winrmRunner.ts;
 * why a changed script re-runs a step through `stdin` rather than `triggers` is explained there.
 * `addPreviousOutputInEnv` is off: over ssh it would send environment requests, which Windows sshd
 * refuses, and the steps never read a previous run's output.
 */
export class WindowsHostService extends pulumi.ComponentResource {
    /** The steps, in run order (each is the command resource `<name>-<step>`). */
    public readonly steps: readonly StepName[];
    /** How the commands reach the host. */
    public readonly transport: Transport;
    /** direct mode: the host's Origin CA certificate (its key stays on the host). */
    public readonly originCertificate?: cloudflare.OriginCaCertificate;
    /** The health step, the last one: done when the host answers after this update's changes. */
    public readonly health: pulumi.Resource;

    constructor(name: string, args: WindowsHostServiceArgs, opts?: pulumi.ComponentResourceOptions) {
        super("nova:host:WindowsHostService", name, {}, opts);
        const { config, host } = args;
        if (config.ingressMode === "tunnel" && args.tunnelToken === undefined) throw new Error(`${name}: tunnel mode needs tunnelToken`);
        if (config.ingressMode === "direct" && args.cloudflareCidrs === undefined) throw new Error(`${name}: direct mode needs cloudflareCidrs`);

        // Each step waits only for the secrets it reads (the service does not wait for the tunnel).
        const secretValues = (keys: readonly string[]): pulumi.Output<StepSecretValues> =>
            pulumi
                .all([keys.includes(TUNNEL_TOKEN_SECRET) ? args.tunnelToken : undefined, args.appSecretEnv])
                .apply(([tunnelToken, appSecretEnv]) => ({ ...(tunnelToken !== undefined ? { tunnelToken } : {}), appSecretEnv }));
        const cidrs = pulumi.output(args.cloudflareCidrs ?? []);
        const root = args.projectRoot ?? PROJECT_ROOT;

        this.steps = stepNames(config);
        this.transport = host.transport;
        const period = renewalPeriod(args.now ?? new Date(), config.originTls.certificateDays);
        let previous: pulumi.Resource | undefined;
        let certificate: cloudflare.OriginCaCertificate | undefined;
        const earlier: pulumi.Input<string>[] = [];
        for (const step of this.steps) {
            // The firewall and, in direct mode, the service (the proxies uvicorn trusts) wait for
            // Cloudflare's ranges; the other scripts are plain text, passed as plain inputs.
            const needsRanges = step === "firewall" || (step === "service" && config.ingressMode === "direct");
            // The create is bounded on the host itself by nova:stepTimeoutSeconds (stepBound.ts).
            const bound = { host: host.name, step, seconds: config.stepTimeoutSeconds };
            const scripts: pulumi.Input<StepScripts> = needsRanges
                ? cidrs.apply((list) => boundScripts(renderHostStep(step, config, host, { cloudflare: splitCidrs(list), renewalPeriod: period }), bound))
                : boundScripts(renderHostStep(step, config, host, { cloudflare: { ipv4: [], ipv6: [] }, renewalPeriod: period }), bound);
            const secretKeys = stepSecretKeys(step, config);
            let stdin: pulumi.Input<string>;
            if (step === "health") {
                const docs = [...earlier];
                stdin = pulumi.all([scripts, ...docs]).apply(([s, ...d]) => healthStdin(s as StepScripts, d as string[]));
            } else if (step === "certificate" && certificate) {
                // The issued certificate is public: it travels in the stdin document, not secret.
                stdin = pulumi.all([scripts, certificate.certificate]).apply(([s, pem]) => stepStdin(s, { [ORIGIN_CERTIFICATE_DOCUMENT_KEY]: pem }));
            } else if (secretKeys.length > 0) {
                stdin = pulumi.secret(pulumi.all([scripts, secretValues(secretKeys)]).apply(([s, v]) => stepStdin(s, secretsDocument(secretKeys, v))));
            } else {
                stdin = mapInput(scripts, (s) => stepStdin(s));
            }
            earlier.push(stdin);
            const lines = mapInput(scripts, (s) => (host.transport === "ssh" ? sshCommandLines(s) : winrmCommandLines(s, root)));
            const after = args.restartAfter !== undefined && RESTARTING_STEPS.includes(step) ? [args.restartAfter] : [];
            const dependsOn = [...(previous ? [previous] : []), ...after];
            const resourceOpts: pulumi.CustomResourceOptions = {
                parent: this,
                additionalSecretOutputs: [...STEP_SECRET_OUTPUTS],
                customTimeouts: stepTimeouts(config),
                ...(dependsOn.length > 0 ? { dependsOn } : {}),
            };
            const cmd = this.stepCommand(stepResourceName(name, step), step, args, lines, stdin, root, resourceOpts);
            // A detached host runs nothing, so it prints no CSR: it gets no new certificate.
            if (step === "certificate-request" && !args.host.detached) certificate = this.originCaCertificate(name, config, cmd);
            previous = cmd;
        }
        this.originCertificate = certificate;
        this.health = previous!;
        this.registerOutputs({ steps: this.steps, transport: this.transport, ...(certificate ? { certificateExpiresOn: certificate.expiresOn } : {}) });
    }

    /**
     * The Origin CA certificate for the CSR the request step printed. The CSR is public: it is read
     * out of stdout (which may be stored as a secret) and kept as a plain value.
     */
    private originCaCertificate(name: string, config: NovaConfig, request: command.remote.Command | command.local.Command): cloudflare.OriginCaCertificate {
        return new cloudflare.OriginCaCertificate(
            `${name}-origin-certificate`,
            {
                csr: pulumi.unsecret(request.stdout.apply(csrFromStdout)),
                hostnames: [config.hostname],
                requestType: "origin-ecc",
                requestedValidity: config.originTls.certificateDays,
            },
            { parent: this, dependsOn: [request] },
        );
    }

    private stepCommand(
        resourceName: string,
        step: StepName,
        args: WindowsHostServiceArgs,
        lines: pulumi.Input<StepCommandLines>,
        stdin: pulumi.Input<string>,
        root: string,
        opts: pulumi.CustomResourceOptions,
    ): command.remote.Command | command.local.Command {
        // A detached host: no create, update or delete, so the provider runs nothing and never dials it
        // (its Update runs `update`, else `create`, when set; its Delete runs `delete` when set).
        const run = args.host.detached
            ? {}
            : {
                  create: mapInput(lines, (l) => l.create),
                  update: mapInput(lines, (l) => l.update),
                  // Absent for steps that own nothing on the host: an undefined value is not sent at all.
                  delete: mapInput(lines, (l) => l.delete) as pulumi.Input<string>,
                  stdin,
              };
        const common = { ...run, logging: STEP_LOGGING, addPreviousOutputInEnv: false };
        if (args.host.transport === "ssh") {
            const connection = { ...sshConnection(args.host), privateKey: pulumi.secret(args.credential) };
            return new command.remote.Command(resourceName, { ...common, connection }, opts);
        }
        const environment = { ...winrmEnvironment(args.host, root, args.config.stepTimeoutSeconds, step), NOVA_WINRM_PASSWORD: pulumi.secret(args.credential) };
        return new command.local.Command(resourceName, { ...common, environment }, opts);
    }
}
