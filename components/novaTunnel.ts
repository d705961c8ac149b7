import * as cloudflare from "@pulumi/cloudflare";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { buildIngress } from "./tunnel/ingress";
import { NovaConfig } from "./types";

/** Bytes of randomness in the tunnel secret (Cloudflare requires at least 32). */
export const TUNNEL_SECRET_BYTES = 32;

export interface NovaTunnelArgs {
    /** The validated stack configuration (tunnel mode). */
    readonly config: NovaConfig;
}

/**
 * A remotely-managed Cloudflare Tunnel: its ingress lives in Cloudflare and its connectors need only
 * the token.
 */
export class NovaTunnel extends pulumi.ComponentResource {
    /** The tunnel's id; the hostname's CNAME points at `<id>.cfargotunnel.com`. */
    public readonly tunnelId: pulumi.Output<string>;
    /** The connector token, always a secret. */
    public readonly token: pulumi.Output<string>;

    constructor(name: string, args: NovaTunnelArgs, opts?: pulumi.ComponentResourceOptions) {
        super("nova:tunnel:NovaTunnel", name, {}, opts);
        const { config } = args;

        const secret = new random.RandomBytes(`${name}-secret`, { length: TUNNEL_SECRET_BYTES }, { parent: this });

        const tunnel = new cloudflare.ZeroTrustTunnelCloudflared(
            `${name}-tunnel`,
            {
                accountId: config.accountId,
                name: config.tunnel.name,
                // The default is "local" (a config.yml on each host); "cloudflare" keeps the ingress here.
                configSrc: "cloudflare",
                // The SDK marks this input secret; wrapping it too keeps it secret whatever the source.
                tunnelSecret: pulumi.secret(secret.base64),
            },
            // A replacement with the same name would be refused while the old tunnel exists.
            { parent: this, deleteBeforeReplace: true },
        );

        // One configuration document per tunnel: a second config resource would overwrite this one.
        new cloudflare.ZeroTrustTunnelCloudflaredConfig(
            `${name}-config`,
            {
                accountId: config.accountId,
                tunnelId: tunnel.id,
                config: { ingresses: buildIngress(config) },
            },
            { parent: this },
        );

        const tokenResult = cloudflare.getZeroTrustTunnelCloudflaredTokenOutput(
            { accountId: config.accountId, tunnelId: tunnel.id },
            { parent: this },
        );

        this.tunnelId = tunnel.id;
        // The data source types the token as a plain string.
        this.token = pulumi.secret(tokenResult.token);
        this.registerOutputs({ tunnelId: this.tunnelId, token: this.token });
    }
}
