"use strict";
var __createBinding = (this && this.__createBinding) || (Object.create ? (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    var desc = Object.getOwnPropertyDescriptor(m, k);
    if (!desc || ("get" in desc ? !m.__esModule : desc.writable || desc.configurable)) {
      desc = { enumerable: true, get: function() { return m[k]; } };
    }
    Object.defineProperty(o, k2, desc);
}) : (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    o[k2] = m[k];
}));
var __setModuleDefault = (this && this.__setModuleDefault) || (Object.create ? (function(o, v) {
    Object.defineProperty(o, "default", { enumerable: true, value: v });
}) : function(o, v) {
    o["default"] = v;
});
var __importStar = (this && this.__importStar) || (function () {
    var ownKeys = function(o) {
        ownKeys = Object.getOwnPropertyNames || function (o) {
            var ar = [];
            for (var k in o) if (Object.prototype.hasOwnProperty.call(o, k)) ar[ar.length] = k;
            return ar;
        };
        return ownKeys(o);
    };
    return function (mod) {
        if (mod && mod.__esModule) return mod;
        var result = {};
        if (mod != null) for (var k = ownKeys(mod), i = 0; i < k.length; i++) if (k[i] !== "default") __createBinding(result, mod, k[i]);
        __setModuleDefault(result, mod);
        return result;
    };
})();
Object.defineProperty(exports, "__esModule", { value: true });
exports.NovaDns = void 0;
const cloudflare = __importStar(require("@pulumi/cloudflare"));
const pulumi = __importStar(require("@pulumi/pulumi"));
const createRulesets_1 = require("./edge/createRulesets");
const dnsRecords_1 = require("./edge/dnsRecords");
const waf_1 = require("./edge/waf");
const zoneSettings_1 = require("./edge/zoneSettings");
/** The zone, the hostname's record, the zone settings and the managed WAF. */
class NovaDns extends pulumi.ComponentResource {
    /** The zone id, configured or looked up by name. */
    zoneId;
    constructor(name, args, opts) {
        super("nova:dns:NovaDns", name, {}, opts);
        const { config } = args;
        const parent = { parent: this };
        this.zoneId = config.zoneId
            ? pulumi.output(config.zoneId)
            : cloudflare
                .getZoneOutput({ filter: { name: config.zoneName, ...(config.accountId ? { account: { id: config.accountId } } : {}) } }, parent)
                .apply((zone) => zone.id);
        const tunnelTarget = config.ingressMode === "tunnel" && args.tunnelId !== undefined
            ? pulumi.output(args.tunnelId).apply(dnsRecords_1.tunnelCnameTarget)
            : undefined;
        for (const record of (0, dnsRecords_1.hostnameRecordSpecs)(config, tunnelTarget)) {
            new cloudflare.DnsRecord(`${name}-${record.suffix}`, {
                zoneId: this.zoneId,
                name: record.name,
                type: record.type,
                content: record.content,
                proxied: record.proxied,
                ttl: record.ttl,
                comment: record.comment,
            }, 
            // A mode switch changes the record's type: replace it in place, never two at once.
            { ...parent, deleteBeforeReplace: true });
        }
        const settings = new Map();
        // Zone-wide resources belong to the one stack that owns the zone.
        const zoneWide = config.edge.manageZone;
        for (const entry of zoneWide ? (0, zoneSettings_1.zoneSettingEntries)(config.edge.zoneSettings, config.edge.unmanagedSettings) : []) {
            // tls_1_3 follows 0rtt, so that Cloudflare's own flip to "zrt" happens before we set it.
            const zeroRtt = entry.id === "tls_1_3" ? settings.get("0rtt") : undefined;
            settings.set(entry.id, new cloudflare.ZoneSetting(`${name}-${(0, zoneSettings_1.settingNameSuffix)(entry.id)}`, { zoneId: this.zoneId, settingId: entry.id, value: entry.value }, { ...parent, dependsOn: zeroRtt ? [zeroRtt] : [] }));
        }
        const waf = zoneWide ? (0, waf_1.wafRulesetSpec)(config) : undefined;
        (0, createRulesets_1.createZoneRulesets)(name, this.zoneId, waf ? [waf] : [], this);
        this.registerOutputs({ zoneId: this.zoneId });
    }
}
exports.NovaDns = NovaDns;
