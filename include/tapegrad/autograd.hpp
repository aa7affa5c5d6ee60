// Beyond backward(): your own operations with their own derivatives (tg::autograd::Function),
// and checking derivatives against finite differences (tg::gradcheck).
#pragma once

#include "tapegrad/autograd/function.hpp"
#include "tapegrad/autograd/functional.hpp"
#include "tapegrad/autograd/grad.hpp"
#include "tapegrad/autograd/gradcheck.hpp"
