/** Command-line arguments of `npm run adopt`. */
import { AUDIT_OPTIONS, parseTimeoutMs } from "../shared/audit/options";
import { ArgsError, parseCommandArgs, STACK_OPTION, usageLine } from "../shared/cli/args";

export interface AdoptArgs {
    /** Undefined: the default stack (see scripts/shared/cli/selectedStack.ts). */
    readonly stack?: string;
    readonly json: boolean;
    /** Write the `pulumi import --file` document here. */
    readonly writeImport?: string;
    /** Delete the Page Rules the program's Rules replace (refused while those Rules are not in the zone). */
    readonly deletePageRules: boolean;
    /** Delete the tunnels the program's tunnel replaces (refused while ours is not healthy). */
    readonly deleteOldTunnel: boolean;
    /** Check only one half. */
    readonly only?: "edge" | "hosts";
    /** JSON file `{ipv4Cidrs, ipv6Cidrs}` of Cloudflare's ranges (direct mode firewall audit). */
    readonly cloudflareRangesFile?: string;
    /** Time limit of one audit on one host, milliseconds. */
    readonly timeoutMs: number;
}

export const ADOPT_SPEC = {
    name: "adopt",
    summary:
        "Takes over what the manual guide made: inspects the zone (Cloudflare's API, with the stack's token) and each host (its audits), and prints each object found and what the program will do with it (import, replace, remove, keep). Read-only unless a deletion flag is given.",
    options: {
        stack: STACK_OPTION,
        json: { type: "boolean", description: "print one JSON report (run it as `npm run -s adopt -- --json`)" },
        only: { type: "string", value: "edge|hosts", description: "check one half only" },
        "write-import": { type: "string", value: "FILE", description: "write the `pulumi import --file` document of the objects to import" },
        "delete-page-rules": { type: "boolean", description: "delete the Page Rules the program's Rules replace (refused while those Rules are not in the zone)" },
        "delete-old-tunnel": { type: "boolean", description: "delete the tunnels the program's tunnel replaces (refused while ours is not healthy)" },
        ...AUDIT_OPTIONS,
    },
    details: "Exit code: 0 nothing to adopt, 2 objects to adopt, 1 something could not be checked, bad arguments, or a deletion refused.",
} as const;

export const USAGE = usageLine(ADOPT_SPEC);

/** Parse and validate; throws an ArgsError naming the option on bad arguments. */
export function parseAdoptArgs(argv: readonly string[]): AdoptArgs {
    const values = parseCommandArgs(ADOPT_SPEC, argv);
    if (values.only !== undefined && values.only !== "edge" && values.only !== "hosts") throw new ArgsError(`--only: expected edge or hosts: ${values.only}`);
    const edgeFlags = [["--write-import", values["write-import"] !== undefined], ["--delete-page-rules", values["delete-page-rules"] === true], ["--delete-old-tunnel", values["delete-old-tunnel"] === true]] as const;
    for (const [flag, set] of edgeFlags) if (set && values.only === "hosts") throw new ArgsError(`${flag}: not with --only hosts (it acts on the edge)`);
    const timeoutMs = parseTimeoutMs(values.timeout);
    return {
        ...(values.stack !== undefined ? { stack: values.stack } : {}),
        json: values.json ?? false,
        deletePageRules: values["delete-page-rules"] ?? false,
        deleteOldTunnel: values["delete-old-tunnel"] ?? false,
        timeoutMs,
        ...(values["write-import"] !== undefined ? { writeImport: values["write-import"] } : {}),
        ...(values.only !== undefined ? { only: values.only as "edge" | "hosts" } : {}),
        ...(values["cloudflare-ranges"] !== undefined ? { cloudflareRangesFile: values["cloudflare-ranges"] } : {}),
    };
}
