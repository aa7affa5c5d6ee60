// Loss landscapes: the test functions (tg::functions), their Hessian and a terrain verdict at
// any point.
#pragma once

#include "tapegrad/functions/hessian.hpp"
#include "tapegrad/functions/terrain.hpp"
#include "tapegrad/functions/test_functions.hpp"
