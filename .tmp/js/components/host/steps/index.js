"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.stepNames = stepNames;
exports.renderHostStep = renderHostStep;
exports.renderHostSteps = renderHostSteps;
const cloudflared_1 = require("./cloudflared");
const dotenv_1 = require("./dotenv");
const firewall_1 = require("./firewall");
const health_1 = require("./health");
const preflight_1 = require("./preflight");
const service_1 = require("./service");
const tools_1 = require("./tools");
/** The steps that apply to `cfg` (cloudflared only in tunnel mode), in the order they must run. */
function stepNames(cfg) {
    const names = ["preflight", "tools", "dotenv", "service", "cloudflared", "firewall", "health"];
    return names.filter((n) => n !== "cloudflared" || cfg.ingressMode === "tunnel");
}
function renderHostStep(name, cfg, host, inputs) {
    switch (name) {
        case "preflight":
            return (0, preflight_1.renderPreflight)(cfg, host);
        case "tools":
            return (0, tools_1.renderTools)(cfg, host);
        case "dotenv":
            return (0, dotenv_1.renderDotenv)(cfg, host);
        case "service":
            return (0, service_1.renderService)(cfg, host);
        case "cloudflared":
            return (0, cloudflared_1.renderCloudflared)(cfg, host);
        case "firewall":
            return (0, firewall_1.renderFirewall)(cfg, host, inputs.cloudflare);
        case "health":
            return (0, health_1.renderHealth)(cfg, host);
    }
}
function renderHostSteps(cfg, host, inputs) {
    return stepNames(cfg).map((name) => ({ name, scripts: renderHostStep(name, cfg, host, inputs) }));
}
