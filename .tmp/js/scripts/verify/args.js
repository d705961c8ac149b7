"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.USAGE = void 0;
exports.parseVerifyArgs = parseVerifyArgs;
/** Command-line arguments of `npm run verify`. */
const util_1 = require("util");
const types_1 = require("./types");
exports.USAGE = "usage: verify [--stack NAME] [--json] [--timeout MS] [--ca FILE] [--base-url https://HOST[:PORT]] " +
    "[--http-base-url http://HOST[:PORT]] [--asset PATH]";
const MAX_TIMEOUT_MS = 120_000;
function checkUrl(flag, value, protocol) {
    if (value === undefined)
        return undefined;
    let url;
    try {
        url = new URL(value);
    }
    catch {
        throw new Error(`${flag}: not a URL: ${value}`);
    }
    if (url.protocol !== protocol || (url.pathname !== "/" && url.pathname !== "") || url.search !== "" || url.username !== "") {
        throw new Error(`${flag}: expected ${protocol}//HOST[:PORT] without path: ${value}`);
    }
    return value;
}
/** Parse and validate; throws an Error with a readable message on bad arguments. */
function parseVerifyArgs(argv) {
    const { values, positionals } = (0, util_1.parseArgs)({
        args: [...argv],
        strict: true,
        allowPositionals: true,
        options: {
            stack: { type: "string", default: "prod" },
            json: { type: "boolean", default: false },
            timeout: { type: "string" },
            ca: { type: "string" },
            "base-url": { type: "string" },
            "http-base-url": { type: "string" },
            asset: { type: "string" },
        },
    });
    if (positionals.length > 0)
        throw new Error(`unexpected argument: ${positionals[0]}`);
    let timeoutMs = types_1.DEFAULT_TIMEOUT_MS;
    if (values.timeout !== undefined) {
        if (!/^\d+$/.test(values.timeout) || Number(values.timeout) < 1 || Number(values.timeout) > MAX_TIMEOUT_MS) {
            throw new Error(`--timeout: expected milliseconds between 1 and ${MAX_TIMEOUT_MS}: ${values.timeout}`);
        }
        timeoutMs = Number(values.timeout);
    }
    if (values.asset !== undefined && !/^\/\S*$/.test(values.asset)) {
        throw new Error(`--asset: expected a path starting with "/": ${values.asset}`);
    }
    return {
        stack: values.stack ?? "prod",
        json: values.json ?? false,
        timeoutMs,
        caFile: values.ca,
        baseUrl: checkUrl("--base-url", values["base-url"], "https:"),
        httpBaseUrl: checkUrl("--http-base-url", values["http-base-url"], "http:"),
        assetPath: values.asset,
    };
}
