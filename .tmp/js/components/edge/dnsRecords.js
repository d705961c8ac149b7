"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.tunnelCnameTarget = tunnelCnameTarget;
exports.managedComment = managedComment;
exports.hostnameRecordSpecs = hostnameRecordSpecs;
/** The CNAME target of a Cloudflare Tunnel (there is no attribute for it). */
function tunnelCnameTarget(tunnelId) {
    return `${tunnelId}.cfargotunnel.com`;
}
/** Comment put on every record we own. */
function managedComment(stack) {
    return `Managed by nova-infra (stack ${stack})`;
}
/**
 * The hostname's records. direct: A to `originIpv4` (+ AAAA to `originIpv6`); tunnel: CNAME to
 * `tunnelTarget` (the caller passes `<tunnel id>.cfargotunnel.com`, possibly not known yet).
 * The main record keeps the child name `record` in both modes, so switching mode updates it.
 * @throws Error when the mode's required input is missing.
 */
function hostnameRecordSpecs(config, tunnelTarget) {
    const common = {
        name: config.hostname,
        proxied: true,
        ttl: 1,
        comment: managedComment(config.stack),
    };
    if (config.ingressMode === "tunnel") {
        if (tunnelTarget === undefined) {
            throw new Error(`NovaDns: nova:ingressMode is "tunnel" but no tunnelId was given; ` +
                `pass the tunnel's id so ${config.hostname} can point at <tunnel id>.cfargotunnel.com`);
        }
        return [
            { suffix: "record", type: "CNAME", content: tunnelTarget, ...common },
            // Extra hostnames are routed by the tunnel's ingress too: each needs the same CNAME.
            ...config.tunnel.extraHostnames.map((name) => ({
                suffix: `record-${name.toLowerCase().replace(/\./g, "-")}`,
                type: "CNAME",
                content: tunnelTarget,
                ...common,
                name,
            })),
        ];
    }
    if (!config.originIpv4) {
        throw new Error(`NovaDns: nova:ingressMode is "direct" but nova:originIp is not set`);
    }
    const records = [{ suffix: "record", type: "A", content: config.originIpv4, ...common }];
    if (config.originIpv6) {
        records.push({ suffix: "record-aaaa", type: "AAAA", content: config.originIpv6, ...common });
    }
    return records;
}
