import { NovaConfig } from "../types";

/** One DNS record of the hostname. `T` is the type of a content not known yet (the tunnel target). */
export interface DnsRecordSpec<T> {
    /**
     * Child name suffix: `record` for the main record, `record-aaaa` for the IPv6 one,
     * `record-<hostname>` for each extra tunnel hostname (unique, and stable when the list is reordered).
     */
    readonly suffix: string;
    readonly type: "A" | "AAAA" | "CNAME";
    readonly content: string | T;
    readonly name: string;
    readonly proxied: true;
    /** 1 = automatic, the only TTL a proxied record takes. */
    readonly ttl: 1;
    readonly comment: string;
}

/** The CNAME target of a Cloudflare Tunnel (there is no attribute for it). */
export function tunnelCnameTarget(tunnelId: string): string {
    return `${tunnelId}.cfargotunnel.com`;
}

/** Comment put on every record we own. */
export function managedComment(stack: string): string {
    return `Managed by nova-infra (stack ${stack})`;
}

/**
 * The hostname's records. direct: A to `originIpv4` (+ AAAA to `originIpv6`); tunnel: CNAME to
 * `tunnelTarget` (the caller passes `<tunnel id>.cfargotunnel.com`, possibly not known yet).
 * The main record keeps the child name `record` in both modes, so switching mode updates it.
 * @throws Error when the mode's required input is missing.
 */
export function hostnameRecordSpecs<T>(config: NovaConfig, tunnelTarget: T | undefined): DnsRecordSpec<T>[] {
    const common = {
        name: config.hostname,
        proxied: true,
        ttl: 1,
        comment: managedComment(config.stack),
    } as const;
    if (config.ingressMode === "tunnel") {
        if (tunnelTarget === undefined) {
            throw new Error(
                `NovaDns: nova:ingressMode is "tunnel" but no tunnelId was given; ` +
                    `pass the tunnel's id so ${config.hostname} can point at <tunnel id>.cfargotunnel.com`,
            );
        }
        return [
            { suffix: "record", type: "CNAME", content: tunnelTarget, ...common },
            // Extra hostnames are routed by the tunnel's ingress too: each needs the same CNAME.
            ...config.tunnel.extraHostnames.map((name) => ({
                suffix: `record-${name.toLowerCase()}`,
                type: "CNAME" as const,
                content: tunnelTarget,
                ...common,
                name,
            })),
        ];
    }
    if (!config.originIpv4) {
        throw new Error(`NovaDns: nova:ingressMode is "direct" but nova:originIp is not set`);
    }
    const records: DnsRecordSpec<T>[] = [{ suffix: "record", type: "A", content: config.originIpv4, ...common }];
    if (config.originIpv6) {
        records.push({ suffix: "record-aaaa", type: "AAAA", content: config.originIpv6, ...common });
    }
    return records;
}
