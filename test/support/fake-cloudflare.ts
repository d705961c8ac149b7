/**
 * A stand-in for Cloudflare's API (client/v4) on 127.0.0.1, for the adopt tests: it answers the calls
 * adopt makes with the API's envelopes (`{success, errors, messages, result[, result_info]}`), pages
 * lists the way the SDK walks them (an empty page ends the list), answers 404 for a phase without an
 * entry point and 403 for a wrong token, and records every request. Its data are typed with the SDK's
 * own response types (test/support/fixtures/cloudflareZone.ts), so a shape the SDK does not know fails to compile.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Client, CloudflareTunnel, PageRule, PhaseGetResponse, RecordResponse } from "../../scripts/shared/cloudflare/api";
import type { Zone } from "cloudflare/resources/zones/zones";
import type { PageRuleDeleteResponse } from "cloudflare/resources/page-rules/page-rules";

export interface CloudflareData {
    zones: Zone[];
    /** By zone id. */
    records: Record<string, RecordResponse[]>;
    pageRules: Record<string, PageRule[]>;
    entrypoints: Record<string, PhaseGetResponse[]>;
    /** By account id. */
    tunnels: Record<string, CloudflareTunnel[]>;
    /** By tunnel id. */
    connections: Record<string, Client[]>;
    /** Phases whose entry point the token may not read (403, as without the phase's permission). */
    forbiddenPhases?: string[];
    /** The token may not read the account's tunnels (403, as without Cloudflare Tunnel Read). */
    forbidTunnels?: boolean;
}

export interface RecordedRequest {
    readonly method: string;
    readonly path: string;
    readonly query: Record<string, string>;
}

export interface FakeCloudflare {
    /** Base URL for the SDK's `baseURL` option. */
    readonly baseURL: string;
    readonly token: string;
    /** Replaces the data the API answers with (a deep copy is kept: deletions change only the copy). */
    setData(data: CloudflareData): void;
    data(): CloudflareData;
    requests(): RecordedRequest[];
    clear(): void;
    stop(): Promise<void>;
}

type Answer = { status: number; body: unknown };

const ok = (result: unknown, resultInfo?: unknown): Answer => ({ status: 200, body: { success: true, errors: [], messages: [], result, ...(resultInfo ? { result_info: resultInfo } : {}) } });
const error = (status: number, code: number, message: string): Answer => ({ status, body: { success: false, errors: [{ code, message }], messages: [], result: null } });

/** One page of a V4PagePaginationArray list. */
function page<T>(items: readonly T[], query: Record<string, string>): Answer {
    const perPage = Number(query.per_page ?? 100);
    const n = Number(query.page ?? 1);
    const slice = items.slice((n - 1) * perPage, n * perPage);
    return ok(slice, { page: n, per_page: perPage, count: slice.length, total_count: items.length });
}

export async function startFakeCloudflare(token = "test-token-cf-3f9a"): Promise<FakeCloudflare> {
    let data: CloudflareData = { zones: [], records: {}, pageRules: {}, entrypoints: {}, tunnels: {}, connections: {} };
    let log: RecordedRequest[] = [];

    function route(method: string, path: string, query: Record<string, string>): Answer {
        let m: RegExpExecArray | null;
        if (method === "GET" && path === "/zones") {
            return page(data.zones.filter((z) => (query.name === undefined || z.name === query.name) && (query["account.id"] === undefined || z.account.id === query["account.id"])), query);
        }
        if ((m = /^\/zones\/([^/]+)\/dns_records$/.exec(path)) && method === "GET") {
            const exact = query["name.exact"];
            return page((data.records[m[1]] ?? []).filter((r) => exact === undefined || r.name === exact), query);
        }
        if ((m = /^\/zones\/([^/]+)\/pagerules$/.exec(path)) && method === "GET") return ok(data.pageRules[m[1]] ?? []);
        if ((m = /^\/zones\/([^/]+)\/pagerules\/([^/]+)$/.exec(path)) && method === "DELETE") {
            const list = data.pageRules[m[1]] ?? [];
            const id = m[2];
            if (!list.some((p) => p.id === id)) return error(404, 1002, "Page Rule not found");
            data.pageRules[m[1]] = list.filter((p) => p.id !== id);
            return ok({ id } satisfies PageRuleDeleteResponse);
        }
        if ((m = /^\/zones\/([^/]+)\/rulesets\/phases\/([a-z_]+)\/entrypoint$/.exec(path)) && method === "GET") {
            if ((data.forbiddenPhases ?? []).includes(m[2])) return error(403, 10000, "Authentication error");
            const found = (data.entrypoints[m[1]] ?? []).find((r) => r.phase === m![2]);
            return found ? ok(found) : error(404, 10003, `could not find entrypoint ruleset in the ${m[2]} phase`);
        }
        if (path.startsWith("/accounts/") && data.forbidTunnels) return error(403, 10000, "Authentication error");
        if ((m = /^\/accounts\/([^/]+)\/cfd_tunnel$/.exec(path)) && method === "GET") {
            return page((data.tunnels[m[1]] ?? []).filter((t) => query.is_deleted !== "false" || !t.deleted_at), query);
        }
        if ((m = /^\/accounts\/([^/]+)\/cfd_tunnel\/([^/]+)\/connections$/.exec(path)) && method === "GET") return ok(data.connections[m[2]] ?? []);
        if ((m = /^\/accounts\/([^/]+)\/cfd_tunnel\/([^/]+)$/.exec(path)) && method === "DELETE") {
            const list = data.tunnels[m[1]] ?? [];
            const t = list.find((x) => x.id === m![2]);
            if (t === undefined) return error(404, 1003, "tunnel not found");
            data.tunnels[m[1]] = list.filter((x) => x.id !== t.id);
            return ok({ ...t, deleted_at: "2026-12-01T00:00:00Z" } satisfies CloudflareTunnel);
        }
        return error(404, 7003, `no route for ${method} ${path}`);
    }

    const server = createServer((req: IncomingMessage, res: ServerResponse) => {
        const url = new URL(req.url ?? "/", "http://127.0.0.1");
        const path = url.pathname.replace(/^\/client\/v4/, "");
        const query = Object.fromEntries(url.searchParams.entries());
        req.resume();
        req.on("end", () => {
            log.push({ method: req.method ?? "", path, query });
            const answer = req.headers.authorization !== `Bearer ${token}` ? error(403, 9109, "Invalid access token") : route(req.method ?? "", path, query);
            res.writeHead(answer.status, { "content-type": "application/json" });
            res.end(JSON.stringify(answer.body));
        });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    return {
        baseURL: `http://127.0.0.1:${port}/client/v4`,
        token,
        setData: (d) => void (data = structuredClone(d)),
        data: () => data,
        requests: () => [...log],
        clear: () => void (log = []),
        stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
    };
}
