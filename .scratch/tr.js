const ts=require('typescript');const fs=require('fs');
const files=process.argv.slice(2);const srcs=files.map(f=>[f,fs.readFileSync(f,'utf8')]);
function run(label,opts){const t=process.hrtime.bigint();for(const [f,s] of srcs)ts.transpileModule(s,{fileName:f,compilerOptions:{target:ts.ScriptTarget.ES2022,module:ts.ModuleKind.CommonJS,...opts}});console.log(label,Number(process.hrtime.bigint()-t)/1e6|0,'ms')}
run('warmup',{sourceMap:true});
run('sourcemap+inlineSources',{sourceMap:true,inlineSources:true});
run('sourcemap+inlineSources+removeComments',{sourceMap:true,inlineSources:true,removeComments:true});
run('nomap',{});
