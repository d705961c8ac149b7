import * as pulumi from "@pulumi/pulumi";
import { NovaConfig } from "./types";

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
        this.tunnelId = pulumi.output("");
        this.token = pulumi.secret("");
        void args;
        this.registerOutputs({ tunnelId: this.tunnelId, token: this.token });
    }
}
