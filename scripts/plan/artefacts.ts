/**
 * The generated artefacts of a plan, written for review by `npm run plan -- --out DIR`: the plan
 * itself and what the components render (host scripts, tunnel ingress).
 */
import { splitCidrs } from "../../components/host/commands";
import { renderHostSteps } from "../../components/host/steps";
import { renderCloudflaredConfigYml } from "../../components/tunnel/configYml";
import type { NovaConfig } from "../../components/types";
import { CLOUDFLARE_IP_RANGES_SNAPSHOT } from "../shared/planning/offlineFixtures";
import { prepareOutDir, writeOwnedFiles } from "./outDir";
import { Plan } from "../shared/planning/plan";

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
    return [...artefacts, ...hostScriptArtefacts(plan.config)];
}

/**
 * Each host's step scripts, as the step commands carry them (the same renderer, with the offline
 * snapshot of Cloudflare's ranges the plan answered getIpRanges with): `hosts/<host>/<nn>-<step>.ps1`
 * (create), `.delete.ps1` when the step has one, `.audit.ps1`. Scripts hold no secret: they read
 * `$NovaSecrets`, which travels only on the commands' stdin.
 */
export function hostScriptArtefacts(config: NovaConfig): Artefact[] {
    const cloudflare = splitCidrs([...CLOUDFLARE_IP_RANGES_SNAPSHOT.ipv4Cidrs, ...CLOUDFLARE_IP_RANGES_SNAPSHOT.ipv6Cidrs]);
    return config.hosts.flatMap((host) =>
        renderHostSteps(config, host, { cloudflare }).flatMap(({ name, scripts }, i) => {
            const base = `hosts/${host.name}/${String(i + 1).padStart(2, "0")}-${name}`;
            return [
                { path: `${base}.ps1`, content: scripts.create },
                ...(scripts.delete !== undefined ? [{ path: `${base}.delete.ps1`, content: scripts.delete }] : []),
                { path: `${base}.audit.ps1`, content: scripts.audit },
            ];
        }),
    );
}

/**
 * Writes the artefacts into `dir` (see outDir.ts: the files of an earlier run there are removed
 * first, nothing else is); returns their relative paths.
 */
export function writeArtefacts(plan: Plan, dir: string): string[] {
    prepareOutDir(dir);
    return writeOwnedFiles(dir, planArtefacts(plan));
}
