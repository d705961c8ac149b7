import re,sys
def split(s):
    lines=s.split('\n');funcs={};order=[];rest=[];i=0
    while i<len(lines):
        l=lines[i];m=re.match(r'^function ([\w-]+)',l)
        if m:
            buf=[l];depth=l.count('{')-l.count('}');i+=1
            while depth>0 and i<len(lines):
                buf.append(lines[i]);depth+=lines[i].count('{')-lines[i].count('}');i+=1
            funcs[m.group(1)]='\n'.join(buf);order.append(m.group(1))
        else: rest.append(l);i+=1
    return funcs,'\n'.join(rest)
tot0=tot1=0
for f in sys.argv[1:]:
    s=open(f).read();funcs,rest=split(s)
    need=set();todo=[rest]
    while todo:
        t=todo.pop()
        for n in funcs:
            if n not in need and re.search(r'(?<![\w-])'+re.escape(n)+r'(?![\w-])',t): need.add(n);todo.append(funcs[n])
    dead=[n for n in funcs if n not in need]
    size=len(rest)+sum(len(funcs[n])+1 for n in need)
    tot0+=len(s);tot1+=size
    print(f.split('/')[-1],len(s),'->',size,'dead:',' '.join(dead))
print(tot0,tot1)
