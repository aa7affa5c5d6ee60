"""Reference data for tests/state/test_torch_roundtrip.cpp: a torch.nn.Sequential MLP's
state_dict saved with numpy.savez, in float64 and in float32 (PyTorch's default), with an
input and the outputs PyTorch computes for it.

    /usr/bin/python3 tests/reference/make_torch_roundtrip.py   (PyTorch 1.13, NumPy 1.24)

writes tests/reference/torch_roundtrip/{mlp_float64.npz, mlp_float32.npz, io.npz}.
"""
import os

import numpy as np
import torch

here = os.path.join(os.path.dirname(os.path.abspath(__file__)), "torch_roundtrip")
os.makedirs(here, exist_ok=True)

torch.manual_seed(2024)
model = torch.nn.Sequential(torch.nn.Linear(4, 8), torch.nn.Tanh(), torch.nn.Linear(8, 3)).double()
x = torch.linspace(-2, 2, 20, dtype=torch.float64).reshape(5, 4)
with torch.no_grad():
    y64 = model(x)
    model32 = torch.nn.Sequential(torch.nn.Linear(4, 8), torch.nn.Tanh(), torch.nn.Linear(8, 3))
    model32.load_state_dict({k: v.float() for k, v in model.state_dict().items()})
    y32 = model32(x.float())

np.savez(os.path.join(here, "mlp_float64.npz"), **{k: v.numpy() for k, v in model.state_dict().items()})
np.savez(os.path.join(here, "mlp_float32.npz"), **{k: v.numpy() for k, v in model32.state_dict().items()})
np.savez(os.path.join(here, "io.npz"), x=x.numpy(), y_float64=y64.numpy(), y_float32=y32.double().numpy())
print("keys:", list(model.state_dict().keys()))
print("y_float64[0]:", y64[0].tolist())
