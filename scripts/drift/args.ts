/** Command-line arguments of `npm run drift`. */
import { AUDIT_OPTIONS, parseTimeoutMs } from "../shared/audit/options";
import { ArgsError, parseCommandArgs, STACK_OPTION, usageLine } from "../shared/cli/args";
import { STEP_ORDER, type StepName } from "../../components/host/steps";

export interface DriftArgs {
    /** Undefined: the default stack (see scripts/shared/cli/selectedStack.ts). */
    readonly stack?: string;
    readonly json: boolean;
    /** Print the repair plan of the drifted host steps (their create scripts, re-applied). */
    readonly repair: boolean;
    /** With `repair`: run it. */
    readonly yes: boolean;
    /** With `repair`: only this host's drifted steps. */
    readonly host?: string;
    /** With `repair`: only this drifted step. */
    readonly step?: StepName;
    /** JSON file `{ipv4Cidrs, ipv6Cidrs}` of Cloudflare's ranges (direct mode firewall audit). */
    readonly cloudflareRangesFile?: string;
    /** Time limit of one audit on one host, milliseconds. */
    readonly timeoutMs: number;
    /** Check only one half. */
    readonly only?: "hosts" | "edge";
}

export const DRIFT_SPEC = {
    name: "drift",
    summary: "Drift of a stack: each host step's audit script over the host's transport, and the edge through `pulumi refresh --preview-only`.",
    options: {
        stack: STACK_OPTION,
        json: { type: "boolean", description: "print one JSON report (run it as `npm run -s drift -- --json`)" },
        only: { type: "string", value: "hosts|edge", description: "check one half only" },
        ...AUDIT_OPTIONS,
        repair: { type: "boolean", description: "list the drifted host steps and the command that re-applies them" },
        yes: { type: "boolean", description: "with --repair: re-apply them, then audit them again" },
        host: { type: "string", value: "NAME", description: "with --repair: only this host" },
        step: { type: "string", value: "NAME", description: "with --repair: only this step" },
    },
    details: "Exit code: 0 no drift (after a repair: none left), 2 drift found (or left), 1 something could not be checked, bad arguments, or a repair that did not leave its step clean.",
} as const;

export const USAGE = usageLine(DRIFT_SPEC);

/** An argument that does not fit the stack (e.g. `--host` naming no host of it). */
export class DriftArgsError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "DriftArgsError";
    }
}

/** Parse and validate; throws an Error with a readable message on bad arguments. */
export function parseDriftArgs(argv: readonly string[]): DriftArgs {
    const values = parseCommandArgs(DRIFT_SPEC, argv);
    if (values.yes && !values.repair) throw new ArgsError("--yes: only with --repair");
    if (values.host !== undefined && !values.repair) throw new ArgsError("--host: only with --repair");
    if (values.step !== undefined && !values.repair) throw new ArgsError("--step: only with --repair");
    if (values.step !== undefined && !(STEP_ORDER as readonly string[]).includes(values.step)) {
        throw new ArgsError(`--step: expected one of ${STEP_ORDER.join(", ")}: ${values.step}`);
    }
    const timeoutMs = parseTimeoutMs(values.timeout);
    if (values.only !== undefined && values.only !== "hosts" && values.only !== "edge") {
        throw new ArgsError(`--only: expected hosts or edge: ${values.only}`);
    }
    return {
        ...(values.stack !== undefined ? { stack: values.stack } : {}),
        json: values.json ?? false,
        repair: values.repair ?? false,
        yes: values.yes ?? false,
        timeoutMs,
        ...(values["cloudflare-ranges"] !== undefined ? { cloudflareRangesFile: values["cloudflare-ranges"] } : {}),
        ...(values.only !== undefined ? { only: values.only as "hosts" | "edge" } : {}),
        ...(values.host !== undefined ? { host: values.host } : {}),
        ...(values.step !== undefined ? { step: values.step as StepName } : {}),
    };
}
