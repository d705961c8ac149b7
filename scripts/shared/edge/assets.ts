/** Finding an asset to test edge caching with, in the SPA's HTML. */

/**
 * The first `<script src>` or `<link href>` of `html` whose path (resolved against `pageUrl`, same
 * host only) lies under `assetsPrefix/`. Returns the path with its query, or undefined.
 */
export function findAssetPath(html: string, pageUrl: string, assetsPrefix: string): string | undefined {
    const page = new URL(pageUrl);
    const tag = /<(script|link)\b[^>]*>/gi;
    for (let m = tag.exec(html); m !== null; m = tag.exec(html)) {
        const attr = m[1].toLowerCase() === "script" ? "src" : "href";
        const value = new RegExp(`\\s${attr}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s>]+))`, "i").exec(m[0]);
        const raw = value?.[1] ?? value?.[2] ?? value?.[3];
        if (raw === undefined || raw === "") continue;
        let url: URL;
        try {
            url = new URL(raw, page);
        } catch {
            continue;
        }
        if (url.host === page.host && url.pathname.startsWith(`${assetsPrefix}/`)) {
            return url.pathname + url.search;
        }
    }
    return undefined;
}
