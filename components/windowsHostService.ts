import * as pulumi from "@pulumi/pulumi";
import { HostConfig, NovaConfig } from "./types";

export interface WindowsHostServiceArgs {
    /** The validated stack configuration. */
    readonly config: NovaConfig;
    /** The host this component provisions. */
    readonly host: HostConfig;
    /** ssh private key or WinRM password of the host (a secret). */
    readonly credential: pulumi.Input<string>;
    /** Values of `config.appSecretEnvKeys` (a secret). */
    readonly appSecretEnv: pulumi.Input<Record<string, string>>;
    /**
     * Tunnel connector token (a secret).
     * @default none: required in tunnel mode, unused in direct mode
     */
    readonly tunnelToken?: pulumi.Input<string>;
    /**
     * Cloudflare's IPv4 and IPv6 ranges, for the direct-mode firewall rule.
     * @default none: required in direct mode, unused in tunnel mode
     */
    readonly cloudflareCidrs?: pulumi.Input<readonly string[]>;
}

/** Provisions one Windows host over SSH or WinRM: tools, `.env`, NSSM service, cloudflared, firewall, health. */
export class WindowsHostService extends pulumi.ComponentResource {
    constructor(name: string, args: WindowsHostServiceArgs, opts?: pulumi.ComponentResourceOptions) {
        super("nova:host:WindowsHostService", name, {}, opts);
        void args;
        this.registerOutputs({});
    }
}
