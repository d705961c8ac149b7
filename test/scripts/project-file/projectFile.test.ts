import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import * as ts from "typescript";
import Ajv2020 from "ajv/dist/2020";
import { parse } from "yaml";
import { CONFIG_KEYS } from "../../../components/config";
import { projectSchemaEntry } from "../../../components/config/keys";
import { renderConfigTable, TABLE_END, TABLE_START } from "../../../scripts/project-file/main";
import { ROOT } from "../../support/harness";

// The Pulumi CLI reads Pulumi.yaml with go-yaml v2, a YAML 1.1 parser: plain `off`, `on`, `yes` and `no` are booleans.
const YAML_AS_THE_CLI_READS_IT = { version: "1.1" } as const;
const project = parse(readFileSync(join(ROOT, "Pulumi.yaml"), "utf8"), YAML_AS_THE_CLI_READS_IT);

/** The CLI's check of a declared default against its declared type (workspace.ValidateConfigValue). */
function cliAcceptsDefault(type: string, value: unknown, items?: { type: string }): boolean {
    switch (type) {
        case "string":
            return typeof value === "string";
        case "integer":
            return Number.isInteger(value) || (typeof value === "string" && /^[+-]?\d+$/.test(value));
        case "boolean":
            return typeof value === "boolean" || value === "true" || value === "false";
        case "object":
            return value !== null && typeof value === "object" && !Array.isArray(value);
        case "array":
            return Array.isArray(value) && items !== undefined && value.every((v) => cliAcceptsDefault(items.type, v));
        default:
            return false;
    }
}

describe("Pulumi.yaml", () => {
    it("runs index.ts with the nodejs runtime through ts-node, in the nova namespace", () => {
        expect(project.name).toBe("nova");
        expect(project.runtime).toEqual({ name: "nodejs", options: { typescript: true, packagemanager: "npm", nodeargs: "--single-threaded-gc" } });
        expect(project.main).toBe("index.ts");
        const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8"));
        expect(pkg.type).toBeUndefined(); // CommonJS, as tsconfig's module
        const tsconfig = ts.readConfigFile(join(ROOT, "tsconfig.json"), ts.sys.readFile).config;
        expect(tsconfig.compilerOptions.module).toBe("commonjs");
        // Pulumi's language host skips type checking at preview when noCheck is set; npm test checks.
        expect(tsconfig.compilerOptions.noCheck).toBe(true);
        expect(pkg.scripts.test).toBe("tsc --noEmit -p . --noCheck false && vitest run");
    });

    it("declares every typed key as the program reads it, with its description and default", () => {
        const expected = Object.fromEntries(CONFIG_KEYS.flatMap((k) => {
            const e = projectSchemaEntry(k);
            return e ? [[k.key, e]] : [];
        }));
        expect(project.config).toEqual(expected);
    });

    it("gives every default a value of its declared type, read as the CLI reads it (else the project does not load)", () => {
        const wrong = Object.entries(project.config as Record<string, { type: string; default?: unknown; items?: { type: string } }>)
            .filter(([, e]) => "default" in e && !cliAcceptsDefault(e.type, e.default, e.items))
            .map(([k, e]) => `${k}: ${e.type} ${JSON.stringify(e.default)}`);
        expect(wrong).toEqual([]);
        expect(project.config.waf.default).toBe("off");
    });

    it("names in its header every key it does not declare (the secrets)", () => {
        const text = readFileSync(join(ROOT, "Pulumi.yaml"), "utf8");
        for (const k of CONFIG_KEYS.filter((k) => !projectSchemaEntry(k))) expect(text).toContain(`nova:${k.key}`);
    });
});

/**
 * test/support/fixtures/pulumi-project.schema.json is sdk/go/common/workspace/project.json of pulumi/pulumi at
 * tag v3.248.0 (commit a88168d865b7fd428e5a929cc54aeceaf72d203f), the schema that CLI checks
 * Pulumi.yaml against; the workflows pin that CLI version.
 */
describe("Pulumi.yaml against the project schema of the pinned Pulumi CLI", () => {
    const PINNED = "3.248.0";
    const schema = JSON.parse(readFileSync(join(ROOT, "test/support/fixtures/pulumi-project.schema.json"), "utf8"));
    const validate = new Ajv2020({ allErrors: true, strict: false }).compile(schema);

    it("is the version the workflows install and the SDK's", () => {
        const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8"));
        expect(pkg.dependencies["@pulumi/pulumi"]).toBe(PINNED);
        for (const wf of ["preview.yml", "deploy.yml", "drift.yml"]) {
            const text = readFileSync(join(ROOT, ".github/workflows", wf), "utf8");
            const pins = [...text.matchAll(/pulumi-version: (\S+)/g)].map((m) => m[1]);
            expect(pins.length, wf).toBeGreaterThan(0);
            expect(new Set(pins), wf).toEqual(new Set([PINNED]));
        }
    });

    it("accepts Pulumi.yaml", () => {
        expect(validate(project), JSON.stringify(validate.errors, null, 2)).toBe(true);
    });

    it("declares nova:hosts as a list of objects and the object keys as objects", () => {
        expect(project.config.hosts).toMatchObject({ type: "array", items: { type: "object" } });
        expect(project.config.hosts.default).toBeUndefined();
        expect(project.config.appEnv).toMatchObject({ type: "object", default: {} });
        expect(project.config.zoneSettings).toMatchObject({ type: "object", default: {} });
    });

    it("the committed stacks' values have the declared types, as the CLI checks them before the program runs", () => {
        const declared = project.config as Record<string, { type: string; items?: { type: string } }>;
        for (const stack of ["prod", "staging"]) {
            const values = (parse(readFileSync(join(ROOT, `Pulumi.${stack}.yaml`), "utf8"), YAML_AS_THE_CLI_READS_IT) as { config: Record<string, unknown> }).config;
            const wrong = Object.entries(values)
                .filter(([k]) => k.startsWith("nova:") && declared[k.slice(5)] !== undefined)
                .filter(([k, v]) => !cliAcceptsDefault(declared[k.slice(5)].type, v, declared[k.slice(5)].items))
                .map(([k]) => k);
            expect(wrong, stack).toEqual([]);
        }
        // A host given as a string, or appEnv as a list, is what the CLI now refuses by itself.
        expect(cliAcceptsDefault("array", ["rondot"], declared.hosts.items)).toBe(false);
        expect(cliAcceptsDefault(declared.appEnv.type, ["LOG_LEVEL=debug"])).toBe(false);
    });

    it("refuses what the schema refuses: an unknown attribute, an unknown type or item type", () => {
        const withEntry = (entry: unknown) => ({ ...project, config: { ...project.config, probe: entry } });
        expect(validate(withEntry({ type: "string", requried: true }))).toBe(false);
        expect(validate(withEntry({ type: "map" }))).toBe(false);
        expect(validate(withEntry({ type: "array", items: { type: "map" } }))).toBe(false);
        expect(validate(withEntry({ type: "array", items: { type: "object" } }))).toBe(true);
    });
});

describe("README", () => {
    const readme = readFileSync(join(ROOT, "README.md"), "utf8");
    it("documents every config key in its reference table, as keys.ts says", () => {
        for (const k of CONFIG_KEYS) expect(readme).toContain(`| \`nova:${k.key}\``);
        expect(readme).toContain(`${TABLE_START}\n${renderConfigTable()}\n${TABLE_END}`);
    });
    it("shows the two commands of a fresh machine", () => {
        expect(readme).toContain("npm ci && npm run plan");
        expect(readme).toContain("npm test");
    });
});
