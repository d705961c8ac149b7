/** Command-line arguments of `npm run adopt`. */
import { parseArgs } from "node:util";
import { parseTimeoutMs } from "../drift/args";

export interface AdoptArgs {
    readonly stack: string;
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

export const USAGE =
    "usage: adopt [--stack NAME] [--json] [--only edge|hosts] [--write-import FILE] [--delete-page-rules] [--delete-old-tunnel] [--cloudflare-ranges FILE] [--timeout MS]";

/** Parse and validate; throws an Error with a readable message on bad arguments. */
export function parseAdoptArgs(argv: readonly string[]): AdoptArgs {
    const { values, positionals } = parseArgs({
        args: [...argv],
        strict: true,
        allowPositionals: true,
        options: {
            stack: { type: "string", default: "prod" },
            json: { type: "boolean", default: false },
            "write-import": { type: "string" },
            "delete-page-rules": { type: "boolean", default: false },
            "delete-old-tunnel": { type: "boolean", default: false },
            only: { type: "string" },
            "cloudflare-ranges": { type: "string" },
            timeout: { type: "string" },
        },
    });
    if (positionals.length > 0) throw new Error(`unexpected argument: ${positionals[0]}`);
    if (values.only !== undefined && values.only !== "edge" && values.only !== "hosts") throw new Error(`--only: expected edge or hosts: ${values.only}`);
    const edgeFlags = [["--write-import", values["write-import"] !== undefined], ["--delete-page-rules", values["delete-page-rules"]], ["--delete-old-tunnel", values["delete-old-tunnel"]]] as const;
    for (const [flag, set] of edgeFlags) if (set && values.only === "hosts") throw new Error(`${flag}: not with --only hosts (it acts on the edge)`);
    if (values["write-import"] === "") throw new Error("--write-import: expected a file path");
    const timeoutMs = parseTimeoutMs(values.timeout);
    return {
        stack: values.stack ?? "prod",
        json: values.json ?? false,
        deletePageRules: values["delete-page-rules"] ?? false,
        deleteOldTunnel: values["delete-old-tunnel"] ?? false,
        timeoutMs,
        ...(values["write-import"] !== undefined ? { writeImport: values["write-import"] } : {}),
        ...(values.only !== undefined ? { only: values.only as "edge" | "hosts" } : {}),
        ...(values["cloudflare-ranges"] !== undefined ? { cloudflareRangesFile: values["cloudflare-ranges"] } : {}),
    };
}
