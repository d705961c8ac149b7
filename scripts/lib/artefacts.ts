/**
 * The generated artefacts of a plan, written for review by `npm run plan -- --out DIR`: the plan
 * itself and what the components render (host scripts, tunnel ingress).
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { renderCloudflaredConfigYml } from "../../components/tunnel/configYml";
import { Plan } from "./plan";

export interface Artefact {
    /** Relative path inside the output directory. */
    readonly path: string;
    readonly content: string;
}

/** Every artefact of a plan, in a stable order. */
export function planArtefacts(plan: Plan): Artefact[] {
    const artefacts: Artefact[] = [{ path: "plan.json", content: `${JSON.stringify(plan.document, null, 2)}\n` }];
    const tunnel = plan.run.resources.find((r) => r.type === "cloudflare:index/zeroTrustTunnelCloudflared:ZeroTrustTunnelCloudflared");
    if (tunnel?.id) artefacts.push({ path: "cloudflared-config.yml", content: renderCloudflaredConfigYml(plan.config, tunnel.id) });
    return artefacts;
}

/** Writes the artefacts; returns their relative paths. */
export function writeArtefacts(plan: Plan, dir: string): string[] {
    const artefacts = planArtefacts(plan);
    for (const a of artefacts) {
        const file = join(dir, a.path);
        mkdirSync(join(file, ".."), { recursive: true });
        writeFileSync(file, a.content);
    }
    return artefacts.map((a) => a.path);
}
