"""Checks for scratchnet_torch.py, run by python/scratchnet_torch.test.ts (prints JSON on stdout).

    check_scratchnet_torch.py fixtures DIR [DIR ...]  every NAME.io.npz with its weights in the DIRs:
        worst |logit - torch64| through load() + predict() (pixels path) or the module (rnn steps)
    check_scratchnet_torch.py predict WEIGHTS < {"pixels": {"shape": [...], "data": [...]}} | {"drawings": [...]}
        predict()'s logits, and for rnn the encoded steps and lengths
"""
import json
import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import scratchnet_torch as sn  # noqa: E402


def _logits(out):
    return torch.cat(out, dim=1) if isinstance(out, tuple) else out


def fixture_results(dirs):
    seen, results = set(), []
    for folder in dirs:
        for io_name in sorted(f for f in os.listdir(folder) if f.endswith(".io.npz")):
            name = io_name[: -len(".io.npz")]
            with np.load(os.path.join(folder, io_name), allow_pickle=False) as z:
                io = {k: z[k] for k in z.files}
            for fmt in ("safetensors", "npz"):
                path = os.path.join(folder, f"{name}.{fmt}")
                if (name, fmt) in seen or not os.path.exists(path):
                    continue
                seen.add((name, fmt))
                model = sn.load(path)
                if model.kind == "rnn":
                    with torch.no_grad():
                        out = model(torch.from_numpy(io["seqs"].astype(np.float32)), torch.from_numpy(io["lengths"]))
                else:
                    height, width = sn.IMAGE_SHAPES[model.kind]
                    out = sn.predict(model, io["pixels"].reshape(-1, height, width))
                worst = float(np.abs(_logits(out).double().numpy() - io["torch64"]).max())
                results.append({"name": name, "format": fmt, "kind": model.kind, "norm": hasattr(model, "norm"), "worst": worst})
    return results


def predict_result(path, request):
    model = sn.load(path)
    if model.kind == "rnn":
        seqs, lengths = sn.encode_drawings(request["drawings"], model.config["max_len"], model.config["delta_scale"])
        out = sn.predict(model, request["drawings"])
        return {"kind": model.kind, "logits": out.tolist(), "seqs": seqs.reshape(len(seqs), -1).tolist(), "lengths": lengths.tolist()}
    pixels = np.asarray(request["pixels"]["data"], dtype=np.uint8).reshape(request["pixels"]["shape"])
    out = sn.predict(model, pixels)
    if isinstance(out, tuple):
        return {"kind": model.kind, "tens": out[0].tolist(), "ones": out[1].tolist()}
    return {"kind": model.kind, "logits": out.tolist()}


def main(argv):
    if len(argv) >= 3 and argv[1] == "fixtures":
        print(json.dumps(fixture_results(argv[2:])))
    elif len(argv) == 3 and argv[1] == "predict":
        print(json.dumps(predict_result(argv[2], json.load(sys.stdin))))
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
