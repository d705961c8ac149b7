import { resolve } from "node:path";
import { readStackFile } from "../components/config/stackFile";
import { planOffline } from "../scripts/shared/planning/plan";
import { isCommand } from "../scripts/shared/planning/commands";
import { revealWire } from "../scripts/shared/planning/redact";
(async () => {
  for (const s of ["prod", "staging"]) {
    const stack = readStackFile(s, "/work/wt-perf");
    const plan = await planOffline(stack, require("../index"));
    let tot = 0;
    for (const r of plan.run.resources.filter(isCommand)) {
      const c = revealWire<string>(r.inputs.create) ?? ""; const i = revealWire<string>(r.inputs.stdin) ?? ""; const d = revealWire<string>(r.inputs.delete) ?? "";
      const cs = typeof c === "string" ? c.length : 0, is = typeof i === "string" ? i.length : 0, ds = typeof d === "string" ? d.length : 0;
      tot += cs + is;
      console.log(s, r.name, "create", cs, "stdin", is, "delete", ds);
    }
    console.log(s, "total", tot);
  }
})();
