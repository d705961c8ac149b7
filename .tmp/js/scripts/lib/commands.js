"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.COMMAND_TYPES = void 0;
exports.isCommand = isCommand;
exports.unwrapSecret = unwrapSecret;
exports.commandScriptBytes = commandScriptBytes;
exports.commandsPerHost = commandsPerHost;
exports.COMMAND_TYPES = ["command:remote:Command", "command:local:Command"];
const SIG = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
function isCommand(r) {
    return exports.COMMAND_TYPES.includes(r.type);
}
/** The plain value inside a wire-form secret (other values unchanged). */
function unwrapSecret(value) {
    if (value && typeof value === "object" && value[SIG] === SECRET_SIG) {
        return value.value;
    }
    return value;
}
function textLength(value) {
    const plain = unwrapSecret(value);
    return typeof plain === "string" ? Buffer.byteLength(plain, "utf8") : 0;
}
/** Bytes of script text a command sends to its host: its command line (`create`) plus its `stdin`. */
function commandScriptBytes(r) {
    return textLength(r.inputs.create) + textLength(r.inputs.stdin);
}
/** Remote commands per host, by the host's component name (the parent's URN ends in `::<host>`). */
function commandsPerHost(resources, hostNames) {
    const byUrn = new Map(resources.map((r) => [r.urn, r]));
    const count = Object.fromEntries(hostNames.map((h) => [h, 0]));
    for (const r of resources) {
        if (!isCommand(r))
            continue;
        let parent = r.parent ? byUrn.get(r.parent) : undefined;
        while (parent && parent.type !== "nova:host:WindowsHostService")
            parent = parent.parent ? byUrn.get(parent.parent) : undefined;
        const host = parent?.name ?? hostNames.find((h) => r.name.startsWith(`${h}-`));
        if (host !== undefined && host in count)
            count[host]++;
    }
    return count;
}
