/**
 * Entries of `nova:zoneHostnames`: `host` for a tunnel-mode stack sharing the zone, `host:port` for a
 * direct-mode one (the port its app listens on, which the zone owner's Origin Rule routes to). Plain
 * hostnames, the form before direct mode needed ports, keep their meaning. Pure: returns messages.
 */

/** The config key the messages name. */
export const ZONE_HOSTNAMES_KEY = "nova:zoneHostnames";

export interface ZoneHostnameEntries {
    /** The hostname part of every entry, in order (checked as DNS names by the caller). */
    readonly hostnames: readonly string[];
    /** Port of each `host:port` entry, by hostname as written. */
    readonly directPorts: Readonly<Record<string, number>>;
    readonly problems: readonly string[];
}

export function parseZoneHostnames(entries: readonly string[]): ZoneHostnameEntries {
    const hostnames: string[] = [];
    const directPorts: Record<string, number> = {};
    const problems: string[] = [];
    entries.forEach((entry, i) => {
        const colon = entry.lastIndexOf(":");
        if (colon < 0) {
            hostnames.push(entry);
            return;
        }
        const host = entry.slice(0, colon);
        const port = entry.slice(colon + 1);
        hostnames.push(host);
        if (!/^\d{1,5}$/.test(port) || Number(port) < 1 || Number(port) > 65535 || host.includes(":")) {
            problems.push(`${ZONE_HOSTNAMES_KEY}[${i}]: expected host or host:port with a port 1-65535 (the app port of a direct-mode stack), got ${JSON.stringify(entry)}`);
            return;
        }
        directPorts[host] = Number(port);
    });
    return { hostnames, directPorts, problems };
}

/** The entry text of a hostname: `host:port` for a direct-mode stack, else `host`. */
export function zoneHostnameEntry(hostname: string, port: number | undefined): string {
    return port === undefined ? hostname : `${hostname}:${port}`;
}
