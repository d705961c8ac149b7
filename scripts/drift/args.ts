/** Command-line arguments of `npm run drift`. */
import { parseArgs } from "node:util";
import { STEP_ORDER, type StepName } from "../../components/host/steps";

export interface DriftArgs {
    readonly stack: string;
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

export const USAGE =
    "usage: drift [--stack NAME] [--json] [--only hosts|edge] [--cloudflare-ranges FILE] [--timeout MS] [--repair [--yes] [--host NAME] [--step NAME]]";

/** An argument that does not fit the stack (e.g. `--host` naming no host of it). */
export class DriftArgsError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "DriftArgsError";
    }
}

export const DEFAULT_AUDIT_TIMEOUT_MS = 120_000;
const MAX_TIMEOUT_MS = 600_000;

/** `--timeout MS` of one audit (default {@link DEFAULT_AUDIT_TIMEOUT_MS}); throws on a value out of range. */
export function parseTimeoutMs(value: string | undefined): number {
    if (value === undefined) return DEFAULT_AUDIT_TIMEOUT_MS;
    if (!/^\d+$/.test(value) || Number(value) < 1 || Number(value) > MAX_TIMEOUT_MS) {
        throw new Error(`--timeout: expected milliseconds between 1 and ${MAX_TIMEOUT_MS}: ${value}`);
    }
    return Number(value);
}

/** Parse and validate; throws an Error with a readable message on bad arguments. */
export function parseDriftArgs(argv: readonly string[]): DriftArgs {
    const { values, positionals } = parseArgs({
        args: [...argv],
        strict: true,
        allowPositionals: true,
        options: {
            stack: { type: "string", default: "prod" },
            json: { type: "boolean", default: false },
            repair: { type: "boolean", default: false },
            yes: { type: "boolean", default: false },
            "cloudflare-ranges": { type: "string" },
            timeout: { type: "string" },
            only: { type: "string" },
            host: { type: "string" },
            step: { type: "string" },
        },
    });
    if (positionals.length > 0) throw new Error(`unexpected argument: ${positionals[0]}`);
    if (values.yes && !values.repair) throw new Error("--yes: only with --repair");
    if (values.host !== undefined && !values.repair) throw new Error("--host: only with --repair");
    if (values.step !== undefined && !values.repair) throw new Error("--step: only with --repair");
    if (values.step !== undefined && !(STEP_ORDER as readonly string[]).includes(values.step)) {
        throw new Error(`--step: expected one of ${STEP_ORDER.join(", ")}: ${values.step}`);
    }
    const timeoutMs = parseTimeoutMs(values.timeout);
    if (values.only !== undefined && values.only !== "hosts" && values.only !== "edge") {
        throw new Error(`--only: expected hosts or edge: ${values.only}`);
    }
    return {
        stack: values.stack ?? "prod",
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
