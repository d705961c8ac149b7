/**
 * The stack as adopt needs it from the Pulumi CLI: the decrypted configuration (the Cloudflare token,
 * host credentials, the app's secret environment), the tunnel token, and which resources the state
 * already holds with which ids (so an object imported before is not offered again).
 */
import { configValuesFromJson, runPulumiCli, tunnelTokenFromExport } from "../shared/audit/stackSecrets";

export interface StackView {
    /** Full key to raw string value, secrets decrypted. */
    readonly values: Readonly<Record<string, string>>;
    readonly tunnelToken?: string;
    /** Resource URN to provider id, for the custom resources of the state. */
    readonly stateIds: ReadonlyMap<string, string>;
}

export type StackViewReader = (stack: string, rootDir: string) => Promise<StackView>;

/** URN → id of the custom resources in `pulumi stack export` output (a stack never updated has none). */
export function stateIdsFromExport(text: string): Map<string, string> {
    const doc = JSON.parse(text) as { deployment?: { resources?: { urn?: unknown; id?: unknown; custom?: unknown }[] } };
    const ids = new Map<string, string>();
    for (const r of doc.deployment?.resources ?? []) {
        if (r.custom === true && typeof r.urn === "string" && typeof r.id === "string" && r.id.length > 0) ids.set(r.urn, r.id);
    }
    return ids;
}

/** The real reader, through the Pulumi CLI; rejects with the CLI's reason. */
export async function readStackViewWithCli(stack: string, rootDir: string): Promise<StackView> {
    const values = configValuesFromJson(await runPulumiCli(["config", "--show-secrets", "--json", "--stack", stack], rootDir));
    const exported = await runPulumiCli(["stack", "export", "--show-secrets", "--stack", stack], rootDir);
    const tunnelToken = tunnelTokenFromExport(exported);
    return { values, stateIds: stateIdsFromExport(exported), ...(tunnelToken !== undefined ? { tunnelToken } : {}) };
}
