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
exports.NovaTunnel = exports.TUNNEL_SECRET_BYTES = void 0;
const cloudflare = __importStar(require("@pulumi/cloudflare"));
const pulumi = __importStar(require("@pulumi/pulumi"));
const random = __importStar(require("@pulumi/random"));
const ingress_1 = require("./tunnel/ingress");
/** Bytes of randomness in the tunnel secret (Cloudflare requires at least 32). */
exports.TUNNEL_SECRET_BYTES = 32;
/**
 * A remotely-managed Cloudflare Tunnel: its ingress lives in Cloudflare and its connectors need only
 * the token.
 */
class NovaTunnel extends pulumi.ComponentResource {
    /** The tunnel's id; the hostname's CNAME points at `<id>.cfargotunnel.com`. */
    tunnelId;
    /** The connector token, always a secret. */
    token;
    constructor(name, args, opts) {
        super("nova:tunnel:NovaTunnel", name, {}, opts);
        const { config } = args;
        const secret = new random.RandomBytes(`${name}-secret`, { length: exports.TUNNEL_SECRET_BYTES }, { parent: this });
        const tunnel = new cloudflare.ZeroTrustTunnelCloudflared(`${name}-tunnel`, {
            accountId: config.accountId,
            name: config.tunnel.name,
            // The default is "local" (a config.yml on each host); "cloudflare" keeps the ingress here.
            configSrc: "cloudflare",
            // The SDK marks this input secret; wrapping it too keeps it secret whatever the source.
            tunnelSecret: pulumi.secret(secret.base64),
        }, 
        // A replacement with the same name would be refused while the old tunnel exists.
        { parent: this, deleteBeforeReplace: true });
        // One configuration document per tunnel: a second config resource would overwrite this one.
        new cloudflare.ZeroTrustTunnelCloudflaredConfig(`${name}-config`, {
            accountId: config.accountId,
            tunnelId: tunnel.id,
            config: { ingresses: (0, ingress_1.buildIngress)(config) },
        }, { parent: this });
        const tokenResult = cloudflare.getZeroTrustTunnelCloudflaredTokenOutput({ accountId: config.accountId, tunnelId: tunnel.id }, { parent: this });
        this.tunnelId = tunnel.id;
        // The data source types the token as a plain string.
        this.token = pulumi.secret(tokenResult.token);
        this.registerOutputs({ tunnelId: this.tunnelId, token: this.token });
    }
}
exports.NovaTunnel = NovaTunnel;
