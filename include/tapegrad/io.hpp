// Files: NumPy arrays (.npy, .npz), atomic writes, and checkpoints built on them.
#pragma once

#include "tapegrad/io/checkpoint.hpp"
#include "tapegrad/io/npy.hpp"
#include "tapegrad/io/state_dict.hpp"
