import { describe, expect, it } from "vitest";
import { serviceAccountName, serviceReaderSids, serviceSid } from "../../../components/host/serviceAccount";
import { guardedFolders, venvDirectory } from "../../../components/host/steps/grants";
import { prodConfig } from "../../support/fixtures/configs";

describe("the service's virtual account", () => {
    it("has the SID Windows derives from the service name (sc showsid TrustedInstaller, a well-known SID)", () => {
        expect(serviceSid("TrustedInstaller")).toBe("S-1-5-80-956008885-3418522649-1831038044-1853292631-2271478464");
        expect(serviceSid("trustedinstaller")).toBe(serviceSid("TrustedInstaller"));
    });

    it("is NT SERVICE\\<name> by default, LocalSystem (and no extra reader) when configured", () => {
        expect(serviceAccountName(prodConfig.service)).toBe("NT SERVICE\\NOVA-Backend");
        expect(serviceReaderSids(prodConfig.service)).toEqual([serviceSid("NOVA-Backend")]);
        const system = { ...prodConfig.service, account: "LocalSystem" as const };
        expect(serviceAccountName(system)).toBe("LocalSystem");
        expect(serviceReaderSids(system)).toEqual([]);
    });

    it("guards the app, venv and log directories (each once)", () => {
        expect(venvDirectory(prodConfig)).toBe("C:\\Users\\PPZ\\NOVA-SERVER\\.venv");
        expect(guardedFolders(prodConfig)).toEqual([
            ["app-directory", "C:\\Users\\PPZ\\NOVA-SERVER"],
            ["venv", "C:\\Users\\PPZ\\NOVA-SERVER\\.venv"],
            ["log-directory", "C:\\Users\\PPZ\\NOVA-SERVER\\logs"],
        ]);
    });
});
