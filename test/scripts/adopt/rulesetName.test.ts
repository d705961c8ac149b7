/**
 * An entry-point ruleset imported under another name (the dashboard's, or one made through the API)
 * must converge: a provider that replaces a ruleset whose `name` changes would create the replacement
 * first, and it would collide with the entry point itself. Every ruleset of the program ignores `name`.
 */
import { describe, expect, it } from "vitest";
import { ofType, plan } from "../../support/harness";

const RULESET = "cloudflare:index/ruleset:Ruleset";

describe("zone rulesets ignore changes of name", () => {
    it("every ruleset of the program, WAF included, is registered with ignoreChanges [name]; nothing else is", async () => {
        const p = await plan("prod", { "nova:waf": "managed" });
        const rulesets = ofType(p, RULESET);
        expect(rulesets.map((r) => r.name).sort()).toEqual(["nova-cache", "nova-origin", "nova-redirect", "nova-waf"]);
        for (const r of rulesets) {
            expect(r.ignoreChanges).toEqual(["name"]);
            expect(r.inputs.name).toBe("default");
        }
        expect(p.run.resources.filter((r) => r.type !== RULESET && r.ignoreChanges !== undefined).map((r) => r.name)).toEqual([]);
    }, 60_000);

    it("the rewrite ruleset too, still a child of NovaRules", async () => {
        const p = await plan("prod", { "nova:rootPath": "rewrite" });
        expect(ofType(p, RULESET).map((r) => [r.name, r.ignoreChanges])).toEqual(expect.arrayContaining([["nova-rewrite", ["name"]]]));
        const parent = ofType(p, "nova:rules:NovaRules")[0];
        expect(ofType(p, RULESET).find((r) => r.name === "nova-rewrite")?.parent).toBe(parent.urn);
    }, 60_000);
});
