/**
 * WinRM over plain HTTP is refused. A WinRM host's step commands run the WinRM runner with its
 * connection in `environment` (components/host/winrmRunner.ts): `NOVA_WINRM_ALLOW_HTTP=true` means
 * the runner speaks HTTP, so the credential and the scripts cross the network unencrypted. Scripts
 * that turn the host's WinRM service toward plain HTTP (AllowUnencrypted, an HTTP listener, quick
 * config) are refused too.
 *
 * Override: the policy's config key `allowPlainHttp: true` (`pulumi preview --policy-pack-config`)
 * accepts an HTTP connection (a lab host on an isolated network); the scripts stay refused.
 */
import { argumentOf, callsTo, type ParsedScript, parseScript } from "./psScript";
import { commandScripts } from "./scriptText";
import { isCommand, LOCAL_COMMAND, type Props } from "./types";

export interface WinrmPolicyConfig {
    /** Accept NOVA_WINRM_ALLOW_HTTP=true (an explicit, logged decision). @default false */
    readonly allowPlainHttp?: boolean;
}

export const WINRM_CONFIG_SCHEMA = {
    properties: { allowPlainHttp: { type: "boolean" as const, default: false, description: "Accept WinRM over plain HTTP (NOVA_WINRM_ALLOW_HTTP=true)." } },
};

function scriptViolations(script: ParsedScript): string[] {
    const out: string[] = [];
    for (const command of ["Set-Item", "New-Item", "Set-WSManInstance", "New-WSManInstance", "Set-WSManQuickConfig", "Enable-PSRemoting"]) {
        for (const call of callsTo(script, command)) {
            const target = [argumentOf(call, "Path"), argumentOf(call, "LiteralPath"), argumentOf(call, "ResourceURI"), argumentOf(call, "ValueSet"), call.bound?.positional[0]]
                .map((a) => (a === undefined || a === true ? "" : a.text))
                .join(" ");
            const quick = command === "Set-WSManQuickConfig" || command === "Enable-PSRemoting";
            if (quick || /WSMan:|winrm\/config/i.test(target) && /AllowUnencrypted|Listener|Transport|HTTP\b/i.test(call.node.text)) {
                out.push(`a script opens WinRM to plain HTTP or unencrypted traffic (${call.name}): use HTTPS (5986)`);
            }
        }
    }
    for (const call of script.calls) {
        if (call.resolved?.kind === "native" && /^winrm\.(cmd|vbs)$/i.test(call.resolved.name)) out.push(`a script configures WinRM with ${call.resolved.name}, which this policy cannot verify`);
    }
    return out;
}

/** Violations of "WinRM only over HTTPS". */
export function winrmHttpViolations(type: string, props: Props, config: WinrmPolicyConfig = {}): string[] {
    if (!isCommand(type)) return [];
    const out: string[] = [];
    const env = props.environment;
    const allowHttp = type === LOCAL_COMMAND && env && typeof env === "object" ? (env as Props).NOVA_WINRM_ALLOW_HTTP : undefined;
    if (typeof allowHttp === "string" && allowHttp.toLowerCase() !== "false" && config.allowPlainHttp !== true) {
        out.push(`WinRM over plain HTTP (NOVA_WINRM_ALLOW_HTTP=${allowHttp}): use HTTPS, or set the policy config allowPlainHttp: true to accept it`);
    }
    out.push(...commandScripts(props).scripts.flatMap((s) => scriptViolations(parseScript(s))));
    return [...new Set(out)];
}
