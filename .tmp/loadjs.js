const t0=performance.now();
require("@pulumi/pulumi"); require("@pulumi/cloudflare"); require("@pulumi/random"); require("@pulumi/command");
const t1=performance.now();
require(process.argv[2]);
const t2=performance.now();
console.log("sdk", (t1-t0).toFixed(0), "ours", (t2-t1).toFixed(0));
