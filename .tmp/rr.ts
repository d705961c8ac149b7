import { rerunTable } from "../scripts/lib/rerun";
import { planOffline } from "../scripts/lib/plan";
import { readStackFile } from "../scripts/lib/stackFile";
import program = require("../index");
(async () => {
  for (const s of ["prod", "staging"]) {
    const t = performance.now();
    const rows = await rerunTable(readStackFile(s, "/work/wt-bench"), (c) => planOffline(c, program as any));
    console.log(s, (performance.now() - t).toFixed(0), "ms");
    for (const r of rows) console.log(r.key, "|", r.notApplicable ?? "", "|", r.stepScriptsChanged.join(","), "|", r.resourcesUpdated.join(","), "| +", r.added.join(","), "| -", r.removed.join(","));
  }
})();
