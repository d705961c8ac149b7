import { renderHostSteps } from "../components/host/steps";
import { parseNovaConfig } from "../components/config";
import { readStackFile } from "../scripts/lib/stackFile";
import { withHostCount } from "../scripts/lib/stackVariants";
import { CLOUDFLARE_IP_RANGES_SNAPSHOT as S } from "../scripts/lib/offlineFixtures";
for (const stack of ["prod", "staging"]) {
  const sc = withHostCount(readStackFile(stack, "/work/wt-bench"), 50);
  const cfg = parseNovaConfig((k) => sc.values[`nova:${k}`], stack);
  const inputs = { cloudflare: { ipv4: S.ipv4Cidrs, ipv6: S.ipv6Cidrs } };
  let t = performance.now(); renderHostSteps(cfg, cfg.hosts[0], inputs); const first = performance.now() - t;
  t = performance.now(); let n = 0; for (const h of cfg.hosts) for (const s of renderHostSteps(cfg, h, inputs)) n += s.scripts.create.length + s.scripts.audit.length + (s.scripts.delete?.length ?? 0);
  console.log(stack, "first host", first.toFixed(1), "ms; 50 hosts", (performance.now() - t).toFixed(1), "ms", n, "chars");
}
