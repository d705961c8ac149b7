/** All host steps in run order, rendered for one host. */
import type { HostConfig, NovaConfig } from "../../types";
import type { StepScripts } from "../script";
import { renderCloudflared } from "./cloudflared";
import { renderDotenv } from "./dotenv";
import { type CloudflareRanges, renderFirewall } from "./firewall";
import { renderHealth } from "./health";
import { renderPreflight } from "./preflight";
import { renderService } from "./service";
import { renderTools } from "./tools";

/** Every step, in the order they run. */
export const STEP_ORDER = ["preflight", "tools", "dotenv", "service", "cloudflared", "firewall", "health"] as const;

export type StepName = (typeof STEP_ORDER)[number];

export interface HostStepInputs {
    /** Cloudflare's ranges (direct mode firewall rule). */
    readonly cloudflare: CloudflareRanges;
}

export interface RenderedStep {
    readonly name: StepName;
    readonly scripts: StepScripts;
}

/** The steps that apply to `cfg` (cloudflared only in tunnel mode), in the order they must run. */
export function stepNames(cfg: NovaConfig): StepName[] {
    return STEP_ORDER.filter((n) => n !== "cloudflared" || cfg.ingressMode === "tunnel");
}

export function renderHostStep(name: StepName, cfg: NovaConfig, host: HostConfig, inputs: HostStepInputs): StepScripts {
    switch (name) {
        case "preflight":
            return renderPreflight(cfg, host);
        case "tools":
            return renderTools(cfg, host);
        case "dotenv":
            return renderDotenv(cfg, host);
        case "service":
            return renderService(cfg, host);
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
