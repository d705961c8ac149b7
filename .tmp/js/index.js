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
/**
 * NOVA on Windows Server behind Cloudflare. This file only wires: the validated configuration into
 * the edge (NovaDns, NovaRules), the tunnel (tunnel mode) and one WindowsHostService per host.
 */
const cloudflare = __importStar(require("@pulumi/cloudflare"));
const config_1 = require("./components/config");
const novaDns_1 = require("./components/novaDns");
const novaRules_1 = require("./components/novaRules");
const novaTunnel_1 = require("./components/novaTunnel");
const windowsHostService_1 = require("./components/windowsHostService");
module.exports = async () => {
    const { config, secrets } = (0, config_1.loadNovaConfig)();
    const tunnel = config.ingressMode === "tunnel" ? new novaTunnel_1.NovaTunnel("nova", { config }) : undefined;
    const dns = new novaDns_1.NovaDns("nova", { config, tunnelId: tunnel?.tunnelId });
    new novaRules_1.NovaRules("nova", { config, zoneId: dns.zoneId });
    const cloudflareCidrs = config.ingressMode === "direct"
        ? cloudflare.getIpRangesOutput().apply((r) => [...r.ipv4Cidrs, ...r.ipv6Cidrs])
        : undefined;
    const hosts = config.hosts.map((host) => new windowsHostService_1.WindowsHostService(host.name, {
        config,
        host,
        credential: secrets.credentials[host.credentialKey],
        appSecretEnv: secrets.appSecretEnv,
        tunnelToken: tunnel?.token,
        cloudflareCidrs,
    }));
    return {
        url: `https://${config.hostname}${config.paths.spa}`,
        ingressMode: config.ingressMode,
        zoneId: dns.zoneId,
        ...(tunnel ? { tunnelId: tunnel.tunnelId } : {}),
        hosts: hosts.map((_, i) => config.hosts[i].name),
    };
};
