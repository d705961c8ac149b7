import * as cloudflare from "@pulumi/cloudflare";
import * as pulumi from "@pulumi/pulumi";
import { createZoneRulesets } from "./edge/createRulesets";
import { hostnameRecordSpecs, tunnelCnameTarget } from "./edge/dnsRecords";
import { wafRulesetSpec } from "./edge/waf";
import { SETTING_FOLLOWS, settingNameSuffix, zoneSettingEntries } from "./edge/zoneSettings";
import { NovaConfig } from "./types";

export interface NovaDnsArgs {
    /** The validated stack configuration. */
    readonly config: NovaConfig;
    /**
     * Tunnel id the hostname's CNAME points at (tunnel mode).
     * @default none: required in tunnel mode, ignored in direct mode
     */
    readonly tunnelId?: pulumi.Input<string>;
}

/** The zone, the hostname's record, the zone settings and the managed WAF. */
export class NovaDns extends pulumi.ComponentResource {
    /** The zone id, configured or looked up by name. */
    public readonly zoneId: pulumi.Output<string>;

    constructor(name: string, args: NovaDnsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("nova:dns:NovaDns", name, {}, opts);
        const { config } = args;
        const parent = { parent: this };

        this.zoneId = config.zoneId
            ? pulumi.output(config.zoneId)
            : cloudflare
                  .getZoneOutput({ filter: { name: config.zoneName, ...(config.accountId ? { account: { id: config.accountId } } : {}) } }, parent)
                  .apply((zone) => zone.id);

        const tunnelTarget =
            config.ingressMode === "tunnel" && args.tunnelId !== undefined
                ? pulumi.output(args.tunnelId).apply(tunnelCnameTarget)
                : undefined;
        for (const record of hostnameRecordSpecs(config, tunnelTarget)) {
            new cloudflare.DnsRecord(
                `${name}-${record.suffix}`,
                {
                    zoneId: this.zoneId,
                    name: record.name,
                    type: record.type,
                    content: record.content,
                    proxied: record.proxied,
                    ttl: record.ttl,
                    comment: record.comment,
                },
                // A mode switch changes the record's type: replace it in place, never two at once.
                { ...parent, deleteBeforeReplace: true },
            );
        }

        const settings = new Map<string, cloudflare.ZoneSetting>();
        // Zone-wide resources belong to the one stack that owns the zone.
        const zoneWide = config.edge.manageZone;
        for (const entry of zoneWide ? zoneSettingEntries(config.edge.zoneSettings, config.edge.unmanagedSettings) : []) {
            // tls_1_3 follows 0rtt, ssl follows ssl_automatic_mode (see SETTING_FOLLOWS).
            const follows = SETTING_FOLLOWS[entry.id];
            const after = follows ? settings.get(follows) : undefined;
            settings.set(
                entry.id,
                new cloudflare.ZoneSetting(
                    `${name}-${settingNameSuffix(entry.id)}`,
                    { zoneId: this.zoneId, settingId: entry.id, value: entry.value },
                    { ...parent, dependsOn: after ? [after] : [] },
                ),
            );
        }

        const waf = zoneWide ? wafRulesetSpec(config) : undefined;
        createZoneRulesets(name, this.zoneId, waf ? [waf] : [], this);

        this.registerOutputs({ zoneId: this.zoneId });
    }
}
