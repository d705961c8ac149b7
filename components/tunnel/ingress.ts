/**
 * The tunnel's ingress rules, computed once from the configuration and shared by the
 * `ZeroTrustTunnelCloudflaredConfig` resource and the offline plan's `cloudflared-config.yml`.
 *
 * Field names follow @pulumi/cloudflare v6 (`ZeroTrustTunnelCloudflaredConfigConfigIngress`);
 * durations are integer seconds, as the Cloudflare API takes them.
 */
import { NovaConfig } from "../types";

/** How cloudflared talks to the origin (the subset of `originRequest` we set). */
export interface OriginRequest {
    /** Seconds to open a TCP connection to the origin. */
    readonly connectTimeout?: number;
    /** Seconds before an idle keep-alive connection to the origin is closed. */
    readonly keepAliveTimeout?: number;
    /** Idle keep-alive connections kept open to the origin. */
    readonly keepAliveConnections?: number;
    /** Seconds between TCP keep-alive probes on origin connections. */
    readonly tcpKeepAlive?: number;
    /** Speak HTTP/2 to the origin (https origins only). */
    readonly http2Origin?: boolean;
    /** Skip TLS verification of an https origin. */
    readonly noTlsVerify?: boolean;
    /** Host header sent to the origin instead of the public hostname. */
    readonly httpHostHeader?: string;
    /** Disable the IPv4/IPv6 "happy eyeballs" fallback. */
    readonly noHappyEyeballs?: boolean;
}

/** One ingress rule; a rule without `hostname` matches every request. */
export interface Ingress {
    readonly hostname?: string;
    readonly service: string;
    readonly originRequest?: OriginRequest;
}

/** The mandatory last rule: anything not matched above gets a 404 from the edge connector. */
export const CATCH_ALL_SERVICE = "http_status:404";

/**
 * Seconds cloudflared keeps an idle connection to the origin: below uvicorn's own idle timeout
 * (`--timeout-keep-alive`, 5 s by default), so cloudflared always closes first and never sends a
 * request on a connection the origin is closing.
 */
export const ORIGIN_KEEPALIVE_TIMEOUT_SECONDS = 4;

/**
 * Origin settings for the backend: plain HTTP/1.1 uvicorn on the loopback interface.
 *
 * - `connectTimeout` 10 s: the origin is local; a slow connect means the service is down, fail fast.
 * - `keepAliveTimeout` 4 s / `keepAliveConnections` 100: reuse connections to the origin, but drop
 *   idle ones before uvicorn does (5 s by default), or a request can land on a connection the origin
 *   is closing. Reconnecting over loopback costs next to nothing.
 * - `http2Origin` false: uvicorn speaks HTTP/1.1 only, and cloudflared's HTTP/2 origin mode needs https.
 * - No `noTlsVerify`: the origin is `http://`, there is no certificate to verify.
 * - No `noHappyEyeballs`: the origin is the IPv4 literal 127.0.0.1, there is no IPv6 fallback to race.
 * - WebSockets (`/ws`) need no setting here: cloudflared forwards `Upgrade: websocket` requests on an
 *   `http://` service as they are; the zone's `websockets` setting must be on.
 */
export const ORIGIN_REQUEST: OriginRequest = {
    connectTimeout: 10,
    keepAliveTimeout: ORIGIN_KEEPALIVE_TIMEOUT_SECONDS,
    keepAliveConnections: 100,
    http2Origin: false,
};

/** The origin URL cloudflared forwards to: the backend's one configured port on the loopback. */
export function originServiceUrl(config: Pick<NovaConfig, "appPort">): string {
    return `http://127.0.0.1:${config.appPort}`;
}

/** The public hostnames the tunnel serves: the stack's hostname first, then the extra ones in order. */
export function tunnelHostnames(config: Pick<NovaConfig, "hostname" | "tunnel">): string[] {
    return [config.hostname, ...config.tunnel.extraHostnames];
}

/**
 * The ingress rules of the tunnel: one rule per public hostname to the backend, then the catch-all.
 * The catch-all is always added here and never comes from configuration.
 */
export function buildIngress(config: Pick<NovaConfig, "hostname" | "tunnel" | "appPort">): Ingress[] {
    const service = originServiceUrl(config);
    const rules: Ingress[] = tunnelHostnames(config).map((hostname) => ({
        hostname,
        service,
        originRequest: { ...ORIGIN_REQUEST },
    }));
    rules.push({ service: CATCH_ALL_SERVICE });
    return rules;
}
