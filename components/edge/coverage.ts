/**
 * A direct-mode stack that does not own its zone is served only if the zone's owner routes its
 * hostname to its app port (an Origin Rule) and, when it requires Cloudflare's client certificate,
 * turns zone-level Authenticated Origin Pulls on. The owner is another stack of this project (its
 * stack file): these checks compare the two, and refuse a second owner. Pure: returns messages naming
 * the keys.
 */
import type { NovaConfig } from "../types";
import { zoneHostnameEntry } from "./zoneHostnames";

/** What a non-owner direct-mode stack needs of its zone's owner, as messages; empty when covered. */
export function zoneCoverageProblems(self: NovaConfig, others: readonly NovaConfig[]): string[] {
    if (self.ingressMode !== "direct" || self.edge.manageZone) return [];
    const zone = self.zoneName.toLowerCase();
    const want = zoneHostnameEntry(self.hostname, self.appPort);
    const owners = others.filter((o) => o.stack !== self.stack && o.edge.manageZone && o.zoneName.toLowerCase() === zone);
    if (owners.length === 0) {
        return [
            `nova:hostname: ${JSON.stringify(self.hostname)} (direct mode, nova:manageZone false) is routed by no zone owner: no stack file of this project ` +
                `owns the zone ${self.zoneName} (nova:manageZone true); the owner must list ${JSON.stringify(want)} in its nova:zoneHostnames`,
        ];
    }
    const problems: string[] = [];
    for (const owner of owners) {
        const listed = owner.edge.otherHostnames.find((h) => h.toLowerCase() === self.hostname.toLowerCase());
        const port = listed === undefined ? undefined : owner.edge.otherDirectPorts[listed];
        if (listed === undefined) {
            problems.push(
                `nova:hostname: ${JSON.stringify(self.hostname)} is not in the nova:zoneHostnames of the zone owner (stack ${owner.stack}): ` +
                    `add ${JSON.stringify(want)} there, or its rules, origin port and certificate mode miss this stack`,
            );
        } else if (port !== self.appPort) {
            problems.push(
                `nova:appPort: ${self.appPort} is not what the zone owner (stack ${owner.stack}) routes ${self.hostname} to ` +
                    `(${port === undefined ? "no port: listed as a tunnel-mode hostname, so Cloudflare connects on 443" : `port ${port}`}); ` +
                    `set its nova:zoneHostnames entry to ${JSON.stringify(want)}`,
            );
        }
        if (self.originTls.aop && !owner.edge.zoneAop) {
            problems.push(
                `nova:aop: true needs zone-level Authenticated Origin Pulls, which the zone owner (stack ${owner.stack}) leaves off: ` +
                    `set nova:aop true there, or nova:aop false here`,
            );
        }
    }
    return problems;
}

/**
 * One stack per zone owns it: two owners would each claim the zone's settings, WAF and the one
 * entry-point ruleset per phase, every `up` of one undoing the other's. Empty unless this stack owns
 * its zone and another stack of the project (its stack file) owns the same zone.
 */
export function zoneOwnershipProblems(self: NovaConfig, others: readonly NovaConfig[]): string[] {
    if (!self.edge.manageZone) return [];
    const zone = self.zoneName.toLowerCase();
    const owners = others.filter((o) => o.stack !== self.stack && o.edge.manageZone && o.zoneName.toLowerCase() === zone);
    if (owners.length === 0) return [];
    const claims = [self, ...owners].map((o) => `on stack ${o.stack} (${o === self ? "this stack" : `Pulumi.${o.stack}.yaml`}, nova:zoneName ${JSON.stringify(o.zoneName)})`);
    return [
        `nova:manageZone, nova:zoneName: expected one stack owning the zone ${self.zoneName} (nova:manageZone true on one stack, false on every other ` +
            `stack of the zone, whose hostnames the owner lists in its nova:zoneHostnames), got nova:manageZone true ${claims.join(" and ")}`,
    ];
}
