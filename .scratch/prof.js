const fs=require('fs');const p=JSON.parse(fs.readFileSync(process.argv[2]));
const nodes=new Map(p.nodes.map(n=>[n.id,n]));const self=new Map();
const dt=p.timeDeltas;const cnt=new Map();
for(let i=0;i<p.samples.length;i++){cnt.set(p.samples[i],(cnt.get(p.samples[i])||0)+(dt[i]||0));}
// parent map
const parent=new Map();for(const n of p.nodes)for(const c of n.children||[])parent.set(c,n.id);
const selfBy=new Map(), totBy=new Map();
for(const [id,t] of cnt){const n=nodes.get(id);const k=n.callFrame.functionName+' '+n.callFrame.url.replace(/.*node_modules\//,'')+':'+n.callFrame.lineNumber;selfBy.set(k,(selfBy.get(k)||0)+t);
 const seen=new Set();let c=id;while(c!==undefined){const m=nodes.get(c);const kk=m.callFrame.functionName+' '+m.callFrame.url.replace(/.*node_modules\//,'')+':'+m.callFrame.lineNumber;if(!seen.has(kk)){seen.add(kk);totBy.set(kk,(totBy.get(kk)||0)+t);}c=parent.get(c);}}
const top=(m,n)=>[...m].sort((a,b)=>b[1]-a[1]).slice(0,n).map(([k,v])=>(v/1000).toFixed(0).padStart(6)+' '+k).join('\n');
console.log('SELF\n'+top(selfBy,25));console.log('TOTAL\n'+top(totBy,60));
