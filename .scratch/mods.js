require('ts-node').register({transpileOnly:true});
const t=Date.now();require('../index.ts');
const ours=Object.keys(require.cache).filter(f=>!f.includes('node_modules'));
const fs=require('fs');let kb=0;for(const f of ours){kb+=fs.statSync(f).size}
console.log(ours.length,'modules',(kb/1024).toFixed(0),'KB',Date.now()-t,'ms');console.log(ours.map(f=>f.replace(/.*wt-perf\//,'')+' '+fs.statSync(f).size).join('\n'))
