/**
 * NOVA on Windows Server behind Cloudflare. This file only wires: the validated configuration into
 * the edge (NovaDns, NovaRules), the tunnel (tunnel mode) and one WindowsHostService per host.
 */
import { installBookkeepingTraces } from "./components/runtime/stackTraces";
installBookkeepingTraces();
import * as cloudflare from "@pulumi/cloudflare";
import { loadNovaConfig } from "./components/config";
import { NovaDns } from "./components/novaDns";
import { NovaRules } from "./components/novaRules";
import { NovaTunnel } from "./components/novaTunnel";
import { WindowsHostService } from "./components/windowsHostService";

export = async () => {
    const { config, secrets } = loadNovaConfig();

    const tunnel = config.ingressMode === "tunnel" ? new NovaTunnel("nova", { config }) : undefined;
    const dns = new NovaDns("nova", { config, tunnelId: tunnel?.tunnelId });
    new NovaRules("nova", { config, zoneId: dns.zoneId });

    const cloudflareCidrs =
        config.ingressMode === "direct"
            ? cloudflare.getIpRangesOutput().apply((r) => [...r.ipv4Cidrs, ...r.ipv6Cidrs])
            : undefined;

    // Rolling: each host's restarting steps wait for the previous host's health.
    const hosts: WindowsHostService[] = [];
    for (const host of config.hosts) {
        const previous = hosts[hosts.length - 1];
        hosts.push(
            new WindowsHostService(host.name, {
                config,
                host,
                credential: secrets.credentials[host.credentialKey],
                appSecretEnv: secrets.appSecretEnv,
                tunnelToken: tunnel?.token,
                cloudflareCidrs,
                ...(previous ? { restartAfter: previous.health } : {}),
            }),
        );
    }

    return {
        url: `https://${config.hostname}${config.paths.spa}`,
        ingressMode: config.ingressMode,
        zoneId: dns.zoneId,
        ...(tunnel ? { tunnelId: tunnel.tunnelId } : {}),
        hosts: hosts.map((_, i) => config.hosts[i].name),
        // direct mode: when each host's origin certificate expires (public; renewed by a later up).
        ...(config.ingressMode === "direct"
            ? { originCertificateExpiresOn: Object.fromEntries(hosts.map((h, i) => [config.hosts[i].name, h.originCertificate?.expiresOn])) }
            : {}),
    };
};
