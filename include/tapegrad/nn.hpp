// tg::nn: modules (layers with named parameters), initialisers and models.
#pragma once

#include "tapegrad/nn/activation.hpp"
#include "tapegrad/nn/dropout.hpp"
#include "tapegrad/nn/init.hpp"
#include "tapegrad/nn/linear.hpp"
#include "tapegrad/nn/mlp.hpp"
#include "tapegrad/nn/module.hpp"
#include "tapegrad/nn/sequential.hpp"
