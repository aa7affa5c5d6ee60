// Data and training helpers: datasets, loaders, CSV files, splits, scaling, synthetic sets,
// metrics (tg::data), and progress lines, run histories and early stopping (tg::train). See
// docs/data.md.
#pragma once

#include "tapegrad/data/csv.hpp"
#include "tapegrad/data/data_loader.hpp"
#include "tapegrad/data/dataset.hpp"
#include "tapegrad/data/datasets.hpp"
#include "tapegrad/data/metrics.hpp"
#include "tapegrad/data/scaler.hpp"
#include "tapegrad/data/split.hpp"
#include "tapegrad/data/synthetic.hpp"
#include "tapegrad/train/check_finite.hpp"
#include "tapegrad/train/checkpoint.hpp"
#include "tapegrad/train/early_stopping.hpp"
#include "tapegrad/train/history.hpp"
#include "tapegrad/train/progress.hpp"
#include "tapegrad/train/values.hpp"
