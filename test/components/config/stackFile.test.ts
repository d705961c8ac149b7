import { describe, expect, it } from "vitest";
import { parseStackFile, placeholder } from "../../../components/config/stackFile";
import { planOffline } from "../../../scripts/shared/planning/plan";
import { renderTree } from "../../../scripts/plan/planText";
import { program, stackWith } from "../../support/harness";

const ENCRYPTED = "v1:Zm9vYmFyYmF6:c2VjcmV0LWNpcGhlcnRleHQ=";

describe("stack files", () => {
    it("reads values as the CLI passes them: strings, and lists and objects as JSON", () => {
        const cfg = parseStackFile("x", "config:\n  nova:appPort: 8000\n  nova:manageZone: false\n  nova:appSecretEnvKeys:\n    - A\n  nova:appEnv:\n    K: v\n");
        expect(cfg.values).toEqual({ "nova:appPort": "8000", "nova:manageZone": "false", "nova:appSecretEnvKeys": '["A"]', "nova:appEnv": '{"K":"v"}' });
        expect(cfg.secretKeys).toEqual([]);
    });

    it("stands in for encrypted values it cannot decrypt, whole or in part, and marks them secret", () => {
        const cfg = parseStackFile("x", `config:\n  nova:sshPrivateKey:\n    secure: ${ENCRYPTED}\n  nova:appSecretEnv:\n    OPENAI_API_KEY:\n      secure: ${ENCRYPTED}\n`);
        expect(cfg.values["nova:sshPrivateKey"]).toBe(placeholder("nova:sshPrivateKey"));
        expect(JSON.parse(cfg.values["nova:appSecretEnv"])).toEqual({ OPENAI_API_KEY: placeholder("nova:appSecretEnv.OPENAI_API_KEY") });
        expect(cfg.secretKeys.sort()).toEqual(["nova:appSecretEnv", "nova:sshPrivateKey"]);
        expect(JSON.stringify(cfg)).not.toContain(ENCRYPTED);
    });

    it("shows an encrypted value of the stack file as [secret] in the plan, not as missing", async () => {
        const base = stackWith("prod");
        const fromFile = parseStackFile("prod", `config:\n  nova:sshPrivateKey:\n    secure: ${ENCRYPTED}\n`);
        const p = await planOffline(
            { stack: "prod", values: { ...base.values, ...fromFile.values }, secretKeys: [...base.secretKeys, ...fromFile.secretKeys] },
            program,
        );
        expect(p.document.secretsToSet.map((s) => s.key)).not.toContain("nova:sshPrivateKey");
        expect(renderTree(p.document)).not.toContain(ENCRYPTED);
        expect(JSON.stringify(p.document)).not.toContain("offline-placeholder-for-nova:sshPrivateKey");
    });
});
