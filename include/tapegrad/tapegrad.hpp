// Everything tapegrad offers, in one include.
#pragma once

#include "tapegrad/checkpoint.hpp"
#include "tapegrad/creation.hpp"
#include "tapegrad/data.hpp"
#include "tapegrad/error.hpp"
#include "tapegrad/gradcheck.hpp"
#include "tapegrad/io.hpp"
#include "tapegrad/nn.hpp"
#include "tapegrad/nn/functional/loss.hpp"
#include "tapegrad/nn/loss.hpp"
#include "tapegrad/ops.hpp"
#include "tapegrad/optim.hpp"
#include "tapegrad/random.hpp"
#include "tapegrad/shape.hpp"
#include "tapegrad/tape.hpp"
#include "tapegrad/tensor.hpp"
#include "tapegrad/xtensor.hpp"
