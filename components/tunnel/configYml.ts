/**
 * The cloudflared `config.yml` equivalent of the tunnel's remote configuration, for review.
 */
import { Document } from "yaml";
import { NovaConfig } from "../types";
import { buildIngress, Ingress, OriginRequest } from "./ingress";

/**
 * cloudflared's own `originRequest` key for each field, and whether it is a duration. cloudflared reads
 * durations in YAML as Go durations (`10s`), where the API takes integer seconds. Typed over every
 * field of `OriginRequest`, so a new field cannot be forgotten here.
 */
const ORIGIN_REQUEST_YAML: { readonly [K in keyof Required<OriginRequest>]: { key: string; duration: boolean } } = {
    connectTimeout: { key: "connectTimeout", duration: true },
    keepAliveTimeout: { key: "keepAliveTimeout", duration: true },
    keepAliveConnections: { key: "keepAliveConnections", duration: false },
    tcpKeepAlive: { key: "tcpKeepAlive", duration: true },
    http2Origin: { key: "http2Origin", duration: false },
    noTlsVerify: { key: "noTLSVerify", duration: false },
    httpHostHeader: { key: "httpHostHeader", duration: false },
    noHappyEyeballs: { key: "noHappyEyeballs", duration: false },
};

/** `originRequest` in cloudflared's config-file spelling, keys in `ORIGIN_REQUEST_YAML` order. */
export function originRequestToYaml(origin: OriginRequest): Record<string, string | number | boolean> {
    const out: Record<string, string | number | boolean> = {};
    for (const field of Object.keys(ORIGIN_REQUEST_YAML) as (keyof OriginRequest)[]) {
        const value = origin[field];
        if (value === undefined) {
            continue;
        }
        const { key, duration } = ORIGIN_REQUEST_YAML[field];
        out[key] = duration ? `${value}s` : value;
    }
    return out;
}

/** One ingress rule in cloudflared's config-file spelling. */
function ingressToYaml(rule: Ingress): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    if (rule.hostname !== undefined) {
        out.hostname = rule.hostname;
    }
    out.service = rule.service;
    if (rule.originRequest !== undefined) {
        out.originRequest = originRequestToYaml(rule.originRequest);
    }
    return out;
}

const HEADER = [
    " cloudflared configuration equivalent to the tunnel's remote (Cloudflare-managed) configuration.",
    " Generated for review and manual checks; it is not deployed. The hosts' connectors run with the",
    " tunnel token and receive their ingress from Cloudflare, so there is no credentials-file here.",
    " Check it locally with:",
    "   cloudflared tunnel --config cloudflared-config.yml ingress validate",
    "   cloudflared tunnel --config cloudflared-config.yml ingress rule https://<hostname>/",
    " A connector started by hand needs only the token (the stack's secret output `token`), kept off",
    " the command line:  cloudflared tunnel run --token-file <file holding the token>",
].join("\n");

/**
 * Renders cloudflared's `config.yml` for the tunnel `tunnelId`: `tunnel` and `ingress` (hostname,
 * service, originRequest in cloudflared's documented keys), ending with the catch-all rule.
 * Holds no secret: neither the token nor a credentials file.
 */
export function renderCloudflaredConfigYml(
    config: Pick<NovaConfig, "hostname" | "tunnel" | "appPort">,
    tunnelId: string,
): string {
    const doc = new Document({
        tunnel: tunnelId,
        ingress: buildIngress(config).map(ingressToYaml),
    });
    doc.commentBefore = HEADER;
    return doc.toString({ lineWidth: 0 });
}
