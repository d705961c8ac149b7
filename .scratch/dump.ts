import { readStackFile } from "../components/config/stackFile";
import { planOffline } from "../scripts/shared/planning/plan";
import { isCommand } from "../scripts/shared/planning/commands";
import { revealWire } from "../scripts/shared/planning/redact";
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
