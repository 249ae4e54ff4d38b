# Compare skew-fit's document (argv[2]) with tests/ref_fit.py's (argv[1], from the e2e
# tree): every key both have, numbers to 1e-9 relative; pids, tids and reasons
# (words) left out; a slope object compared by its slope.
import json, sys
ref=json.load(open(sys.argv[1])); me=json.load(open(sys.argv[2]))
bad=0
def cmp(path,a,b):
    global bad
    if path.endswith(('.pids','.tids','.reason')): return
    if isinstance(b,dict) and 'slope' in b and not isinstance(a,dict): b=b['slope']
    if isinstance(b,dict) and b.get('fitted') is False and a is None: return
    if isinstance(a,dict) and isinstance(b,dict):
        for k in a:
            if k in b: cmp(path+'.'+k,a[k],b[k])
    elif isinstance(a,bool) or isinstance(b,bool):
        if a!=b: print("DIFF",path,a,b); bad+=1
    elif isinstance(a,(int,float)) and isinstance(b,(int,float)):
        if abs(a-b) > 1e-9*max(1,abs(a)): print("DIFF",path,a,b); bad+=1
    elif isinstance(a,list) and isinstance(b,list) and len(a)==len(b):
        for i,(x,y) in enumerate(zip(a,b)): cmp(path+f'[{i}]',x,y)
    elif a!=b: print("DIFF",path,repr(a)[:100],repr(b)[:100]); bad+=1
if len(ref['runs'])!=len(me['runs']): print("RUNS", len(ref['runs']), len(me['runs'])); sys.exit(1)
for i,(r,m) in enumerate(zip(ref['runs'],me['runs'])): cmp(f'runs[{i}]',r,m)
for k in ['skew','skew_with_service_time']: cmp(k,ref[k],me[k])
sys.exit(1 if bad else 0)
