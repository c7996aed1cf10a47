"""Writes the PyTorch fixtures of the ONNX import tests (test/fixtures/onnx/): small MLPs exported
with torch.onnx.export in the two patterns PyTorch uses for a linear layer, and, for each, a batch
of inputs with what PyTorch predicted for them. Run once; the outputs are committed.

- gemm-mlp:            nn.Sequential(Linear(4, 8), ReLU(), Linear(8, 3)): `Gemm` with transB = 1
                       (W stored out×in), the usual export of nn.Linear on a batch.
- matmul-mlp:          x @ W1 + b1, tanh, x @ W2 + b2, softmax: `MatMul` + `Add` with I×O weights.
- matmul-transpose-mlp: (x − μ)/σ, x @ W1.T + b1, leaky ReLU(0.2), x @ W2.T + b2, sigmoid, exported
                       without constant folding: `Sub`/`Div`, and `MatMul` of a `Transpose`d weight.
- lstm-forecaster, gru-forecaster: rows of 5 steps × 3 features reshaped to a batch-first sequence,
                       nn.LSTM(3, 4) / nn.GRU(3, 4), Linear(4, 1) on the last state h[-1]: `LSTM`/`GRU`
                       with PyTorch's two biases, zero initial states from `ConstantOfShape`.

Usage: /usr/bin/python3 scripts/onnx-pytorch-fixtures.py   (Debian's python3-torch and python3-onnx)
"""
import json
import os

import onnx
import torch
from torch import nn

OUT = os.path.join(os.path.dirname(__file__), "..", "test", "fixtures", "onnx")
torch.manual_seed(0)


class MatMulMlp(nn.Module):
    def __init__(self):
        super().__init__()
        self.w1 = nn.Parameter(torch.randn(5, 6) * 0.5)
        self.b1 = nn.Parameter(torch.randn(6) * 0.1)
        self.w2 = nn.Parameter(torch.randn(6, 4) * 0.5)
        self.b2 = nn.Parameter(torch.randn(4) * 0.1)

    def forward(self, x):
        h = torch.tanh(torch.matmul(x, self.w1) + self.b1)
        return torch.softmax(torch.matmul(h, self.w2) + self.b2, dim=-1)


class TransposeMlp(nn.Module):
    def __init__(self):
        super().__init__()
        self.register_buffer("mean", torch.tensor([5.8, 3.1, 3.7, 1.2]))
        self.register_buffer("std", torch.tensor([0.8, 0.4, 1.7, 0.75]))
        self.w1 = nn.Parameter(torch.randn(6, 4) * 0.5)  # out × in, as nn.Linear stores it
        self.b1 = nn.Parameter(torch.randn(6) * 0.1)
        self.w2 = nn.Parameter(torch.randn(2, 6) * 0.5)
        self.b2 = nn.Parameter(torch.randn(2) * 0.1)

    def forward(self, x):
        z = (x - self.mean) / self.std
        h = nn.functional.leaky_relu(torch.matmul(z, self.w1.t()) + self.b1, 0.2)
        return torch.sigmoid(torch.matmul(h, self.w2.t()) + self.b2)


class Forecaster(nn.Module):
    def __init__(self, cell):
        super().__init__()
        self.cell = cell(3, 4, batch_first=True)
        self.head = nn.Linear(4, 1)

    def forward(self, x):
        _, state = self.cell(x.reshape(-1, 5, 3))
        h = state[0] if isinstance(state, tuple) else state
        return self.head(h[-1])


def export(name, model, inputs, width, fold):
    model.eval()
    x = torch.randn(inputs, width) * 2 + (5 if name == "matmul-transpose-mlp" else 0)
    path = os.path.join(OUT, f"{name}.onnx")
    torch.onnx.export(
        model, x[:2], path, input_names=["input"], output_names=["output"],
        dynamic_axes={"input": {0: "batch"}, "output": {0: "batch"}}, opset_version=13,
        do_constant_folding=fold,
    )
    onnx.checker.check_model(onnx.load(path), full_check=True)
    with torch.no_grad():
        y = model(x)
    ops = [n.op_type for n in onnx.load(path).graph.node]
    with open(os.path.join(OUT, f"{name}.json"), "w") as f:
        json.dump({"torch": torch.__version__, "operators": ops, "input": x.tolist(), "output": y.tolist()}, f)
        f.write("\n")
    print(name, ops)


export("gemm-mlp", nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 3)), 10, 4, True)
export("matmul-mlp", MatMulMlp(), 10, 5, True)
export("matmul-transpose-mlp", TransposeMlp(), 10, 4, False)
export("lstm-forecaster", Forecaster(nn.LSTM), 10, 15, True)
export("gru-forecaster", Forecaster(nn.GRU), 10, 15, True)
