"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.originRequestToYaml = originRequestToYaml;
exports.renderCloudflaredConfigYml = renderCloudflaredConfigYml;
/**
 * The cloudflared `config.yml` equivalent of the tunnel's remote configuration, for review.
 */
const yaml_1 = require("yaml");
const ingress_1 = require("./ingress");
/**
 * cloudflared's own `originRequest` key for each field, and whether it is a duration. cloudflared reads
 * durations in YAML as Go durations (`10s`), where the API takes integer seconds. Typed over every
 * field of `OriginRequest`, so a new field cannot be forgotten here.
 */
const ORIGIN_REQUEST_YAML = {
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
function originRequestToYaml(origin) {
    const out = {};
    for (const field of Object.keys(ORIGIN_REQUEST_YAML)) {
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
function ingressToYaml(rule) {
    const out = {};
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
function renderCloudflaredConfigYml(config, tunnelId) {
    const doc = new yaml_1.Document({
        tunnel: tunnelId,
        ingress: (0, ingress_1.buildIngress)(config).map(ingressToYaml),
    });
    doc.commentBefore = HEADER;
    return doc.toString({ lineWidth: 0 });
}
