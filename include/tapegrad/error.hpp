// Error types. Every failure tapegrad detects is reported with one of these, and the message
// names the operation and the offending shapes or values.
#pragma once

#include <stdexcept>
#include <string>

namespace tg {

/// Base of every tapegrad error.
class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Shapes that do not fit the operation: broadcasting, matmul sizes, reshape sizes, ragged lists.
class ShapeError : public Error {
 public:
  using Error::Error;
};

/// An axis or an index outside its range.
class IndexError : public Error {
 public:
  using Error::Error;
};

/// A name that is not in a StateDict (or other map).
class KeyError : public IndexError {
 public:
  using IndexError::IndexError;
};

/// An argument with a value the operation cannot accept.
class ValueError : public Error {
 public:
  using Error::Error;
};

/// Misuse of automatic differentiation: backward() without a graph, a released graph,
/// an in-place change of a tensor that a recorded operation still needs.
class AutogradError : public Error {
 public:
  using Error::Error;
};

/// A NaN or Inf produced in backward() while anomaly detection is on.
class AnomalyError : public AutogradError {
 public:
  using AutogradError::AutogradError;
};

/// A loss or another watched value became NaN or Inf during training
/// (tg::train::check_finite); the message names the value, the step and the epoch.
class NumericalError : public Error {
 public:
  using Error::Error;
};

/// gradcheck() found a derivative that disagrees with finite differences
/// (thrown only with GradcheckOptions::raise_exception).
class GradcheckError : public Error {
 public:
  using Error::Error;
};

/// Bytes that are not a valid file of the expected format (.npy, .npz); the message names the
/// file or archive member and the problem.
class FormatError : public Error {
 public:
  using Error::Error;
};

/// A file that cannot be opened, read, written or renamed; the message names the path and the
/// system's reason.
class IoError : public Error {
 public:
  using Error::Error;
};

}  // namespace tg
