"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.planArtefacts = planArtefacts;
exports.writeArtefacts = writeArtefacts;
/**
 * The generated artefacts of a plan, written for review by `npm run plan -- --out DIR`: the plan
 * itself and what the components render (host scripts, tunnel ingress).
 */
const node_fs_1 = require("node:fs");
const node_path_1 = require("node:path");
const configYml_1 = require("../../components/tunnel/configYml");
/** Every artefact of a plan, in a stable order. */
function planArtefacts(plan) {
    const artefacts = [{ path: "plan.json", content: `${JSON.stringify(plan.document, null, 2)}\n` }];
    const tunnel = plan.run.resources.find((r) => r.type === "cloudflare:index/zeroTrustTunnelCloudflared:ZeroTrustTunnelCloudflared");
    if (tunnel?.id)
        artefacts.push({ path: "cloudflared-config.yml", content: (0, configYml_1.renderCloudflaredConfigYml)(plan.config, tunnel.id) });
    return artefacts;
}
/** Writes the artefacts; returns their relative paths. */
function writeArtefacts(plan, dir) {
    const artefacts = planArtefacts(plan);
    for (const a of artefacts) {
        const file = (0, node_path_1.join)(dir, a.path);
        (0, node_fs_1.mkdirSync)((0, node_path_1.join)(file, ".."), { recursive: true });
        (0, node_fs_1.writeFileSync)(file, a.content);
    }
    return artefacts.map((a) => a.path);
}
