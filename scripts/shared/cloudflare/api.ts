/**
 * The Cloudflare API calls adopt makes, through the official SDK (`cloudflare` on npm). Reads are what
 * the inspection needs; the two deletes run only behind their explicit flags. Answers keep the SDK's
 * own types, so the test stand-in is checked against the same shapes.
 */
import Cloudflare from "cloudflare";
import type { RecordResponse } from "cloudflare/resources/dns/records";
import type { PageRule } from "cloudflare/resources/page-rules/page-rules";
import type { PhaseGetResponse } from "cloudflare/resources/rulesets/phases/phases";
import type { Phase } from "cloudflare/resources/rulesets/rulesets";
import type { CloudflareTunnel } from "cloudflare/resources/shared";
import type { Client } from "cloudflare/resources/zero-trust/tunnels/cloudflared/connections";

export type { Client, CloudflareTunnel, PageRule, Phase, PhaseGetResponse, RecordResponse };

export interface EdgeApi {
    /** Id of the zone called `name` (in `accountId` when given), undefined when there is none. */
    zoneIdByName(name: string, accountId: string | undefined): Promise<string | undefined>;
    /** Every record named exactly `name`. */
    records(zoneId: string, name: string): Promise<RecordResponse[]>;
    pageRules(zoneId: string): Promise<PageRule[]>;
    /** The zone's entry-point ruleset of `phase`, undefined when the phase has none. */
    entrypoint(zoneId: string, phase: Phase): Promise<PhaseGetResponse | undefined>;
    /** The account's Cloudflare Tunnels that are not deleted. */
    tunnels(accountId: string): Promise<CloudflareTunnel[]>;
    /** The connectors currently connected to a tunnel. */
    tunnelConnections(accountId: string, tunnelId: string): Promise<Client[]>;
    deletePageRule(zoneId: string, pageRuleId: string): Promise<void>;
    deleteTunnel(accountId: string, tunnelId: string): Promise<void>;
}

export interface EdgeApiOptions {
    readonly apiToken: string;
    /** Default: Cloudflare's API (the SDK's default). */
    readonly baseURL?: string;
    /** Per request, milliseconds. */
    readonly timeoutMs: number;
    /** Retries of a failed request (connection errors, 408/409/429/5xx). */
    readonly maxRetries: number;
}

/** The status code of an SDK error, when the API answered. */
export function statusOf(err: unknown): number | undefined {
    return err instanceof Cloudflare.APIError ? (err.status as number | undefined) : undefined;
}

/** The API through the SDK. */
export function sdkEdgeApi(opts: EdgeApiOptions): EdgeApi {
    const cf = new Cloudflare({
        apiToken: opts.apiToken,
        ...(opts.baseURL !== undefined ? { baseURL: opts.baseURL } : {}),
        timeout: opts.timeoutMs,
        maxRetries: opts.maxRetries,
    });
    const all = async <T>(pages: AsyncIterable<T>): Promise<T[]> => {
        const out: T[] = [];
        for await (const item of pages) out.push(item);
        return out;
    };
    return {
        async zoneIdByName(name, accountId) {
            const zones = await all(cf.zones.list({ name, ...(accountId ? { account: { id: accountId } } : {}) }));
            return zones.find((z) => z.name === name)?.id;
        },
        records: (zoneId, name) => all(cf.dns.records.list({ zone_id: zoneId, name: { exact: name } })),
        pageRules: (zoneId) => cf.pageRules.list({ zone_id: zoneId }),
        async entrypoint(zoneId, phase) {
            try {
                return await cf.rulesets.phases.get(phase, { zone_id: zoneId });
            } catch (err) {
                if (statusOf(err) === 404) return undefined;
                throw err;
            }
        },
        tunnels: (accountId) => all(cf.zeroTrust.tunnels.cloudflared.list({ account_id: accountId, is_deleted: false })),
        tunnelConnections: (accountId, tunnelId) => all(cf.zeroTrust.tunnels.cloudflared.connections.get(tunnelId, { account_id: accountId })),
        async deletePageRule(zoneId, pageRuleId) {
            await cf.pageRules.delete(pageRuleId, { zone_id: zoneId });
        },
        async deleteTunnel(accountId, tunnelId) {
            await cf.zeroTrust.tunnels.cloudflared.delete(tunnelId, { account_id: accountId });
        },
    };
}

/** One line for an SDK error: the API's status and message, or the connection failure. Never holds the token. */
export function apiErrorText(err: unknown): string {
    if (err instanceof Cloudflare.APIConnectionError) {
        // fetch wraps the socket error: the code is one or two causes down.
        let cause: unknown = err;
        let why = err.message;
        for (let i = 0; i < 4 && cause; i++) {
            const c = cause as { code?: string; message?: string; cause?: unknown };
            why = c.code ?? c.message ?? why;
            cause = c.cause;
        }
        return `Cloudflare API unreachable (${why})`;
    }
    if (err instanceof Cloudflare.APIError) return `Cloudflare API answered ${err.status ?? "no status"}: ${err.message}`;
    return `Cloudflare API call failed: ${(err as Error).message}`;
}
