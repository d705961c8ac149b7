import { readStackFile } from "../scripts/lib/stackFile";
import { planOffline } from "../scripts/lib/plan";
import { isCommand } from "../scripts/lib/commands";
import { revealWire } from "../scripts/lib/redact";
import { writeFileSync, mkdirSync } from "node:fs";
(async () => {
  mkdirSync(".scratch/out", { recursive: true });
  for (const s of ["prod", "staging"]) {
    const plan = await planOffline(readStackFile(s, "."), require("../index"));
    for (const r of plan.run.resources.filter(isCommand)) {
      for (const k of ["create", "stdin", "delete"]) { const v = revealWire<string>(r.inputs[k]); if (typeof v === "string") writeFileSync(`.scratch/out/${r.name}.${k}`, v); }
    }
  }
})();
