/** All host steps in run order, rendered for one host. */
import type { HostConfig, NovaConfig } from "../../types";
import type { StepScripts } from "../script";
import { renderCertificateInstall, renderCertificateRequest, renewalPeriod } from "./certificate";
import { renderCloudflared } from "./cloudflared";
import { renderDotenv } from "./dotenv";
import { type CloudflareRanges, renderFirewall } from "./firewall";
import { renderHealth } from "./health";
import { renderPreflight } from "./preflight";
import { renderService } from "./service";
import { renderTools } from "./tools";

/** Every step, in the order they run. */
export const STEP_ORDER = ["preflight", "tools", "dotenv", "certificate-request", "certificate", "service", "cloudflared", "firewall", "health"] as const;

/** Steps of one ingress mode only. */
const TUNNEL_ONLY: readonly string[] = ["cloudflared"];
const DIRECT_ONLY: readonly string[] = ["certificate-request", "certificate"];

export type StepName = (typeof STEP_ORDER)[number];

export interface HostStepInputs {
    /** Cloudflare's ranges (direct mode: firewall rule, and the proxies uvicorn trusts). */
    readonly cloudflare: CloudflareRanges;
    /**
     * The certificate renewal period (direct mode), see renewalPeriod.
     * @default the period of the current date
     */
    readonly renewalPeriod?: string;
}

export interface RenderedStep {
    readonly name: StepName;
    readonly scripts: StepScripts;
}

/** The steps that apply to `cfg` (cloudflared in tunnel mode, the certificate in direct mode), in the order they must run. */
export function stepNames(cfg: NovaConfig): StepName[] {
    const other = cfg.ingressMode === "tunnel" ? DIRECT_ONLY : TUNNEL_ONLY;
    return STEP_ORDER.filter((n) => !other.includes(n));
}

export function renderHostStep(name: StepName, cfg: NovaConfig, host: HostConfig, inputs: HostStepInputs): StepScripts {
    switch (name) {
        case "preflight":
            return renderPreflight(cfg, host);
        case "tools":
            return renderTools(cfg, host);
        case "dotenv":
            return renderDotenv(cfg, host);
        case "certificate-request":
            return renderCertificateRequest(cfg, host, inputs.renewalPeriod ?? renewalPeriod(new Date(), cfg.originTls.certificateDays));
        case "certificate":
            return renderCertificateInstall(cfg, host, inputs.renewalPeriod ?? renewalPeriod(new Date(), cfg.originTls.certificateDays));
        case "service":
            return renderService(cfg, host, inputs.cloudflare);
        case "cloudflared":
            return renderCloudflared(cfg, host);
        case "firewall":
            return renderFirewall(cfg, host, inputs.cloudflare);
        case "health":
            return renderHealth(cfg, host);
    }
}

export function renderHostSteps(cfg: NovaConfig, host: HostConfig, inputs: HostStepInputs): RenderedStep[] {
    return stepNames(cfg).map((name) => ({ name, scripts: renderHostStep(name, cfg, host, inputs) }));
}
