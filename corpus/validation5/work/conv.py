import json, sys, importlib.util, opencc
cc = opencc.OpenCC('t2s')
def conv(x):
    if isinstance(x, str): return cc.convert(x)
    if isinstance(x, list): return [conv(i) for i in x]
    if isinstance(x, dict): return {conv(k): conv(v) for k, v in x.items()}
    return x
name = sys.argv[1]
spec_ = importlib.util.spec_from_file_location('s', f's{name}.py'); m = importlib.util.module_from_spec(spec_); spec_.loader.exec_module(m)
json.dump(conv(m.spec), open(f'/tmp/v5/gold/specs/{sys.argv[2]}.json', 'w', encoding='utf-8'), ensure_ascii=False, indent=1)
