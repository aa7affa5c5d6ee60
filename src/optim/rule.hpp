// What the file of an update rule includes: BasicOptimizer's members (to instantiate it), the
// parameters and state read and written in place (param_access.hpp), and the pieces rules
// share (transforms.hpp).
#pragma once

#include "param_access.hpp"
#include "tapegrad/optim/basic_optimizer.hpp"
#include "transforms.hpp"
