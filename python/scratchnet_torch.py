"""scratchnet weight files (docs/weights.md) as PyTorch modules.

One file, depending on torch and numpy only (and on the `safetensors` package when it is installed;
without it .safetensors files are read here, the format is small). Copy it next to your code:

    import scratchnet_torch as sn
    model = sn.load("mlp.safetensors")         # or .npz; eval mode, with .kind, .classes, .config
    logits = sn.predict(model, pixels)         # uint8/float pixels 0..255, [B,28,28] or [B,28,56]
    tens, ones = sn.predict(cnn2head, pairs)   # the two-headed CNN gives two [B,10] logits
    logits = sn.predict(rnn, drawings)         # Quick Draw simplified drawings: lists of [xs, ys]

The modules use the export's parameter names, so `model.state_dict()` is the file's tensors and
`torch.save` / `load_state_dict` work as usual. `predict` feeds the network exactly what the page
does: pixels/255 standardized with the file's norm.* when it has them, and for `rnn` the stroke-3
steps (dx/s, dy/s, p) of A1, the first max_len points.
"""
import json
import struct

import numpy as np
import torch
from torch import nn
from torch.nn.utils.rnn import pack_padded_sequence

__all__ = ["MLP", "CNN", "CNN2Head", "BiGRU", "load", "predict", "encode_drawings", "read_weight_file", "save_safetensors"]

IMAGE_SHAPES = {"mlp": (28, 28), "cnn": (28, 56), "cnn2head": (28, 56)}


class Norm(nn.Module):
    """Holds norm.mean / norm.std (one input's shape) so the state dict names match the file."""

    def __init__(self, shape):
        super().__init__()
        self.register_buffer("mean", torch.zeros(shape))
        self.register_buffer("std", torch.ones(shape))


def _activation(config):
    name = config.get("activation", "relu")
    if name == "relu":
        return nn.ReLU()
    if name == "leaky_relu":
        return nn.LeakyReLU(float(config.get("leaky_slope", 0.01)))
    if name == "tanh":
        return nn.Tanh()
    if name == "sigmoid":
        return nn.Sigmoid()
    raise ValueError(f"mlp config: unknown activation {name!r}")


class MLP(nn.Module):
    """fc1 … fcL on 784 pixels, the activation after every layer but the last."""

    def __init__(self, config, classes=10, input_size=784):
        super().__init__()
        sizes = [input_size, *[int(h) for h in config.get("hidden", [])], classes]
        for i in range(len(sizes) - 1):
            setattr(self, f"fc{i + 1}", nn.Linear(sizes[i], sizes[i + 1]))
        self.layers = len(sizes) - 1
        self.act = _activation(config)
        self.dropout = nn.Dropout(float(config.get("dropout", 0) or 0))

    def forward(self, x):
        x = x.flatten(1)
        for i in range(1, self.layers + 1):
            x = getattr(self, f"fc{i}")(x)
            if i < self.layers:
                x = self.dropout(self.act(x))
        return x


class CNN(nn.Module):
    """conv (3×3, stride 1) → ReLU → max-pool 2×2 per entry of channels, then fc1, ReLU, dropout, fc2."""

    def __init__(self, config, classes=100, input_shape=(1, 28, 56)):
        super().__init__()
        channels = [int(c) for c in config["channels"]]
        padding = int(config.get("padding", 1))
        c_in, h, w = input_shape
        for i, c in enumerate(channels):
            setattr(self, f"conv{i + 1}", nn.Conv2d(c_in, c, 3, padding=padding))
            c_in, h, w = c, (h + 2 * padding - 2) // 2, (w + 2 * padding - 2) // 2
        self.convs = len(channels)
        self.fc1 = nn.Linear(c_in * h * w, int(config["fc"]))
        self.dropout = nn.Dropout(float(config.get("dropout", 0) or 0))
        self._add_heads(int(config["fc"]), classes)

    def _add_heads(self, features, classes):
        self.fc2 = nn.Linear(features, classes)

    def features(self, x):
        for i in range(1, self.convs + 1):
            x = nn.functional.max_pool2d(torch.relu(getattr(self, f"conv{i}")(x)), 2)
        return self.dropout(torch.relu(self.fc1(x.flatten(1))))

    def forward(self, x):
        return self.fc2(self.features(x))


class CNN2Head(CNN):
    """The CNN trunk and fc1, then head1 (tens digit) and head2 (ones digit): forward gives (tens, ones)."""

    def _add_heads(self, features, classes):
        self.head1 = nn.Linear(features, 10)
        self.head2 = nn.Linear(features, 10)

    def forward(self, x):
        h = self.features(x)
        return self.head1(h), self.head2(h)


class BiGRU(nn.Module):
    """nn.GRU(3, H, layers, bidirectional, batch_first) and fc on the last real step's (h_n[-2], h_n[-1])."""

    def __init__(self, config, classes=10):
        super().__init__()
        hidden, layers = int(config["hidden"]), int(config.get("layers", 2))
        self.gru = nn.GRU(3, hidden, layers, bidirectional=True, batch_first=True,
                          dropout=float(config.get("dropout", 0) or 0) if layers > 1 else 0.0)
        self.fc = nn.Linear(2 * hidden, classes)

    def forward(self, seqs, lengths):
        """seqs [B,T,3] stroke-3 steps, lengths [B]: steps past a length are padding and do not matter."""
        packed = pack_padded_sequence(seqs, torch.as_tensor(lengths).cpu(), batch_first=True, enforce_sorted=False)
        _, h_n = self.gru(packed)
        return self.fc(torch.cat([h_n[-2], h_n[-1]], dim=1))


MODELS = {"mlp": MLP, "cnn": CNN, "cnn2head": CNN2Head, "rnn": BiGRU}


def _read_safetensors(path):
    try:
        from safetensors.numpy import load_file, safe_open  # noqa: F401 (optional dependency)
        with safe_open(path, framework="np") as f:
            metadata = f.metadata() or {}
        return load_file(path), metadata
    except ImportError:
        pass
    with open(path, "rb") as f:
        data = f.read()
    if len(data) < 8:
        raise ValueError(f"{path}: too short for a safetensors file")
    (size,) = struct.unpack("<Q", data[:8])
    if size > len(data) - 8:
        raise ValueError(f"{path}: header of {size} bytes runs past the end of the file")
    header = json.loads(data[8:8 + size].decode("utf-8"))
    metadata = header.pop("__metadata__", {}) or {}
    body = memoryview(data)[8 + size:]
    tensors = {}
    for name, info in header.items():
        if info["dtype"] != "F32":
            raise ValueError(f"{path}: {name} has dtype {info['dtype']}, A1 files hold F32 only")
        begin, end = info["data_offsets"]
        shape = tuple(info["shape"])
        if end > len(body) or end - begin != 4 * int(np.prod(shape, dtype=np.int64)):
            raise ValueError(f"{path}: {name} data_offsets do not fit its shape {list(shape)} or the file")
        tensors[name] = np.frombuffer(body[begin:end], dtype="<f4").reshape(shape).copy()
    return tensors, metadata


def _read_npz(path):
    with np.load(path, allow_pickle=False) as z:
        arrays = {name: z[name] for name in z.files}
    if "__metadata__" not in arrays:
        raise ValueError(f"{path}: no __metadata__ member, not a scratchnet weight file")
    metadata = json.loads(bytes(arrays.pop("__metadata__").astype(np.uint8)).decode("utf-8"))
    return {k: v.astype(np.float32) for k, v in arrays.items()}, metadata


def read_weight_file(path):
    """(tensors: {name: float32 ndarray}, metadata: {format, model, config, classes, metrics}) of an A1 file."""
    path = str(path)
    tensors, meta = _read_safetensors(path) if path.endswith(".safetensors") else _read_npz(path)
    if meta.get("format") != "scratchnet/1":
        raise ValueError(f"{path}: __metadata__ format is {meta.get('format')!r}, expected 'scratchnet/1'")
    if meta.get("model") not in MODELS:
        raise ValueError(f"{path}: unknown model {meta.get('model')!r}")
    parsed = {key: json.loads(meta[key]) if key in ("config", "classes", "metrics") and key in meta else meta.get(key)
              for key in ("format", "model", "config", "classes", "metrics")}
    return tensors, parsed


def load(path):
    """The module of an exported .safetensors or .npz file, in eval mode, with .kind, .classes, .config, .metrics."""
    tensors, meta = read_weight_file(path)
    kind, config, classes = meta["model"], meta["config"] or {}, meta["classes"] or []
    n_classes = 100 if kind == "cnn2head" else len(classes)
    model = MODELS[kind](config, n_classes)
    if "norm.mean" in tensors:
        model.norm = Norm(tensors["norm.mean"].shape)
    state = {k: torch.from_numpy(np.ascontiguousarray(v)) for k, v in tensors.items()}
    missing, unexpected = model.load_state_dict(state, strict=False)
    if missing or unexpected:
        raise ValueError(f"{path}: the file does not fit its {kind} config: missing {missing}, unexpected {unexpected}")
    model.kind, model.classes, model.config, model.metrics = kind, classes, config, meta["metrics"] or {}
    return model.eval()


def save_safetensors(model, path, metrics=None):
    """Writes the module back in A1 safetensors layout (to load in the page or the CLI)."""
    tensors = {k: v.detach().cpu().float().contiguous().numpy() for k, v in model.state_dict().items()}
    header, offset = {}, 0
    for name, t in tensors.items():
        header[name] = {"dtype": "F32", "shape": list(t.shape), "data_offsets": [offset, offset + t.nbytes]}
        offset += t.nbytes
    header["__metadata__"] = {"format": "scratchnet/1", "model": model.kind, "config": json.dumps(model.config),
                              "classes": json.dumps(model.classes), "metrics": json.dumps(metrics or {})}
    raw = json.dumps(header).encode("utf-8")
    raw += b" " * (-len(raw) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(raw)) + raw + b"".join(t.astype("<f4").tobytes() for t in tensors.values()))


def _standardized(model, pixels):
    height, width = IMAGE_SHAPES[model.kind]
    x = np.asarray(pixels, dtype=np.float64)
    if x.ndim == 2:
        x = x[None]
    if x.shape[1:] != (height, width):
        raise ValueError(f"{model.kind} expects pixels [B,{height},{width}] (0..255), got {list(x.shape)}")
    x = x.reshape(len(x), -1) / 255
    if hasattr(model, "norm"):
        mean = model.norm.mean.double().numpy().reshape(-1)
        std = model.norm.std.double().numpy().reshape(-1)
        x = (x - mean) / std
    x = torch.from_numpy(x.astype(np.float32))
    return x if model.kind == "mlp" else x.reshape(-1, 1, height, width)


def encode_drawings(drawings, max_len, delta_scale):
    """Stroke-3 steps [B,max_len,3] float32 and lengths [B] of Quick Draw simplified drawings (A1)."""
    inv = 1 / float(delta_scale)  # the page multiplies by 1/s: same rounding here
    seqs = np.zeros((len(drawings), int(max_len), 3), dtype=np.float32)
    lengths = np.zeros(len(drawings), dtype=np.int64)
    for b, drawing in enumerate(drawings):
        rows, px, py = [], 0, 0
        for s, stroke in enumerate(drawing):
            xs, ys = stroke[0], stroke[1]
            if len(xs) != len(ys):
                raise ValueError(f"drawing {b}, stroke {s + 1}: {len(xs)} x values but {len(ys)} y values")
            for j, (x, y) in enumerate(zip(xs, ys)):
                rows.append(((x - px) * inv, (y - py) * inv, 1.0 if j == len(xs) - 1 else 0.0))
                px, py = x, y
        if not rows:
            raise ValueError(f"drawing {b} has no points")
        rows = rows[: int(max_len)]
        seqs[b, : len(rows)] = np.asarray(rows, dtype=np.float64)
        lengths[b] = len(rows)
    return torch.from_numpy(seqs), torch.from_numpy(lengths)


@torch.no_grad()
def predict(model, inputs):
    """Logits [B,C] (cnn2head: (tens, ones), each [B,10]) for raw pixels or, for rnn, drawings."""
    if model.kind == "rnn":
        seqs, lengths = encode_drawings(inputs, model.config["max_len"], model.config["delta_scale"])
        return model(seqs, lengths)
    return model(_standardized(model, inputs))


def _main(argv):
    """python3 scratchnet_torch.py FILE: what the file holds and its parameter count."""
    if len(argv) != 2:
        print("usage: python3 scratchnet_torch.py WEIGHTS.safetensors|WEIGHTS.npz")
        return 2
    model = load(argv[1])
    params = sum(p.numel() for p in model.parameters())
    print(f"{model.kind} {json.dumps(model.config)}: {len(model.classes)} classes, {params} parameters, metrics {json.dumps(model.metrics)}")
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(_main(sys.argv))
