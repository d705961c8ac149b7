"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
const node_fs_1 = require("node:fs");
const node_path_1 = require("node:path");
const vitest_1 = require("vitest");
const yaml_1 = require("yaml");
const config_1 = require("../components/config");
const keys_1 = require("../components/config/keys");
const projectFile_1 = require("../scripts/projectFile");
const harness_1 = require("./harness");
const project = (0, yaml_1.parse)((0, node_fs_1.readFileSync)((0, node_path_1.join)(harness_1.ROOT, "Pulumi.yaml"), "utf8"));
(0, vitest_1.describe)("Pulumi.yaml", () => {
    (0, vitest_1.it)("runs index.ts with the nodejs runtime through ts-node, in the nova namespace", () => {
        (0, vitest_1.expect)(project.name).toBe("nova");
        (0, vitest_1.expect)(project.runtime).toEqual({ name: "nodejs", options: { typescript: true, packagemanager: "npm" } });
        (0, vitest_1.expect)(project.main).toBe("index.ts");
        const pkg = JSON.parse((0, node_fs_1.readFileSync)((0, node_path_1.join)(harness_1.ROOT, "package.json"), "utf8"));
        (0, vitest_1.expect)(pkg.type).toBeUndefined(); // CommonJS, as tsconfig's module
        (0, vitest_1.expect)(JSON.parse((0, node_fs_1.readFileSync)((0, node_path_1.join)(harness_1.ROOT, "tsconfig.json"), "utf8")).compilerOptions.module).toBe("commonjs");
    });
    (0, vitest_1.it)("declares every typed key as the program reads it, with its description and default", () => {
        const expected = Object.fromEntries(config_1.CONFIG_KEYS.flatMap((k) => {
            const e = (0, keys_1.projectSchemaEntry)(k);
            return e ? [[k.key, e]] : [];
        }));
        (0, vitest_1.expect)(project.config).toEqual(expected);
    });
    (0, vitest_1.it)("names in its header every key it cannot type", () => {
        const text = (0, node_fs_1.readFileSync)((0, node_path_1.join)(harness_1.ROOT, "Pulumi.yaml"), "utf8");
        for (const k of config_1.CONFIG_KEYS.filter((k) => !(0, keys_1.projectSchemaEntry)(k)))
            (0, vitest_1.expect)(text).toContain(`nova:${k.key}`);
    });
});
(0, vitest_1.describe)("README", () => {
    const readme = (0, node_fs_1.readFileSync)((0, node_path_1.join)(harness_1.ROOT, "README.md"), "utf8");
    (0, vitest_1.it)("documents every config key in its reference table, as keys.ts says", () => {
        for (const k of config_1.CONFIG_KEYS)
            (0, vitest_1.expect)(readme).toContain(`| \`nova:${k.key}\``);
        (0, vitest_1.expect)(readme).toContain(`${projectFile_1.TABLE_START}\n${(0, projectFile_1.renderConfigTable)()}\n${projectFile_1.TABLE_END}`);
    });
    (0, vitest_1.it)("shows the two commands of a fresh machine", () => {
        (0, vitest_1.expect)(readme).toContain("npm ci && npm run plan");
        (0, vitest_1.expect)(readme).toContain("npm test");
    });
});
