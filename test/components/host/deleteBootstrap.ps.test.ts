/**
 * The delete loader executed under pwsh: given the packed stdin a create stored (create script,
 * delete script, secrets), it runs the delete script only, without the secrets; the create bootstrap
 * on the same stdin runs the create script only, with them.
 */
import { expect, it } from "vitest";
import { DELETE_LOADER_TEXT, LOADER_TEXT, hostStdin, packStdin } from "../../../components/host/bootstrap";
import { describePwsh, runPwsh } from "../../support/pwsh";

const CREATE = "param($NovaSecrets)\n[Console]::Out.WriteLine('create ' + [string]$NovaSecrets.token)\n";
const DELETE = "param($NovaSecrets)\n[Console]::Out.WriteLine('delete ' + @($NovaSecrets.PSObject.Properties).Count)\n";
const SECRET = "tok-3f9a-not-real";

describePwsh("delete bootstrap", () => {
    it("runs the delete part of the stored document, without the secrets", () => {
        const doc = hostStdin(CREATE, { token: SECRET }, DELETE);
        const del = runPwsh(DELETE_LOADER_TEXT, doc);
        expect([del.status, del.stdout.trim(), del.stderr]).toEqual([0, "delete 0", ""]);
        const create = runPwsh(LOADER_TEXT, doc);
        expect([create.status, create.stdout.trim()]).toEqual([0, `create ${SECRET}`]);
    });

    it("runs the delete part of a document without secrets, CRLF line endings too", () => {
        const doc = packStdin(`${CREATE}#--nova-infra-delete--\n${DELETE}`.replace(/\n/g, "\r\n"));
        expect(runPwsh(DELETE_LOADER_TEXT, doc).stdout.trim()).toBe("delete 0");
        expect(runPwsh(LOADER_TEXT, doc).stdout.trim()).toBe("create");
    });

    it("fails (exit 1, message on stderr) on a document without a delete script", () => {
        const r = runPwsh(DELETE_LOADER_TEXT, hostStdin(CREATE, { token: SECRET }));
        expect(r.status).toBe(1);
        expect(r.stderr).toContain("the stdin document has no delete script");
        expect(r.stdout + r.stderr).not.toContain(SECRET);
    });

    it("a failing script: exit 1, its message alone on stderr as UTF-8 with no BOM; warnings and progress stay off stderr", () => {
        const failing = "param($NovaSecrets)\nWrite-Warning 'a warning'\nWrite-Progress -Activity 'a progress'\nWrite-Verbose 'verbose' -Verbose:$false\nthrow 'échec: la clé est refusée'\n";
        const r = runPwsh(LOADER_TEXT, hostStdin(failing, { token: SECRET }));
        expect([r.status, r.stdout, r.stderr]).toEqual([1, "", "échec: la clé est refusée\n"]);
        const warned = runPwsh(LOADER_TEXT, hostStdin("param($NovaSecrets)\nWrite-Warning 'a warning'\n[Console]::Out.WriteLine('done')\n"));
        expect([warned.status, warned.stdout.trim(), warned.stderr]).toEqual([0, "done", ""]);
    });
});
